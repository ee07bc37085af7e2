"""Writes of this area: every change, its audit entry and its notices in one function."""

from __future__ import annotations

import datetime
import hashlib
import json
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext

from rencai.core import inbox
from rencai.core.audit import audit_record
from rencai.core.lifecycle import Lifecycle, Move
from rencai.core.models import Bureau, City, User, Zone
from rencai.core.roles import Role
from rencai.policies.models import PolicyVersion
from rencai.targets.models import Adjustment, Claim, Evaluation, Indicator, MonthlyReport, Period, Stay, Target

WRITERS = frozenset({Role.OFFICE_ADMIN, Role.REVIEWER})


def _second_person(obj: Adjustment, user: Any) -> str | None:
    if user is not None and obj.proposed_by_id == getattr(user, "pk", None):
        return "实绩调整须由提出人以外的第二人复核"
    return None


def _proposer(obj: Adjustment) -> list[User]:
    return [obj.proposed_by]


ADJUSTMENT_LIFE = Lifecycle(field="status", states=Adjustment.Status, label="实绩调整", key="targets.adjustment",
                            kind="targets", moves=[
    Move("approve", (Adjustment.Status.PROPOSED,), Adjustment.Status.APPROVED, WRITERS, "复核通过",
         guard=_second_person, notify=_proposer),
    Move("reject", (Adjustment.Status.PROPOSED,), Adjustment.Status.REJECTED, WRITERS, "退回", reason_required=True,
         guard=_second_person, notify=_proposer),
])


def _city_level(obj: Period, user: Any) -> str | None:
    if getattr(user, "zone_id", None):
        return gettext("考核期是全市的，须由市级人才办工作人员锁定或重新开放")
    return None


PERIOD_LIFE = Lifecycle(field="status", states=Period.Status, label="考核期", key="targets.period", moves=[
    Move("lock", (Period.Status.OPEN,), Period.Status.LOCKED, frozenset({Role.OFFICE_ADMIN}), "锁定考核期",
         guard=_city_level),
    Move("reopen", (Period.Status.LOCKED,), Period.Status.OPEN, frozenset({Role.OFFICE_ADMIN}), "重新开放",
         reason_required=True, guard=_city_level),
])


def _plan_complete(obj: Evaluation, user: Any) -> str | None:
    if not obj.question.strip():
        return "评估问题未填写，不能锁定方案"
    return None


EVALUATION_LIFE = Lifecycle(field="status", states=Evaluation.Status, label="政策效果评估", key="targets.evaluation",
                            moves=[
    Move("lock", (Evaluation.Status.DRAFT,), Evaluation.Status.LOCKED, WRITERS, "锁定分析方案", guard=_plan_complete),
    Move("conclude", (Evaluation.Status.ANALYSED,), Evaluation.Status.CONCLUDED, WRITERS, "形成发现与建议"),
])


def period_locked(city: City, year: int) -> bool:
    return Period.objects.filter(city=city, year=year, status=Period.Status.LOCKED).exists()


def _refuse_if_locked(city: City, year: int) -> None:
    if period_locked(city, year):
        raise ValidationError(f"{year}年考核期已锁定，不能修改目标或实绩")


def _refuse_outside_zone(by: User, zone: Zone | None, refusal: str) -> None:
    """Zone staff write only their own zone's figures; the city level (no zone) and other zones are refused."""
    if by.zone_id and (zone is None or zone.pk != by.zone_id):
        raise ValidationError(refusal)


def period_for(city: City, year: int) -> Period:
    found, _ = Period.objects.get_or_create(city=city, year=year)
    return found


def period_move(*, period: Period, move: str, by: User, reason: str = "",
                request: HttpRequest | None = None) -> Period:
    return PERIOD_LIFE.transition(period, move=move, by=by, reason=reason, request=request)


def target_set(*, indicator: Indicator, year: int, city: City, value: int, by: User, zone: Zone | None = None,
               bureau: Bureau | None = None, request: HttpRequest | None = None) -> Target:
    """Set (or change) one target; refused in a locked period, or when zones' targets would exceed the city's."""
    if value < 0:
        raise ValidationError("目标值不能为负数")
    _refuse_outside_zone(by, zone, gettext("旗区工作人员只能设置本旗区的目标"))
    with transaction.atomic():
        _refuse_if_locked(city, year)
        target, created = Target.objects.select_for_update().get_or_create(
            indicator=indicator, year=year, city=city, zone=zone, bureau=bureau,
            defaults={"value": value, "set_by": by})
        old = None if created else target.value
        if not created:
            target.value, target.set_by = value, by
            target.save(update_fields=["value", "set_by"])
        audit_record(action="create" if created else "update", request=request, user=by, obj=target,
                     detail={"value": [old, value], "indicator": indicator.code, "year": year})
    return target


def cascade_check(indicator: Indicator, year: int, city: City) -> dict[str, Any]:
    """The city's target against the sum of its zones' and of its bureaus' targets."""
    qs = Target.objects.filter(indicator=indicator, year=year, city=city)
    whole = qs.filter(zone=None, bureau=None).first()
    zones = int(qs.filter(zone__isnull=False, bureau=None).aggregate(n=Sum("value"))["n"] or 0)
    bureaus = int(qs.filter(bureau__isnull=False).aggregate(n=Sum("value"))["n"] or 0)
    city_value = whole.value if whole else None
    return {"city": city_value, "zones": zones, "bureaus": bureaus,
            "zones_match": city_value is not None and zones == city_value,
            "gap": (city_value - zones) if city_value is not None else None}


def adjustment_propose(*, indicator: Indicator, year: int, city: City, delta: int, reason: str, by: User,
                       zone: Zone | None = None, request: HttpRequest | None = None) -> Adjustment:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("实绩调整必须填写原因")
    if delta == 0:
        raise ValidationError("调整数不能为 0")
    _refuse_if_locked(city, year)
    _refuse_outside_zone(by, zone, gettext("旗区工作人员只能调整本旗区的实绩"))
    with transaction.atomic():
        adj = Adjustment.objects.create(indicator=indicator, year=year, city=city, zone=zone, delta=delta,
                                        reason=reason, proposed_by=by)
        audit_record(action="create", request=request, user=by, obj=adj, detail={"delta": delta, "reason": reason})
        ADJUSTMENT_LIFE.record(adj, move="propose", label="提出调整", by=by, reason=reason)
        others = User.objects.filter(role__in=WRITERS, is_active=True, city=city).exclude(pk=by.pk)
        inbox.notify(recipients=list(others), kind="targets", subject=adj,
                     text=f"实绩调整待复核：{indicator} {year}年 {delta:+d}（{reason}）")
    return adj


def adjustment_decide(*, adjustment: Adjustment, move: str, by: User, reason: str = "",
                      request: HttpRequest | None = None) -> Adjustment:
    _refuse_if_locked(adjustment.city, adjustment.year)

    def apply(obj: Adjustment) -> None:
        obj.decided_by = by

    return ADJUSTMENT_LIFE.transition(adjustment, move=move, by=by, reason=reason, request=request, apply=apply)


def stay_record(*, talent: Any, zone: Zone, arrived_on: datetime.date, by: User | None,
                left_on: datetime.date | None = None, request: HttpRequest | None = None) -> Stay:
    if left_on and left_on < arrived_on:
        raise ValidationError("离区日期不能早于到岗日期")
    stay = Stay.objects.create(talent=talent, zone=zone, arrived_on=arrived_on, left_on=left_on)
    audit_record(action="create", request=request, user=by, obj=stay, detail={"arrived_on": arrived_on.isoformat()})
    return stay


def claim_add(*, talent: Any, bureau: Bureau, year: int, by: User | None, request: HttpRequest | None = None) -> Claim:
    claim, created = Claim.objects.get_or_create(talent=talent, bureau=bureau, year=year)
    if created:
        audit_record(action="create", request=request, user=by, obj=claim, detail={"year": year})
    return claim


# --- evaluations -----------------------------------------------------------------------------------------

def plan_of(ev: Evaluation) -> dict[str, Any]:
    return {"version": ev.version_id, "question": ev.question, "degree": ev.degree,
            "outcome_months": ev.outcome_months, "adoption": ev.adoption,
            "groups": ["beneficiary", "eligible", "ineligible"], "methods": ["kaplan_meier", "did", "event_study"]}


def _plan_hash(ev: Evaluation) -> str:
    return hashlib.sha256(json.dumps(plan_of(ev), sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def evaluation_create(*, version: PolicyVersion, city: City, question: str, by: User, degree: str = "",
                      outcome_months: int = 24, adoption: dict[str, str] | None = None,
                      evaluator: User | None = None, request: HttpRequest | None = None) -> Evaluation:
    if evaluator is not None and evaluator.role != Role.EVALUATOR:
        raise ValidationError("评估机构账号的角色须为第三方评估机构")
    ev = Evaluation.objects.create(version=version, city=city, question=question.strip(), degree=degree,
                                   outcome_months=outcome_months, adoption=adoption or {}, evaluator=evaluator,
                                   salt=secrets.token_hex(16), created_by=by)
    audit_record(action="create", request=request, user=by, obj=ev, detail={"version": version.pk})
    EVALUATION_LIFE.record(ev, move="create", label="拟定评估方案", by=by)
    return ev


def evaluation_plan_update(*, evaluation: Evaluation, by: User, request: HttpRequest | None = None,
                           **changes: Any) -> Evaluation:
    if evaluation.status != Evaluation.Status.DRAFT:
        raise ValidationError("分析方案已锁定，不能再修改（先锁定方案、后看结果）")
    for k, v in changes.items():
        if k not in {"question", "degree", "outcome_months", "adoption", "evaluator"}:
            raise ValidationError(f"方案中没有“{k}”")
        setattr(evaluation, k, v)
    evaluation.save()
    audit_record(action="update", request=request, user=by, obj=evaluation, detail={"changed": sorted(changes)})
    return evaluation


def evaluation_lock(*, evaluation: Evaluation, by: User, request: HttpRequest | None = None) -> Evaluation:
    def apply(obj: Evaluation) -> None:
        obj.plan_hash = _plan_hash(obj)
        obj.locked_at = timezone.now()

    return EVALUATION_LIFE.transition(evaluation, move="lock", by=by, request=request, apply=apply)


def evaluation_run(*, evaluation: Evaluation, by: User, on: datetime.date | None = None,
                   request: HttpRequest | None = None) -> Evaluation:
    """Compute the outcomes, only under a locked plan whose fingerprint still matches."""
    from rencai.targets.evaluation import analyse

    if evaluation.status == Evaluation.Status.DRAFT:
        raise ValidationError("分析方案尚未锁定：须先锁定方案，再计算结果")
    if evaluation.plan_hash != _plan_hash(evaluation):
        raise ValidationError("分析方案在锁定后被改动，结果不予计算")
    results = analyse(evaluation, on=on or timezone.localdate())
    with transaction.atomic():
        evaluation.results = results
        if evaluation.status == Evaluation.Status.LOCKED:
            evaluation.status = Evaluation.Status.ANALYSED
        evaluation.save(update_fields=["results", "status"])
        audit_record(action="update", request=request, user=by, obj=evaluation, detail={"move": "analyse"})
        EVALUATION_LIFE.record(evaluation, move="analyse", label="计算结果", by=by, from_state="locked")
    return evaluation


def evaluation_conclude(*, evaluation: Evaluation, by: User, finding: str, recommendation: str,
                        followup_version: PolicyVersion | None = None,
                        request: HttpRequest | None = None) -> Evaluation:
    if not finding.strip() or not recommendation.strip():
        raise ValidationError("须填写评估发现和优化建议")
    if followup_version is not None and followup_version.policy_id != evaluation.version.policy_id:
        raise ValidationError("新版本须属于同一政策")

    def apply(obj: Evaluation) -> None:
        obj.finding, obj.recommendation = finding.strip(), recommendation.strip()
        obj.followup_version = followup_version

    return EVALUATION_LIFE.transition(evaluation, move="conclude", by=by, request=request, apply=apply)


# --- the monthly report ------------------------------------------------------------------------------------

REPORT_SERIES = "targets.monthly_report"


def monthly_report_number(*, city: City, zone: Zone | None, year: int, month: int, by: User | None,
                          request: HttpRequest | None = None) -> MonthlyReport:
    """The month's report record at this level, with its 文号 from the office's series: allocated the first time
    (so the .docx, the PDF and every reprint of the month carry one number), never twice for one month.
    The 文号's year is the year it is issued in (a December report written in January is numbered in January's)."""
    from rencai.core.office import document_number

    with transaction.atomic():
        City.objects.select_for_update().filter(pk=city.pk).first()  # one allocation at a time per city
        found = MonthlyReport.objects.filter(city=city, zone=zone, year=year, month=month).first()
        if found is not None:
            return found
        report = MonthlyReport.objects.create(
            city=city, zone=zone, year=year, month=month, first_by=by,
            number=document_number(city=city, key=REPORT_SERIES, year=timezone.localdate().year))
        audit_record(action="create", request=request, user=by, obj=report, detail={"number": report.number})
    return report
