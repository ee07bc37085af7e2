"""Writes to agreements, the service log, outcomes and assessments: each with its history and audit entry."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from rencai.core.audit import audit_record
from rencai.core.models import User
from rencai.core.roles import REGISTER_WRITERS, Role
from rencai.engagements.compliance import Status
from rencai.engagements.models import (
    Agreement,
    AgreementChange,
    AgreementStatus,
    Assessment,
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


def require_office(user: User) -> None:
    if user.role not in REGISTER_WRITERS:
        raise PermissionDenied("只有人才办工作人员可以进行此操作")


def _is_host(user: User, agreement: Agreement) -> bool:
    return user.role == Role.ENTERPRISE and agreement.enterprise.members.filter(pk=user.pk).exists()


def _is_talent(user: User, agreement: Agreement) -> bool:
    return user.role == Role.TALENT and agreement.talent.user_id == user.pk


@transaction.atomic
def agreement_create(*, agreement: Agreement, by: User, needs: Sequence[Need] = (),
                     projects: Sequence[tuple[str, str]] = (), programme_terms: bool = False,
                     request: Any = None) -> Agreement:
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
    AgreementChange.objects.create(agreement=agreement, kind=AgreementChange.Kind.CREATED, by=by,
                                   reason=f"对接结果 {agreement.pairing_ref}" if agreement.pairing_ref else "")
    if agreement.replaces_id:
        AgreementChange.objects.create(agreement=agreement.replaces, kind=AgreementChange.Kind.REPLACED, by=by,
                                       reason=f"由 {agreement.talent.name} 接替", changes={"by": agreement.pk})
    audit_record(action="create", request=request, user=by, obj=agreement)
    return agreement


def agreement_create_from_pairing(*, talent: Talent, enterprise: Enterprise, need: Need | None, mode: str,
                                  by: User, starts_on: date | None = None, pairing_ref: str = "",
                                  programme: Programme | None = None) -> Agreement:
    """What matching calls when it publishes a pairing: an agreement on the default terms."""
    agreement = Agreement(talent=talent, enterprise=enterprise, mode=mode, programme=programme,
                          starts_on=starts_on or timezone.localdate(), pairing_ref=str(pairing_ref))
    return agreement_create(agreement=agreement, by=by, needs=[need] if need else [], programme_terms=True)


OBLIGATION_FIELDS = ("ends_on", "visits_per_month", "days_per_visit", "days_per_year")


@transaction.atomic
def agreement_adjust(*, agreement: Agreement, by: User, reason: str, request: Any = None,
                     **changes: Any) -> Agreement:
    """Change the term or obligations at the office's decision, keeping the old values in the history."""
    require_office(by)
    if not reason.strip():
        raise ValidationError("调整协议必须填写原因")
    unknown = set(changes) - set(OBLIGATION_FIELDS)
    if unknown:
        raise ValidationError(f"不能调整：{', '.join(sorted(unknown))}")
    before = {k: str(getattr(agreement, k)) for k in changes}
    for key, value in changes.items():
        setattr(agreement, key, value)
    agreement.full_clean()
    agreement.save()
    AgreementChange.objects.create(agreement=agreement, kind=AgreementChange.Kind.ADJUSTED, by=by,
                                   reason=reason.strip(),
                                   changes={k: [before[k], str(v)] for k, v in changes.items()})
    audit_record(action="update", request=request, user=by, obj=agreement, detail={"adjusted": before})
    return agreement


@transaction.atomic
def agreement_request_change(*, agreement: Agreement, by: User, reason: str, request: Any = None) -> None:
    """The host asks the office to adjust or stop an agreement; the office decides."""
    if not _is_host(by, agreement):
        raise PermissionDenied("只有服务企业可以提出申请")
    if not reason.strip():
        raise ValidationError("请填写申请原因")
    AgreementChange.objects.create(agreement=agreement, kind=AgreementChange.Kind.REQUESTED, by=by,
                                   reason=reason.strip())
    audit_record(action="update", request=request, user=by, obj=agreement, detail={"requested": reason})


@transaction.atomic
def agreement_end(*, agreement: Agreement, by: User, ended_on: date, reason: str,
                  request: Any = None) -> Agreement:
    """End early: compliance stops counting at `ended_on`."""
    require_office(by)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status != AgreementStatus.ACTIVE:
        raise ValidationError("该协议已不在服务中")
    if not reason.strip():
        raise ValidationError("终止协议必须填写原因")
    if not agreement.starts_on <= ended_on <= agreement.ends_on:
        raise ValidationError("终止日期应在服务期内")
    agreement.status, agreement.ended_on, agreement.end_reason = AgreementStatus.ENDED, ended_on, reason.strip()
    agreement.save(update_fields=["status", "ended_on", "end_reason"])
    AgreementChange.objects.create(agreement=agreement, kind=AgreementChange.Kind.ENDED, by=by,
                                   reason=reason.strip(), changes={"ended_on": ended_on.isoformat()})
    audit_record(action="update", request=request, user=by, obj=agreement, detail={"ended_on": str(ended_on)})
    return agreement


@transaction.atomic
def visit_log(*, agreement: Agreement, by: User, starts_on: date, ends_on: date, work: str,
              attachment: Any = None, request: Any = None) -> ServiceVisit:
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


def _decide(visit: ServiceVisit, *, status: str, by: User, note_field: str, note: str, request: Any) -> ServiceVisit:
    old = visit.status
    visit.status, visit.decided_by, visit.decided_at = status, by, timezone.now()
    setattr(visit, note_field, note.strip())
    visit.save(update_fields=["status", "decided_by", "decided_at", note_field])
    audit_record(action="update", request=request, user=by, obj=visit, detail={"status": [old, status],
                                                                                "note": note})
    return visit


@transaction.atomic
def visit_confirm(*, visit: ServiceVisit, by: User, request: Any = None) -> ServiceVisit:
    """Only a member of the host enterprise confirms; a pending visit only (disputes go to the office)."""
    visit = ServiceVisit.objects.select_for_update().select_related("agreement").get(pk=visit.pk)
    if not _is_host(by, visit.agreement):
        raise PermissionDenied("只有服务企业可以确认本企业的服务记录")
    if visit.status != VisitStatus.PENDING:
        raise ValidationError(f"该记录当前为{visit.get_status_display()}，不能确认")
    return _decide(visit, status=VisitStatus.CONFIRMED, by=by, note_field="dispute_reason", note="",
                   request=request)


@transaction.atomic
def visit_dispute(*, visit: ServiceVisit, by: User, reason: str, request: Any = None) -> ServiceVisit:
    visit = ServiceVisit.objects.select_for_update().select_related("agreement").get(pk=visit.pk)
    if not _is_host(by, visit.agreement):
        raise PermissionDenied("只有服务企业可以对本企业的服务记录提出异议")
    if visit.status != VisitStatus.PENDING:
        raise ValidationError(f"该记录当前为{visit.get_status_display()}，不能提出异议")
    if not reason.strip():
        raise ValidationError("请填写异议原因")
    return _decide(visit, status=VisitStatus.DISPUTED, by=by, note_field="dispute_reason", note=reason,
                   request=request)


@transaction.atomic
def visit_resolve(*, visit: ServiceVisit, by: User, accept: bool, note: str, request: Any = None) -> ServiceVisit:
    """The office settles a dispute: the visit counts (认定) or does not (不予认定)."""
    require_office(by)
    visit = ServiceVisit.objects.select_for_update().get(pk=visit.pk)
    if visit.status != VisitStatus.DISPUTED:
        raise ValidationError("只有有异议的记录需要处理")
    status = VisitStatus.CONFIRMED if accept else VisitStatus.REJECTED
    return _decide(visit, status=status, by=by, note_field="resolution", note=note, request=request)


@transaction.atomic
def outcome_record(*, outcome: Outcome, by: User, request: Any = None) -> Outcome:
    agreement = outcome.agreement
    if not (_is_talent(by, agreement) or by.role in REGISTER_WRITERS):
        raise PermissionDenied("只能为本人的服务协议录入成果")
    if outcome.project_id and outcome.project.agreement_id != agreement.pk:
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
                    request: Any = None) -> Assessment:
    """The host's rating of the talent (0–100)."""
    if not _is_host(by, agreement):
        raise PermissionDenied("只有服务企业可以评价本企业的人才")
    if not 0 <= score <= 100:
        raise ValidationError("评分应在 0 到 100 之间")
    assessment, _ = Assessment.objects.get_or_create(agreement=agreement, year=year)
    if assessment.grade:
        raise ValidationError("该年度考核已审定，不能再修改评价")
    assessment.host_score, assessment.host_comment, assessment.host_rated_by = score, comment.strip(), by
    assessment.save()
    audit_record(action="update", request=request, user=by, obj=assessment, detail={"host_score": score})
    return assessment


@transaction.atomic
def assessment_review(*, agreement: Agreement, year: int, by: User, comment: str = "", today: date | None = None,
                      request: Any = None) -> Assessment:
    """The office computes the indicators and the weighted grade; the host's rating is required first."""
    require_office(by)
    assessment, _ = Assessment.objects.get_or_create(agreement=agreement, year=year)
    if assessment.host_score is None:
        raise ValidationError("企业尚未评价，不能审定")
    today = today or timezone.localdate()
    w_host, w_comp, w_out = weights_for(agreement)
    assessment.compliance_score = compliance_score(agreement, today)
    assessment.outcome_score = outcome_score(agreement)
    total = (w_host * assessment.host_score + w_comp * assessment.compliance_score
             + w_out * assessment.outcome_score) / max(w_host + w_comp + w_out, 1)
    assessment.score = Decimal(str(round(total, 1)))
    assessment.grade = grade_for(assessment.score)
    assessment.office_comment = comment.strip()
    assessment.reviewed_by, assessment.reviewed_at = by, timezone.now()
    assessment.save()
    audit_record(action="update", request=request, user=by, obj=assessment,
                 detail={"score": str(assessment.score), "grade": assessment.grade})
    return assessment


def needs_attention(report_status: Status) -> bool:
    return report_status in (Status.AT_RISK, Status.BEHIND)
