"""Writes to stations and postdocs: each step with its history row, audit entry and its consequences
(the platform register, the next deadline, the subsidy entitlements)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from rencai.core.audit import audit_record
from rencai.core.models import User
from rencai.orgs.models import Platform
from rencai.postdoc.deadlines import Terms, deadlines_from
from rencai.postdoc.models import (
    ACTIVE_STAGES,
    OPEN_STAGES,
    Assistance,
    Milestone,
    Partner,
    Postdoc,
    PostdocSettings,
    PostdocStage,
    Stage,
    Station,
    StationKind,
    StationStep,
)
from rencai.postdoc.subsidies import subsidy_on_entry, subsidy_on_leave, subsidy_on_station_approved
from rencai.talents.models import Talent, TalentType


@dataclass(frozen=True)
class StationMove:
    to: Stage
    label: str


# A station's life; anything not listed is refused. 撤站 needs a reason; 获批设站 a date and document number.
STATION_MOVES: dict[Stage, tuple[StationMove, ...]] = {
    Stage.SURVEY: (StationMove(Stage.EVALUATION, "进入项目评估"), StationMove(Stage.WITHDRAWN, "终止")),
    Stage.EVALUATION: (StationMove(Stage.APPLICATION, "评估通过，申报推荐"), StationMove(Stage.SURVEY, "退回调研"),
                       StationMove(Stage.WITHDRAWN, "终止")),
    Stage.APPLICATION: (StationMove(Stage.APPROVED, "获批设站"), StationMove(Stage.EVALUATION, "未获推荐，退回评估"),
                        StationMove(Stage.WITHDRAWN, "终止")),
    Stage.APPROVED: (StationMove(Stage.OPERATING, "开始运行"), StationMove(Stage.WITHDRAWN, "撤站")),
    Stage.OPERATING: (StationMove(Stage.WITHDRAWN, "撤站"),),
    Stage.WITHDRAWN: (),
}


def station_moves(station: Station) -> tuple[StationMove, ...]:
    return STATION_MOVES[Stage(station.stage)]


def station_terms(station: Station) -> Terms:
    """The station's own deadline months where set, else the office's defaults."""
    defaults = PostdocSettings.current()
    return Terms(proposal_months=station.proposal_months or defaults.proposal_months,
                 midterm_months=station.midterm_months or defaults.midterm_months,
                 exit_months=station.exit_months or defaults.exit_months)


@transaction.atomic
def station_create(*, station: Station, by: User, request: Any = None) -> Station:
    station.created_by = by
    station.stage = Stage.SURVEY
    station.full_clean()
    station.save()
    StationStep.objects.create(station=station, to_stage=station.stage, on=timezone.localdate(station.created_at),
                               by=by, note="登记")
    audit_record(action="create", request=request, user=by, obj=station)
    return station


def _sync_platform(station: Station) -> Platform:
    """An approved station is also one of its enterprise's platforms (博士后科研工作站 / 创新实践基地)."""
    kind = Platform.Kind.POSTDOC_STATION if station.kind == StationKind.STATION else Platform.Kind.POSTDOC_BASE
    platform = station.platform or Platform(enterprise=station.enterprise)
    platform.kind, platform.name, platform.approved_on = kind, station.name, station.approved_on
    platform.save()
    return platform


@transaction.atomic
def station_transition(*, station: Station, to: str, on: date, by: User, note: str = "", approval_number: str = "",
                       request: Any = None) -> Station:
    station = Station.objects.select_for_update().get(pk=station.pk)
    if not any(m.to == to for m in station_moves(station)):
        raise ValidationError(f"工作站当前为{station.get_stage_display()}，不能改为{Stage(to).label}")
    note, approval_number = note.strip(), approval_number.strip()
    if to == Stage.APPROVED:
        if not approval_number:
            raise ValidationError("获批设站须填写批准文号")
        station.approved_on, station.approval_number = on, approval_number
    if to == Stage.WITHDRAWN:
        if not note:
            raise ValidationError("撤站或终止须填写原因")
        if station.postdocs.filter(stage__in=ACTIVE_STAGES).exists():
            raise ValidationError("尚有在站博士后，不能撤站；请先办理出站或退站")
        station.withdrawn_on, station.withdrawn_reason = on, note
    old = station.stage
    station.stage = to
    if to == Stage.APPROVED:
        station.platform = _sync_platform(station)
    station.save()
    StationStep.objects.create(station=station, from_stage=old, to_stage=to, on=on, by=by,
                               note=note or approval_number)
    audit_record(action="update", request=request, user=by, obj=station,
                 detail={"stage": [old, to], "on": on.isoformat(), "note": note, "approval_number": approval_number})
    if to == Stage.APPROVED:
        subsidy_on_station_approved(station=station, by=by, request=request)
    return station


@transaction.atomic
def assistance_record(*, assistance: Assistance, by: User, request: Any = None) -> Assistance:
    assistance.by = by
    target = assistance.postdoc or assistance.station
    assistance.stage = assistance.stage or (target.get_stage_display() if target else "")
    assistance.full_clean()
    assistance.save()
    audit_record(action="create", request=request, user=by, obj=assistance,
                 detail={"station": assistance.station_id, "postdoc": assistance.postdoc_id})
    return assistance


@transaction.atomic
def partner_add(*, partner: Partner, by: User, request: Any = None) -> Partner:
    from rencai.core.catalogs import find_discipline

    found = find_discipline(partner.discipline_code or partner.discipline)
    if found is None:
        raise ValidationError("请选择一级学科")
    partner.discipline_code, partner.discipline = found.code, found.name
    partner.full_clean()
    partner.save()
    audit_record(action="create", request=request, user=by, obj=partner, detail={"station": partner.station_id})
    return partner


@transaction.atomic
def postdoc_enter(*, postdoc: Postdoc, by: User, request: Any = None) -> Postdoc:
    """进站: deadlines from the entry date, the talent marked 博士后, the station running, the subsidy granted."""
    station = Station.objects.select_for_update().get(pk=postdoc.station_id)
    if station.stage not in OPEN_STAGES:
        raise ValidationError(f"工作站当前为{station.get_stage_display()}，获批设站后才能招收博士后")
    if postdoc.partner_id and postdoc.partner.station_id != station.pk:
        raise ValidationError("合作流动站不属于该工作站")
    if Postdoc.objects.filter(talent=postdoc.talent_id, stage__in=ACTIVE_STAGES).exists():
        raise ValidationError(f"{postdoc.talent.name}已在站，不能重复进站")
    if postdoc.partner_id and not postdoc.co_supervisor:
        postdoc.co_supervisor = postdoc.partner.co_supervisor
        postdoc.co_supervisor_user = postdoc.co_supervisor_user or postdoc.partner.co_supervisor_user
    due = deadlines_from(postdoc.entered_on, station_terms(station))
    postdoc.proposal_due, postdoc.midterm_due, postdoc.exit_due = due.proposal, due.midterm, due.exit
    postdoc.stage, postdoc.created_by = PostdocStage.ENTERED, by
    postdoc.full_clean()
    postdoc.save()
    Talent.objects.filter(pk=postdoc.talent_id).update(talent_type=TalentType.POSTDOC)
    postdoc.talent.talent_type = TalentType.POSTDOC  # the subsidy's eligibility trace reads this instance
    Milestone.objects.create(postdoc=postdoc, kind=Milestone.Kind.ENTRY, on=postdoc.entered_on, by=by,
                             result=Milestone.Result.PASSED, note=postdoc.topic)
    if station.stage == Stage.APPROVED:
        station_transition(station=station, to=Stage.OPERATING, on=postdoc.entered_on, by=by,
                           note="首位博士后进站", request=request)
    audit_record(action="create", request=request, user=by, obj=postdoc,
                 detail={"station": station.pk, "entered_on": postdoc.entered_on.isoformat()})
    subsidy_on_entry(postdoc=postdoc, by=by, request=request)
    return postdoc


@dataclass(frozen=True)
class Step:
    kind: Milestone.Kind
    after: tuple[PostdocStage, ...]  # the stages it may be recorded from
    to: PostdocStage | None  # where a passed review leads; None keeps the stage
    refusal: str  # why it is refused from any other stage


# A postdoc's life as data: the order of the reviews, and the two ways out of it early.
STEPS: dict[str, Step] = {s.kind: s for s in (
    Step(Milestone.Kind.PROPOSAL, (PostdocStage.ENTERED,), PostdocStage.PROPOSED, "开题只能在进站后、中期评估前记录"),
    Step(Milestone.Kind.MIDTERM, (PostdocStage.PROPOSED,), PostdocStage.MIDTERM, "尚未通过开题，不能进行中期评估"),
    Step(Milestone.Kind.EXIT, (PostdocStage.MIDTERM,), PostdocStage.COMPLETED,
         "尚未通过中期评估，不能期满出站；提前离站请记录为退站"),
    Step(Milestone.Kind.EXTENSION, ACTIVE_STAGES, None, "已离站，不能延期"),
    Step(Milestone.Kind.WITHDRAWAL, ACTIVE_STAGES, PostdocStage.WITHDRAWN, "已离站，不能退站"),
)}
REVIEWED = (Milestone.Kind.PROPOSAL, Milestone.Kind.MIDTERM, Milestone.Kind.EXIT)


def steps_for(postdoc: Postdoc) -> list[Step]:
    return [s for s in STEPS.values() if postdoc.stage in s.after]


def _check(postdoc: Postdoc, step: Step, *, on: date, result: str, note: str, months: int) -> None:
    if postdoc.stage not in step.after:
        raise ValidationError(step.refusal)
    if on < postdoc.entered_on:
        raise ValidationError("日期不能早于进站日期")
    if step.kind in REVIEWED and result not in (Milestone.Result.PASSED, Milestone.Result.FAILED):
        raise ValidationError(f"{step.kind}须填写评审结果")
    if step.kind == Milestone.Kind.WITHDRAWAL and not note:
        raise ValidationError("退站须填写原因")
    if step.kind == Milestone.Kind.EXTENSION and months <= 0:
        raise ValidationError("延期须填写延期月数")


@transaction.atomic
def postdoc_record(*, postdoc: Postdoc, kind: str, on: date, by: User, result: str = "", documents: str = "",
                   note: str = "", months: int = 0, stayed_in_zone: bool | None = None, document: Any = None,
                   request: Any = None) -> Milestone:
    """Record a milestone; a passed review moves the postdoc on, an extension moves the exit deadline,
    退站 stops the unpaid subsidy with the reason."""
    postdoc = Postdoc.objects.select_for_update().select_related("station", "talent").get(pk=postdoc.pk)
    step = STEPS.get(kind)
    if step is None:
        raise ValidationError("未知的事项")
    note = note.strip()
    _check(postdoc, step, on=on, result=result, note=note, months=months)
    old = postdoc.stage
    if step.kind == Milestone.Kind.EXTENSION:
        postdoc.extension_months += months
        postdoc.exit_due = deadlines_from(postdoc.entered_on, station_terms(postdoc.station),
                                          postdoc.extension_months).exit
        note = f"延期{months}个月，出站截止改为{postdoc.exit_due:%Y-%m-%d}" + (f"；{note}" if note else "")
    elif step.to is not None and (step.kind not in REVIEWED or result == Milestone.Result.PASSED):
        postdoc.stage = step.to
    if postdoc.stage in (PostdocStage.COMPLETED, PostdocStage.WITHDRAWN):
        postdoc.left_on = on
        postdoc.stayed_in_zone = stayed_in_zone
    postdoc.save()
    milestone = Milestone(postdoc=postdoc, kind=step.kind, on=on, result=result if step.kind in REVIEWED else "",
                          documents=documents.strip(), note=note, by=by)
    if document:
        milestone.document = document
    milestone.save()
    audit_record(action="update", request=request, user=by, obj=postdoc,
                 detail={"milestone": step.kind, "on": on.isoformat(), "result": result, "stage": [old, postdoc.stage]})
    if postdoc.stage == PostdocStage.WITHDRAWN:
        subsidy_on_leave(postdoc=postdoc, reason=f"{on:%Y-%m-%d}退站：{note}", by=by, request=request)
    return milestone


@transaction.atomic
def settings_update(*, settings: PostdocSettings, by: User, request: Any = None) -> PostdocSettings:
    settings.reminder_days = sorted({int(d) for d in settings.reminder_days if int(d) > 0}, reverse=True)
    settings.full_clean()
    settings.save()
    audit_record(action="update", request=request, user=by, obj=settings,
                 detail={"months": [settings.proposal_months, settings.midterm_months, settings.exit_months],
                         "reminder_days": settings.reminder_days})
    return settings
