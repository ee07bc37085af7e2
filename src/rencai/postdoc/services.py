"""Writes to stations and postdocs: each step with its history row, audit entry and its consequences
(the platform register, the next deadline, the subsidy entitlements)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from rencai.core.audit import audit_record
from rencai.core.lifecycle import STAY, SYSTEM, Lifecycle, Move
from rencai.core.models import User
from rencai.core.roles import REGISTER_WRITERS
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
)
from rencai.postdoc.subsidies import subsidy_on_entry, subsidy_on_leave, subsidy_on_station_approved
from rencai.talents.models import Talent, TalentType


def _station_members(station: Station) -> list[User]:
    return list(station.enterprise.members.filter(is_active=True))


def _station_url(station: Station) -> str:
    return reverse("postdoc:station", args=[station.pk])


def _no_postdoc_in_station(station: Station, user: User | None) -> str | None:
    if station.postdocs.filter(stage__in=ACTIVE_STAGES).exists():
        return f"工作站“{station}”尚有在站博士后，不能撤站；请先办理出站或退站"
    return None


EARLY = (Stage.SURVEY, Stage.EVALUATION, Stage.APPLICATION)
# A station's life; anything not listed is refused. 撤站 and 终止 need a reason; 获批设站 a document number.
STATION_LIFE = Lifecycle(field="stage", states=Stage, label="工作站", key="postdoc.station", url=_station_url, moves=[
    Move("evaluate", (Stage.SURVEY,), Stage.EVALUATION, REGISTER_WRITERS, "进入项目评估"),
    Move("recommend", (Stage.EVALUATION,), Stage.APPLICATION, REGISTER_WRITERS, "评估通过，申报推荐"),
    Move("back_to_survey", (Stage.EVALUATION,), Stage.SURVEY, REGISTER_WRITERS, "退回调研"),
    Move("approve", (Stage.APPLICATION,), Stage.APPROVED, REGISTER_WRITERS, "获批设站", notify=_station_members),
    Move("not_recommended", (Stage.APPLICATION,), Stage.EVALUATION, REGISTER_WRITERS, "未获推荐，退回评估"),
    Move("terminate", EARLY, Stage.WITHDRAWN, REGISTER_WRITERS, "终止", reason_required=True,
         notify=_station_members),
    Move("operate", (Stage.APPROVED,), Stage.OPERATING, REGISTER_WRITERS | {SYSTEM}, "开始运行"),
    Move("withdraw", (Stage.APPROVED, Stage.OPERATING), Stage.WITHDRAWN, REGISTER_WRITERS, "撤站",
         reason_required=True, guard=_no_postdoc_in_station, notify=_station_members),
])


def station_moves(station: Station, user: User | None = None) -> list[Move]:
    if user is None:
        return STATION_LIFE.moves_from(station.stage)
    return STATION_LIFE.moves_for(station, user)


def station_terms(station: Station) -> Terms:
    """The station's own deadline months where set, else the office's defaults."""
    defaults = PostdocSettings.current()
    return Terms(proposal_months=station.proposal_months or defaults.proposal_months,
                 midterm_months=station.midterm_months or defaults.midterm_months,
                 exit_months=station.exit_months or defaults.exit_months)


@transaction.atomic
def station_create(*, station: Station, by: User, request: HttpRequest | None = None) -> Station:
    station.created_by = by
    station.stage = Stage.SURVEY
    station.full_clean()
    station.save()
    STATION_LIFE.record(station, move="create", label="登记", by=by, on=timezone.localdate(station.created_at))
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
def station_transition(*, station: Station, on: date, by: User, to: str = "", move: str = "", note: str = "",
                       approval_number: str = "", request: HttpRequest | None = None) -> Station:
    """A step in a station's life; 获批设站 also registers the platform and grants the station's subsidy."""
    note, approval_number = note.strip(), approval_number.strip()
    if not move:
        current = Station.objects.filter(pk=station.pk).values_list("stage", flat=True).first() or station.stage
        leading = [m for m in STATION_LIFE.moves_from(current) if m.to == to]
        if len(leading) != 1:
            target = Stage(to).label if to in Stage.values else to
            raise ValidationError(f"工作站“{station}”当前为{STATION_LIFE.state_label(current)}，不能改为{target}")
        move = leading[0].name

    def apply(fresh: Station) -> None:
        if fresh.stage == Stage.APPROVED:
            if not approval_number:
                raise ValidationError(f"工作站“{fresh}”获批设站须填写批准文号")
            fresh.approved_on, fresh.approval_number = on, approval_number
            fresh.platform = _sync_platform(fresh)
        if fresh.stage == Stage.WITHDRAWN:
            fresh.withdrawn_on, fresh.withdrawn_reason = on, note

    station = STATION_LIFE.transition(station, move=move, by=by, reason=note or approval_number, on=on,
                                      request=request, apply=apply,
                                      data={"approval_number": approval_number} if approval_number else None)
    if station.stage == Stage.APPROVED:
        subsidy_on_station_approved(station=station, by=by, request=request)
    return station


@transaction.atomic
def assistance_record(*, assistance: Assistance, by: User, request: HttpRequest | None = None) -> Assistance:
    assistance.by = by
    target = assistance.postdoc or assistance.station
    assistance.stage = assistance.stage or (target.get_stage_display() if target else "")
    assistance.full_clean()
    assistance.save()
    audit_record(action="create", request=request, user=by, obj=assistance,
                 detail={"station": assistance.station_id, "postdoc": assistance.postdoc_id})
    return assistance


@transaction.atomic
def partner_add(*, partner: Partner, by: User, request: HttpRequest | None = None) -> Partner:
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
def postdoc_enter(*, postdoc: Postdoc, by: User, request: HttpRequest | None = None) -> Postdoc:
    """进站: deadlines from the entry date, the talent marked 博士后, the station running, the subsidy granted."""
    station = Station.objects.select_for_update().get(pk=postdoc.station_id)
    if station.stage not in OPEN_STAGES:
        raise ValidationError(f"工作站当前为{station.get_stage_display()}，获批设站后才能招收博士后")
    if postdoc.partner_id and postdoc.partner is not None and postdoc.partner.station_id != station.pk:
        raise ValidationError("合作流动站不属于该工作站")
    if Postdoc.objects.filter(talent=postdoc.talent_id, stage__in=ACTIVE_STAGES).exists():
        raise ValidationError(f"{postdoc.talent.name}已在站，不能重复进站")
    if postdoc.partner_id and not postdoc.co_supervisor and postdoc.partner is not None:
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
    POSTDOC_LIFE.record(postdoc, move="enter", label="进站", by=by, on=postdoc.entered_on, reason=postdoc.topic)
    if station.stage == Stage.APPROVED:
        station_transition(station=station, move="operate", on=postdoc.entered_on, by=by,
                           note="首位博士后进站", request=request)
    audit_record(action="create", request=request, user=by, obj=postdoc,
                 detail={"station": station.pk, "entered_on": postdoc.entered_on.isoformat()})
    subsidy_on_entry(postdoc=postdoc, by=by, request=request)
    return postdoc


def _postdoc_people(postdoc: Postdoc) -> list[User]:
    return [u for u in (postdoc.talent.user, postdoc.co_supervisor_user) if u is not None]


def _postdoc_url(postdoc: Postdoc) -> str:
    return reverse("postdoc:postdoc", args=[postdoc.pk])


P = PostdocStage
# A postdoc's life as data: the order of the reviews, a failed review (recorded, the stage kept), an extension,
# and the two ways out. The milestone (documents, result, attachment) is the domain record of each step.
POSTDOC_LIFE = Lifecycle(field="stage", states=PostdocStage, label="博士后", key="postdoc.postdoc", url=_postdoc_url,
                         moves=[
    Move("proposal", (P.ENTERED,), P.PROPOSED, REGISTER_WRITERS, "开题", notify=_postdoc_people,
         hint="开题只能在进站后、中期评估前记录"),
    Move("proposal_failed", (P.ENTERED,), STAY, REGISTER_WRITERS, "开题未通过", notify=_postdoc_people,
         hint="开题只能在进站后、中期评估前记录"),
    Move("midterm", (P.PROPOSED,), P.MIDTERM, REGISTER_WRITERS, "中期评估", notify=_postdoc_people,
         hint="尚未通过开题，不能进行中期评估"),
    Move("midterm_failed", (P.PROPOSED,), STAY, REGISTER_WRITERS, "中期评估未通过", notify=_postdoc_people,
         hint="尚未通过开题，不能进行中期评估"),
    Move("exit", (P.MIDTERM,), P.COMPLETED, REGISTER_WRITERS, "期满出站", notify=_postdoc_people,
         hint="尚未通过中期评估，不能期满出站；提前离站请记录为退站"),
    Move("exit_failed", (P.MIDTERM,), STAY, REGISTER_WRITERS, "出站评审未通过", notify=_postdoc_people,
         hint="尚未通过中期评估，不能期满出站；提前离站请记录为退站"),
    Move("extend", ACTIVE_STAGES, STAY, REGISTER_WRITERS, "延期", notify=_postdoc_people, hint="已离站，不能延期"),
    Move("withdraw", ACTIVE_STAGES, P.WITHDRAWN, REGISTER_WRITERS, "退站", reason_required=True,
         notify=_postdoc_people, hint="已离站，不能退站"),
])
# The milestone each move records; a review's move depends on its result.
MOVE_KIND: dict[str, tuple[Milestone.Kind, ...]] = {
    "proposal": (Milestone.Kind.PROPOSAL,), "midterm": (Milestone.Kind.MIDTERM,), "exit": (Milestone.Kind.EXIT,),
    "extend": (Milestone.Kind.EXTENSION,), "withdraw": (Milestone.Kind.WITHDRAWAL,),
}
KIND_MOVE: dict[str, str] = {kind: move for move, kinds in MOVE_KIND.items() for kind in kinds}
REVIEWED = (Milestone.Kind.PROPOSAL, Milestone.Kind.MIDTERM, Milestone.Kind.EXIT)


@dataclass(frozen=True)
class Step:
    """A milestone the office may record now (the page's choice list)."""

    kind: Milestone.Kind
    label: str


def steps_for(postdoc: Postdoc, user: User | None = None) -> list[Step]:
    moves = POSTDOC_LIFE.moves_for(postdoc, user) if user else POSTDOC_LIFE.moves_from(postdoc.stage)
    names = {m.name for m in moves}
    return [Step(Milestone.Kind(kinds[0]), str(kinds[0])) for move, kinds in MOVE_KIND.items() if move in names]


def _check(postdoc: Postdoc, kind: str, *, on: date, result: str, months: int) -> None:
    if on < postdoc.entered_on:
        raise ValidationError("日期不能早于进站日期")
    if kind in REVIEWED and result not in (Milestone.Result.PASSED, Milestone.Result.FAILED):
        raise ValidationError(f"{kind}须填写评审结果")
    if kind == Milestone.Kind.EXTENSION and months <= 0:
        raise ValidationError("延期须填写延期月数")


@transaction.atomic
def postdoc_record(*, postdoc: Postdoc, kind: str, on: date, by: User, result: str = "", documents: str = "",
                   note: str = "", months: int = 0, stayed_in_zone: bool | None = None, document: Any = None,
                   request: HttpRequest | None = None) -> Milestone:
    """Record a milestone; a passed review moves the postdoc on, an extension moves the exit deadline,
    退站 stops the unpaid subsidy with the reason."""
    move = KIND_MOVE.get(kind)
    if move is None:
        raise ValidationError("未知的事项")
    if kind in REVIEWED and result == Milestone.Result.FAILED:
        move += "_failed"
    note = note.strip()
    extension_note = ""

    def apply(fresh: Postdoc) -> None:
        nonlocal extension_note
        _check(fresh, kind, on=on, result=result, months=months)
        if kind == Milestone.Kind.EXTENSION:
            fresh.extension_months += months
            fresh.exit_due = deadlines_from(fresh.entered_on, station_terms(fresh.station), fresh.extension_months).exit
            extension_note = f"延期{months}个月，出站截止改为{fresh.exit_due:%Y-%m-%d}"
        if fresh.stage in (PostdocStage.COMPLETED, PostdocStage.WITHDRAWN):
            fresh.left_on = on
            fresh.stayed_in_zone = stayed_in_zone

    postdoc = POSTDOC_LIFE.transition(postdoc, move=move, by=by, reason=note, on=on, request=request, apply=apply,
                                      data={"milestone": kind, "result": result} if result else {"milestone": kind})
    if extension_note:
        note = extension_note + (f"；{note}" if note else "")
    milestone = Milestone(postdoc=postdoc, kind=kind, on=on, result=result if kind in REVIEWED else "",
                          documents=documents.strip(), note=note, by=by)
    if document:
        milestone.document = document
    milestone.save()
    if postdoc.stage == PostdocStage.WITHDRAWN:
        subsidy_on_leave(postdoc=postdoc, reason=f"{on:%Y-%m-%d}退站：{note}", by=by, request=request)
    return milestone


@transaction.atomic
def settings_update(*, settings: PostdocSettings, by: User, request: HttpRequest | None = None) -> PostdocSettings:
    settings.reminder_days = sorted({int(d) for d in settings.reminder_days if int(d) > 0}, reverse=True)
    settings.full_clean()
    settings.save()
    audit_record(action="update", request=request, user=by, obj=settings,
                 detail={"months": [settings.proposal_months, settings.midterm_months, settings.exit_months],
                         "reminder_days": settings.reminder_days})
    return settings
