"""Writes to agreements, the service log, outcomes and assessments: each with its history and audit entry."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from rencai.core.access import require_office
from rencai.core.audit import audit_record
from rencai.core.lifecycle import ANY, STAY, SYSTEM, Lifecycle, Move
from rencai.core.models import User
from rencai.core.roles import REGISTER_WRITERS, Role
from rencai.engagements.compliance import Status
from rencai.engagements.models import (
    Agreement,
    AgreementStatus,
    Assessment,
    AssessmentStatus,
    Grade,
    Outcome,
    OutcomeKind,
    Programme,
    ServiceProject,
    ServiceVisit,
    VisitStatus,
    one_year_from,
)
from rencai.needs.models import Need
from rencai.orgs.models import Enterprise
from rencai.talents.models import Talent

# Grade thresholds on the 0–100 weighted score.
GRADE_FLOORS = ((90, Grade.EXCELLENT), (75, Grade.PASS), (60, Grade.BASIC))
# Outcome items for a full outcome score; offices tune the weights, not this.
OUTCOME_FULL_MARKS = 5


def _is_host(user: User, agreement: Agreement) -> bool:
    return user.role == Role.ENTERPRISE and agreement.enterprise.members.filter(pk=user.pk).exists()


def _is_talent(user: User, agreement: Agreement) -> bool:
    return user.role == Role.TALENT and agreement.talent.user_id == user.pk


def _parties(agreement: Agreement) -> list[User]:
    """The host's members and the talent: who hears of a change to their agreement."""
    people = list(agreement.enterprise.members.filter(is_active=True))
    if agreement.talent.user is not None:
        people.append(agreement.talent.user)
    return people


def _host_members(record: ServiceVisit | Assessment) -> list[User]:
    return list(record.agreement.enterprise.members.filter(is_active=True))


def _talent_of(record: ServiceVisit | Assessment) -> list[User]:
    talent_user = record.agreement.talent.user
    return [talent_user] if talent_user is not None else []


def _agreement_url(agreement: Agreement) -> str:
    return reverse("engagements:detail", args=[agreement.pk])


def _record_url(record: ServiceVisit | Assessment) -> str:
    return reverse("engagements:detail", args=[record.agreement_id])


OFFICE = REGISTER_WRITERS
HOST = frozenset({Role.ENTERPRISE})
A = AgreementStatus
# An agreement's life: 服务中 until it ends early or its term is over; adjustments, the host's requests and a
# replacement are events in its history.
AGREEMENT_LIFE = Lifecycle(field="status", states=AgreementStatus, label="服务协议", key="engagements.agreement",
                           url=_agreement_url, moves=[
    Move("adjust", (A.ACTIVE,), STAY, OFFICE, "调整", reason_required=True, notify=_parties),
    Move("request_change", (A.ACTIVE,), STAY, HOST, "企业申请调整或终止", reason_required=True),
    Move("end", (A.ACTIVE,), A.ENDED, OFFICE, "终止", reason_required=True, notify=_parties,
         hint="该协议已不在服务中"),
    Move("complete", (A.ACTIVE,), A.COMPLETED, OFFICE | {SYSTEM}, "服务期满"),
    Move("replaced", (ANY,), STAY, OFFICE, "另配人才"),
])
V = VisitStatus
# A service visit: the talent logs it, the host confirms or disputes it, the office settles a dispute.
VISIT_LIFE = Lifecycle(field="status", states=VisitStatus, label="服务记录", key="engagements.visit",
                       url=_record_url, moves=[
    Move("confirm", (V.PENDING,), V.CONFIRMED, HOST, "确认"),
    Move("dispute", (V.PENDING,), V.DISPUTED, HOST, "提出异议", reason_required=True, notify=_talent_of),
    Move("accept", (V.DISPUTED,), V.CONFIRMED, OFFICE, "予以认定", notify=_talent_of,
         hint="只有有异议的记录需要处理"),
    Move("reject", (V.DISPUTED,), V.REJECTED, OFFICE, "不予认定", notify=_talent_of,
         hint="只有有异议的记录需要处理"),
])
S = AssessmentStatus
# The annual assessment: the host rates, the office sends the rating back with a reason or sets the grade (审定).
ASSESSMENT_LIFE = Lifecycle(field="status", states=AssessmentStatus, label="年度考核", key="engagements.assessment",
                            url=_record_url, moves=[
    Move("rate", (S.AWAITING, S.RATED, S.RETURNED), S.RATED, HOST, "提交企业评价",
         hint="该年度考核已审定，不能再修改评价"),
    Move("return", (S.RATED,), S.RETURNED, OFFICE, "退回修改", reason_required=True, notify=_host_members,
         hint="只有待审定的考核可以退回"),
    Move("approve", (S.RATED,), S.APPROVED, OFFICE, "审定", notify=_host_members,
         hint="企业尚未评价（或评价已退回修改），不能审定"),
])


@transaction.atomic
def agreement_create(*, agreement: Agreement, by: User, needs: Sequence[Need] = (),
                     projects: Sequence[tuple[str, str]] = (), programme_terms: bool = False,
                     request: HttpRequest | None = None) -> Agreement:
    """A new agreement; with `programme_terms` its obligations are the programme's; an open term lasts a year.

    `projects` are (title, description) pairs, the first being the lead project of "1+N"."""
    require_office(by)
    programme = agreement.programme
    if programme and programme_terms:
        agreement.visits_per_month = programme.visits_per_month
        agreement.days_per_visit = programme.days_per_visit
        agreement.days_per_year = programme.days_per_year
    if agreement.ends_on is None and agreement.starts_on:
        agreement.ends_on = one_year_from(agreement.starts_on)
    if agreement.institution_id is None and agreement.talent_id and agreement.talent.institution_id:
        agreement.institution_id = agreement.talent.institution_id
    agreement.created_by = by
    agreement.full_clean()
    if agreement.ends_on < agreement.starts_on:
        raise ValidationError("服务结束日期不能早于开始日期")
    agreement.save()
    agreement.needs.set(needs)
    for i, (title, description) in enumerate(projects):
        if title.strip():
            ServiceProject.objects.create(agreement=agreement, lead=i == 0, title=title.strip(),
                                          description=description.strip())
    AGREEMENT_LIFE.record(agreement, move="create", label="签订", by=by,
                          reason=f"对接结果 {agreement.pairing_ref}" if agreement.pairing_ref else "")
    audit_record(action="create", request=request, user=by, obj=agreement)
    if agreement.replaces_id:
        AGREEMENT_LIFE.transition(agreement.replaces, move="replaced", by=by, request=request,
                                  reason=f"由 {agreement.talent.name} 接替",
                                  data={"replaced_by": agreement.pk, "changes": {"接替协议": str(agreement)}})
    return agreement


def agreement_create_from_pairing(*, talent: Talent, enterprise: Enterprise, need: Need | None, mode: str,
                                  by: User, starts_on: date | None = None, pairing_ref: str = "",
                                  programme: Programme | None = None) -> Agreement:
    """What matching calls when it publishes a pairing: an agreement on the default terms."""
    agreement = Agreement(talent=talent, enterprise=enterprise, mode=mode, programme=programme,
                          starts_on=starts_on or timezone.localdate(), pairing_ref=str(pairing_ref))
    return agreement_create(agreement=agreement, by=by, needs=[need] if need else [], programme_terms=True)


OBLIGATION_FIELDS = ("ends_on", "visits_per_month", "days_per_visit", "days_per_year")


def _field_label(name: str) -> str:
    return str(getattr(Agreement._meta.get_field(name), "verbose_name", name))


def agreement_adjust(*, agreement: Agreement, by: User, reason: str, request: HttpRequest | None = None,
                     **changes: Any) -> Agreement:
    """Change the term or obligations at the office's decision, keeping the old values in the history."""
    require_office(by)
    unknown = set(changes) - set(OBLIGATION_FIELDS)
    if unknown:
        raise ValidationError(f"不能调整：{', '.join(sorted(unknown))}")
    before: dict[str, str] = {}

    def apply(fresh: Agreement) -> None:
        before.update({k: str(getattr(fresh, k)) for k in changes})
        for key, value in changes.items():
            setattr(fresh, key, value)
        fresh.full_clean()
        if fresh.ends_on < fresh.starts_on:
            raise ValidationError("服务结束日期不能早于开始日期")

    fields = {k: [str(getattr(agreement, k)), str(v)] for k, v in changes.items()}
    shown = {_field_label(k): f"{old} → {new}" for k, (old, new) in fields.items()}
    return AGREEMENT_LIFE.transition(agreement, move="adjust", by=by, reason=reason, request=request, apply=apply,
                                     data={"fields": fields, "changes": shown})


def agreement_request_change(*, agreement: Agreement, by: User, reason: str,
                             request: HttpRequest | None = None) -> None:
    """The host asks the office to adjust or stop an agreement; the office decides."""
    if not _is_host(by, agreement):
        raise PermissionDenied("只有服务企业可以提出申请")
    AGREEMENT_LIFE.transition(agreement, move="request_change", by=by, reason=reason, request=request)


def agreement_end(*, agreement: Agreement, by: User, ended_on: date, reason: str,
                  request: HttpRequest | None = None) -> Agreement:
    """End early: compliance stops counting at `ended_on`."""
    require_office(by)

    def apply(fresh: Agreement) -> None:
        if not fresh.starts_on <= ended_on <= fresh.ends_on:
            raise ValidationError("终止日期应在服务期内")
        fresh.ended_on, fresh.end_reason = ended_on, reason.strip()

    return AGREEMENT_LIFE.transition(agreement, move="end", by=by, reason=reason, on=ended_on, request=request,
                                     apply=apply, data={"changes": {"终止日期": ended_on.isoformat()}})


@transaction.atomic
def visit_log(*, agreement: Agreement, by: User, starts_on: date, ends_on: date, work: str,
              attachment: Any = None, request: HttpRequest | None = None) -> ServiceVisit:
    """The talent records a visit to the host; it counts once the host confirms it."""
    if not _is_talent(by, agreement):
        raise PermissionDenied("只能为本人的服务协议填报")
    if agreement.status != AgreementStatus.ACTIVE:
        raise ValidationError("该协议已终止，不能再填报")
    if ends_on < starts_on:
        raise ValidationError("离开日期不能早于到岗日期")
    last = agreement.ended_on or agreement.ends_on
    if starts_on < agreement.starts_on or ends_on > last:
        raise ValidationError(f"服务日期应在服务期 {agreement.starts_on} 至 {last} 之内")
    if ends_on > timezone.localdate():
        raise ValidationError("不能填报未来的日期")
    overlap = agreement.visits.exclude(status=VisitStatus.REJECTED).filter(
        starts_on__lte=ends_on, ends_on__gte=starts_on)
    if overlap.exists():
        raise ValidationError("与已填报的服务日期重叠")
    visit = ServiceVisit(agreement=agreement, starts_on=starts_on, ends_on=ends_on, work=work.strip(),
                         logged_by=by)
    if attachment:
        visit.attachment = attachment
    visit.full_clean()
    visit.save()
    audit_record(action="create", request=request, user=by, obj=visit)
    return visit


def _decide(visit: ServiceVisit, *, move: str, by: User, note_field: str, note: str,
            request: HttpRequest | None) -> ServiceVisit:
    def apply(fresh: ServiceVisit) -> None:
        fresh.decided_by, fresh.decided_at = by, timezone.now()
        setattr(fresh, note_field, note.strip())

    return VISIT_LIFE.transition(visit, move=move, by=by, reason=note, request=request, apply=apply)


def visit_confirm(*, visit: ServiceVisit, by: User, request: HttpRequest | None = None) -> ServiceVisit:
    """Only a member of the host enterprise confirms; a pending visit only (disputes go to the office)."""
    if not _is_host(by, visit.agreement):
        raise PermissionDenied("只有服务企业可以确认本企业的服务记录")
    return _decide(visit, move="confirm", by=by, note_field="dispute_reason", note="", request=request)


def visit_dispute(*, visit: ServiceVisit, by: User, reason: str, request: HttpRequest | None = None) -> ServiceVisit:
    if not _is_host(by, visit.agreement):
        raise PermissionDenied("只有服务企业可以对本企业的服务记录提出异议")
    return _decide(visit, move="dispute", by=by, note_field="dispute_reason", note=reason, request=request)


def visit_resolve(*, visit: ServiceVisit, by: User, accept: bool, note: str,
                  request: HttpRequest | None = None) -> ServiceVisit:
    """The office settles a dispute: the visit counts (认定) or does not (不予认定)."""
    require_office(by)
    return _decide(visit, move="accept" if accept else "reject", by=by, note_field="resolution", note=note,
                   request=request)


@transaction.atomic
def outcome_record(*, outcome: Outcome, by: User, request: HttpRequest | None = None) -> Outcome:
    agreement = outcome.agreement
    if not (_is_talent(by, agreement) or by.role in REGISTER_WRITERS):
        raise PermissionDenied("只能为本人的服务协议录入成果")
    if outcome.project_id and outcome.project is not None and outcome.project.agreement_id != agreement.pk:
        raise ValidationError("所选项目不属于该协议")
    outcome.recorded_by = by
    outcome.full_clean()
    outcome.save()
    audit_record(action="create", request=request, user=by, obj=outcome)
    return outcome


def outcome_totals(outcomes: Any) -> dict[str, int]:
    """Sum of outcome counts by kind, every kind present (0 if none): what a programme page shows."""
    totals = dict.fromkeys(OutcomeKind.values, 0)
    for kind, count in outcomes.values_list("kind", "count"):
        totals[kind] += count
    return totals


def compliance_score(agreement: Agreement, today: date) -> int:
    """0–100: share of the required days served, less 10 per month behind."""
    report = agreement.compliance(today)
    share = min(report.days / report.required_days, 1) if report.required_days else 1
    return max(round(100 * share) - 10 * report.behind_months, 0)


def outcome_score(agreement: Agreement) -> int:
    items = sum(outcome_totals(agreement.outcomes.all()).values())
    return min(round(100 * items / OUTCOME_FULL_MARKS), 100)


def weights_for(agreement: Agreement) -> tuple[int, int, int]:
    p = agreement.programme
    return (p.weight_host, p.weight_compliance, p.weight_outcomes) if p else (40, 40, 20)


def grade_for(score: Decimal) -> str:
    return next((grade for floor, grade in GRADE_FLOORS if score >= floor), Grade.FAIL)


@transaction.atomic
def assessment_rate(*, agreement: Agreement, year: int, score: int, comment: str, by: User,
                    request: HttpRequest | None = None) -> Assessment:
    """The host's rating of the talent (0–100); again after the office sent it back, never once 审定."""
    if not _is_host(by, agreement):
        raise PermissionDenied("只有服务企业可以评价本企业的人才")
    if not 0 <= score <= 100:
        raise ValidationError("评分应在 0 到 100 之间")
    assessment, _ = Assessment.objects.get_or_create(agreement=agreement, year=year)

    def apply(fresh: Assessment) -> None:
        fresh.host_score, fresh.host_comment, fresh.host_rated_by = score, comment.strip(), by

    return ASSESSMENT_LIFE.transition(assessment, move="rate", by=by, reason=comment, request=request, apply=apply,
                                      data={"changes": {"企业评分": score}})


def assessment_return(*, assessment: Assessment, by: User, reason: str,
                      request: HttpRequest | None = None) -> Assessment:
    """The office sends the host's rating back for revision, with the reason the host reads."""
    require_office(by)
    return ASSESSMENT_LIFE.transition(assessment, move="return", by=by, reason=reason, request=request)


def assessment_scores(assessment: Assessment, today: date) -> tuple[int, int, Decimal, str]:
    """The indicators, the weighted score and the grade it gives: what the office sees before 审定."""
    agreement = assessment.agreement
    w_host, w_comp, w_out = weights_for(agreement)
    compliance, outcomes = compliance_score(agreement, today), outcome_score(agreement)
    total = (w_host * (assessment.host_score or 0) + w_comp * compliance + w_out * outcomes) / max(
        w_host + w_comp + w_out, 1)
    score = Decimal(str(round(total, 1)))
    return compliance, outcomes, score, grade_for(score)


def assessment_review(*, agreement: Agreement, year: int, by: User, comment: str = "", grade: str = "",
                      reason: str = "", today: date | None = None, request: HttpRequest | None = None) -> Assessment:
    """审定: the office computes the indicators and the weighted grade and sets the grade, by default the
    computed one; a different grade needs a reason. The host's rating is required first."""
    require_office(by)
    assessment = Assessment.objects.filter(agreement=agreement, year=year).first()
    if assessment is None or assessment.host_score is None:
        raise ValidationError(f"{agreement} {year}年度：企业尚未评价，不能审定")
    if grade and grade not in Grade.values:
        raise ValidationError(f"没有“{grade}”这一考核等次")
    today = today or timezone.localdate()
    computed: dict[str, Any] = {}  # filled by apply(); the history row is written after it ran

    def apply(fresh: Assessment) -> None:
        compliance, outcomes, score, by_score = assessment_scores(fresh, today)
        chosen = grade or by_score
        if chosen != by_score and not reason.strip():
            raise ValidationError(f"{fresh}：审定等次“{chosen}”与计算等次“{by_score}”不同，必须填写原因")
        fresh.compliance_score, fresh.outcome_score, fresh.score, fresh.grade = compliance, outcomes, score, chosen
        fresh.office_comment = comment.strip()
        fresh.reviewed_by, fresh.reviewed_at = by, timezone.now()
        computed.update(score=str(score), computed_grade=by_score, grade=chosen,
                        changes={"综合得分": str(score), "计算等次": by_score, "审定等次": chosen})

    return ASSESSMENT_LIFE.transition(
        assessment, move="approve", by=by, reason=reason.strip() or comment, request=request, apply=apply,
        data=computed)


def needs_attention(report_status: Status) -> bool:
    return report_status in (Status.AT_RISK, Status.BEHIND)
