"""Writes of this area: every change, its audit entry and its notices in one function.

Clocks: every period is counted in working days through core.workcalendar (holidays, 调休). A request and each
of its bureau tasks has a last day (`due_on`); a clock paused while waiting for the talent (补充材料) keeps the
working days it had left and spends them again from the day it resumes. A task or request is overdue from the
first day after its last day, and the daily scan escalates it to the office on exactly that day, once.
"""

from __future__ import annotations

import secrets
import time
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from rencai.core import inbox
from rencai.core.audit import audit_record
from rencai.core.lifecycle import SYSTEM, Lifecycle, Move
from rencai.core.models import City, User, Zone
from rencai.core.roles import REGISTER_WRITERS, Role
from rencai.core.scoping import require_city_level
from rencai.core.workcalendar import add_working_days, working_days_between
from rencai.onestop import cardtoken
from rencai.onestop.models import (
    VISIT_CADENCE_DAYS,
    Building,
    CardStatus,
    CaseStatus,
    ExpertVisit,
    FamilyMember,
    Leader,
    PartnerVenue,
    Rectification,
    Redemption,
    RequestStatus,
    ServiceItem,
    ServiceRequest,
    ServiceTask,
    SigningKey,
    TalentCard,
    TaskStatus,
    Tenancy,
    TenancyStatus,
    Unit,
    UnitStatus,
    VisitCadence,
    WaitlistEntry,
    WaitStatus,
)
from rencai.onestop.notices import CARD, ESCALATION, PROGRESS, RECTIFY, TASK, VISIT_DUE
from rencai.orgs.models import Enterprise
from rencai.talents.models import Talent, Tier

BAD_RATING = 2  # 1–2 stars (不满意、非常不满意) open a rectification case
CALLBACK_DAYS, FIX_DAYS = 1, 15
RATING_TAGS = ["办事快", "态度好", "材料少", "一次办好", "办理慢", "多次跑", "材料繁", "态度差"]
CARD_YEARS = 3
TALENT = frozenset({Role.TALENT})
BUREAU = frozenset({Role.BUREAU})


# --- who hears -----------------------------------------------------------------------------------------------
def office_users(zone: Zone) -> list[User]:
    """The zone's office writers and the city-level ones above them."""
    return list(User.objects.filter(is_active=True, role__in=REGISTER_WRITERS)
                .filter(Q(zone=zone) | Q(zone__isnull=True, city=zone.city_id)))


def bureau_users(bureau_id: int) -> list[User]:
    return list(User.objects.filter(is_active=True, role=Role.BUREAU, bureau_id=bureau_id))


def _talent_user(request: ServiceRequest) -> list[User]:
    user = request.talent.user
    return [user] if user is not None else []


def _request_url(request: ServiceRequest) -> str:
    return reverse("onestop:request_detail", args=[request.pk])


def _task_url(task: ServiceTask) -> str:
    return reverse("onestop:task_detail", args=[task.pk])


# --- lifecycles ---------------------------------------------------------------------------------------------
REQUEST_LIFE = Lifecycle(field="status", states=RequestStatus, label="服务申请", key="onestop.request",
                         kind=PROGRESS, url=_request_url, moves=[
    Move("pause", (RequestStatus.IN_PROGRESS,), RequestStatus.WAITING, BUREAU | {SYSTEM}, "暂停计时，待补充材料",
         notify=_talent_user),
    Move("resume", (RequestStatus.WAITING,), RequestStatus.IN_PROGRESS, TALENT | REGISTER_WRITERS | {SYSTEM},
         "材料已补充，恢复计时"),
    Move("finish", (RequestStatus.IN_PROGRESS,), RequestStatus.DONE, BUREAU | REGISTER_WRITERS | {SYSTEM},
         "全部办结", notify=_talent_user),
    Move("rate", (RequestStatus.DONE,), RequestStatus.RATED, TALENT | REGISTER_WRITERS, "评价"),
    Move("cancel", (RequestStatus.IN_PROGRESS, RequestStatus.WAITING), RequestStatus.CANCELLED,
         TALENT | REGISTER_WRITERS, "撤回申请", reason_required=True),
])

TASK_LIFE = Lifecycle(field="status", states=TaskStatus, label="局办任务", key="onestop.task", kind=TASK,
                      url=_task_url, moves=[
    Move("ask_more", (TaskStatus.OPEN,), TaskStatus.WAITING, BUREAU, "请人才补充材料", reason_required=True),
    Move("supplied", (TaskStatus.WAITING,), TaskStatus.OPEN, TALENT | REGISTER_WRITERS, "已补充材料"),
    Move("finish", (TaskStatus.OPEN,), TaskStatus.DONE, BUREAU | REGISTER_WRITERS, "办结"),
    Move("cancel", (TaskStatus.OPEN, TaskStatus.WAITING), TaskStatus.CANCELLED, TALENT | REGISTER_WRITERS | {SYSTEM},
         "撤回"),
])

CASE_LIFE = Lifecycle(field="status", states=CaseStatus, label="差评整改", key="onestop.rectification", kind=RECTIFY,
                      url=lambda case: reverse("onestop:case_detail", args=[case.pk]), moves=[
    Move("call_back", (CaseStatus.OPEN,), CaseStatus.CALLED, REGISTER_WRITERS, "已回访", reason_required=True),
    Move("fix", (CaseStatus.CALLED,), CaseStatus.FIXED, REGISTER_WRITERS, "整改完成", reason_required=True,
         notify=lambda case: _talent_user(case.request)),
    Move("follow_up", (CaseStatus.FIXED,), CaseStatus.CLOSED, TALENT | REGISTER_WRITERS, "复评"),
])


# --- clocks -------------------------------------------------------------------------------------------------
def resumed_due(due_on: date, paused_on: date, resumed_on: date) -> date:
    """The last day after a pause: the working days left when paused are spent again from the day it resumes."""
    left = working_days_between(paused_on, due_on)
    return add_working_days(resumed_on, left) if left > 0 else due_on


def _today(on: date | None) -> date:
    return on or timezone.localdate()


# --- catalog ------------------------------------------------------------------------------------------------
def item_save(*, item: ServiceItem, bureaus: list[Any] | None, by: User,
              request: HttpRequest | None = None) -> ServiceItem:
    if by.role not in REGISTER_WRITERS:
        raise PermissionDenied("只有人才办工作人员可以编辑服务目录")
    with transaction.atomic():
        created = item.pk is None
        item.full_clean(exclude=["bureaus"])
        item.save()
        if bureaus is not None:
            item.bureaus.set(bureaus)
        audit_record(action="create" if created else "update", request=request, user=by, obj=item,
                     detail={"bureaus": [str(b) for b in item.bureaus.all()], "limit": item.time_limit_days})
    return item


# --- requests -----------------------------------------------------------------------------------------------
def request_create(*, talent: Talent, item: ServiceItem, by: User, details: str = "", on: date | None = None,
                   request: HttpRequest | None = None) -> ServiceRequest:
    """The talent (or the office for them) asks; one task per handling bureau, each with its clock."""
    if by.role == Role.TALENT and talent.user_id != by.pk:
        raise PermissionDenied("只能为本人申请服务")
    if by.role not in REGISTER_WRITERS | TALENT:
        raise PermissionDenied("您的角色不能提交服务申请")
    if not item.entitles(talent):
        raise ValidationError(f"“{item.name}”不适用于该人才的层次或类型")
    bureaus = list(item.bureaus.all())
    if not bureaus:
        raise ValidationError(f"“{item.name}”尚未指定承办局办")
    day = _today(on)
    with transaction.atomic():
        sr = ServiceRequest.objects.create(talent=talent, item=item, details=details.strip(), submitted_on=day,
                                           due_on=add_working_days(day, item.time_limit_days), created_by=by)
        tasks = [ServiceTask.objects.create(request=sr, bureau=b, started_on=day,
                                            due_on=add_working_days(day, item.task_limit_days)) for b in bureaus]
        REQUEST_LIFE.record(sr, move="create", label="提交申请", by=by, on=day)
        if item.policy_id is not None:
            _route_to_policy(sr, by=by, request=request)
        audit_record(action="create", request=request, user=by, obj=sr,
                     detail={"item": item.code, "bureaus": [b.code for b in bureaus], "due_on": sr.due_on.isoformat(),
                             "policy_application": sr.policy_application_id,
                             "policy_entitlement": sr.policy_entitlement_id})
        for task in tasks:
            inbox.notify(recipients=bureau_users(task.bureau_id), kind=TASK, subject=task, url=_task_url(task),
                         text=f"新的服务任务：{sr}，请于{task.due_on:%Y-%m-%d}前办结")
    return sr


def _route_to_policy(sr: ServiceRequest, *, by: User, request: HttpRequest | None) -> None:
    """The money part of the item goes through 政策兑现, never through this app: link the talent's live
    entitlement of the item's policy (免申即享 already found it) or live application, else submit one. From there
    the policy's own path pays it: 初审, 复审 by someone else, 公示, 批准 (reserves the budget) by an admin who
    reviewed neither, the talent confirms the bank account, finance (not the approver) pays."""
    from rencai.policies.models import Application, Entitlement, Policy
    from rencai.policies.review import application_submit

    assert sr.item.policy_id is not None
    policy = Policy.objects.get(pk=sr.item.policy_id)  # as stored now: an office may have closed it
    talent = sr.talent
    had = (Entitlement.objects.filter(policy=policy, talent=talent).exclude(status=Entitlement.Status.STOPPED)
           .order_by("pk").first())
    if had is not None:
        sr.policy_entitlement = had
    else:
        live = (Application.objects.filter(policy=policy, talent=talent).exclude(status=Application.Status.REJECTED)
                .order_by("pk").first())
        sr.policy_application = live or application_submit(
            policy=policy, beneficiary=talent, by=by, request=request,
            statement=f"经一站式服务“{sr.item.name}”提交（服务申请 #{sr.pk}）\n{sr.details}".strip())
    sr.save(update_fields=["policy_application", "policy_entitlement"])


def _check_bureau(task: ServiceTask, by: User) -> None:
    if by.role == Role.BUREAU and by.bureau_id != task.bureau_id:
        raise PermissionDenied("只能办理本局办的任务")


def task_ask_more(*, task: ServiceTask, by: User, wanted: str, on: date | None = None,
                  request: HttpRequest | None = None) -> ServiceTask:
    """The bureau asks the talent for more documents: the task's clock and the request's clock pause."""
    _check_bureau(task, by)
    day = _today(on)
    with transaction.atomic():
        def apply(fresh: ServiceTask) -> None:
            fresh.paused_on = day
            fresh.wanted = wanted.strip()[:300]

        TASK_LIFE.transition(task, move="ask_more", by=by, reason=wanted, on=day, request=request, apply=apply)
        sr = task.request
        if sr.status == RequestStatus.IN_PROGRESS:
            REQUEST_LIFE.transition(sr, move="pause", by=by, reason=wanted, on=day, request=request,
                                    apply=lambda fresh: setattr(fresh, "paused_on", day))
    return task


def task_supplied(*, task: ServiceTask, by: User, on: date | None = None, note: str = "",
                  request: HttpRequest | None = None) -> ServiceTask:
    """The talent has supplied the documents: the clocks resume with the working days they had left."""
    if by.role == Role.TALENT and task.request.talent.user_id != by.pk:
        raise PermissionDenied("只能为本人的申请补充材料")
    day = _today(on)
    with transaction.atomic():
        def apply(fresh: ServiceTask) -> None:
            fresh.due_on = resumed_due(fresh.due_on, fresh.paused_on or day, day)
            fresh.paused_on = None

        TASK_LIFE.transition(task, move="supplied", by=by, reason=note, on=day, request=request, apply=apply)
        sr = ServiceRequest.objects.get(pk=task.request_id)
        still_waiting = sr.tasks.filter(status=TaskStatus.WAITING).exists()
        if sr.status == RequestStatus.WAITING and not still_waiting:
            def resume(fresh: ServiceRequest) -> None:
                fresh.due_on = resumed_due(fresh.due_on, fresh.paused_on or day, day)
                fresh.paused_on = None

            REQUEST_LIFE.transition(sr, move="resume", by=by, on=day, request=request, apply=resume)
        inbox.notify(recipients=bureau_users(task.bureau_id), kind=TASK, subject=task, url=_task_url(task),
                     text=f"{sr}：人才已补充材料，恢复计时，期限{task.due_on:%Y-%m-%d}")
    return task


def task_finish(*, task: ServiceTask, by: User, result: str = "", on: date | None = None,
                request: HttpRequest | None = None) -> ServiceTask:
    """A bureau finishes its part; when every task is done the request is done (办结) and the talent told."""
    _check_bureau(task, by)
    day = _today(on)
    with transaction.atomic():
        def apply(fresh: ServiceTask) -> None:
            fresh.done_on = day
            fresh.result = result.strip()

        TASK_LIFE.transition(task, move="finish", by=by, reason=result, on=day, request=request, apply=apply)
        sr = ServiceRequest.objects.get(pk=task.request_id)
        left = sr.tasks.exclude(status__in=[TaskStatus.DONE, TaskStatus.CANCELLED]).exists()
        if not left and sr.status == RequestStatus.IN_PROGRESS:
            REQUEST_LIFE.transition(sr, move="finish", by=by, on=day, request=request,
                                    apply=lambda fresh: setattr(fresh, "done_on", day))
        elif left:
            inbox.notify(recipients=_talent_user(sr), kind=PROGRESS, subject=sr, url=_request_url(sr),
                         text=f"{sr}：{task.bureau.name}已办结")
    return task


def request_cancel(*, sr: ServiceRequest, by: User, reason: str, request: HttpRequest | None = None) -> ServiceRequest:
    if by.role == Role.TALENT and sr.talent.user_id != by.pk:
        raise PermissionDenied("只能撤回本人的申请")
    with transaction.atomic():
        REQUEST_LIFE.transition(sr, move="cancel", by=by, reason=reason, request=request)
        for task in sr.tasks.filter(status__in=[TaskStatus.OPEN, TaskStatus.WAITING]):
            TASK_LIFE.transition(task, move="cancel", by=None)
    return sr


def request_rate(*, sr: ServiceRequest, by: User, stars: int, tags: list[str] | None = None, comment: str = "",
                 on: date | None = None, request: HttpRequest | None = None) -> ServiceRequest:
    """好差评 with five levels and tags; 1–2 stars open a rectification case with its own clocks."""
    if by.role == Role.TALENT and sr.talent.user_id != by.pk:
        raise PermissionDenied("只能评价本人的申请")
    if not 1 <= int(stars) <= 5:
        raise ValidationError("评价为1到5星")
    tags = [t for t in (tags or []) if t in RATING_TAGS]
    day = _today(on)
    with transaction.atomic():
        def apply(fresh: ServiceRequest) -> None:
            fresh.rating, fresh.rating_tags, fresh.rating_comment = int(stars), tags, comment.strip()[:300]

        REQUEST_LIFE.transition(sr, move="rate", by=by, on=day, request=request, apply=apply,
                                data={"stars": int(stars), "tags": tags})
        if int(stars) <= BAD_RATING:
            rectification_open(sr=sr, on=day)
    return sr


def rectification_open(*, sr: ServiceRequest, on: date) -> Rectification:
    start = on + timedelta(days=1)  # "within 1 working day" counts from the day after the rating
    case = Rectification.objects.create(request=sr, opened_on=on, callback_due=add_working_days(start, CALLBACK_DAYS),
                                        fix_due=add_working_days(start, FIX_DAYS))
    CASE_LIFE.record(case, move="open", label="差评立案", by=None, on=on)
    audit_record(action="create", obj=case, detail={"rating": sr.rating, "callback_due": case.callback_due.isoformat(),
                                                    "fix_due": case.fix_due.isoformat()})
    inbox.notify(recipients=office_users(sr.talent.zone), kind=RECTIFY, subject=case,
                 url=reverse("onestop:case_detail", args=[case.pk]),
                 text=f"差评：{sr}（{sr.rating}星），请于{case.callback_due:%Y-%m-%d}前回访、"
                      f"{case.fix_due:%Y-%m-%d}前整改")
    return case


def case_move(*, case: Rectification, move: str, by: User, note: str = "", stars: int | None = None,
              on: date | None = None, request: HttpRequest | None = None) -> Rectification:
    day = _today(on)
    if move == "follow_up":
        if by.role == Role.TALENT and case.request.talent.user_id != by.pk:
            raise PermissionDenied("只能复评本人的申请")
        if stars is None or not 1 <= int(stars) <= 5:
            raise ValidationError("复评为1到5星")

    def apply(fresh: Rectification) -> None:
        if move == "call_back":
            fresh.called_on, fresh.callback_note = day, note.strip()
        elif move == "fix":
            fresh.fixed_on, fresh.fix_note = day, note.strip()
        elif move == "follow_up":
            fresh.followup_rating = int(stars or 0)

    return CASE_LIFE.transition(case, move=move, by=by, reason=note, on=day, request=request, apply=apply)


# --- the daily scan -----------------------------------------------------------------------------------------
def escalate_overdue(today: date) -> dict[str, int]:
    """Tasks, requests and rectification cases past their last day (and not paused) go to the office, once."""
    counts = {"tasks": 0, "requests": 0, "cases": 0}
    tasks = (ServiceTask.objects.filter(status=TaskStatus.OPEN, due_on__lt=today, escalated_on__isnull=True)
             .select_related("request__talent__zone", "request__item", "bureau"))
    for task in tasks:
        with transaction.atomic():
            if ServiceTask.objects.filter(pk=task.pk, escalated_on__isnull=True).update(escalated_on=today):
                counts["tasks"] += 1
                inbox.notify(recipients=office_users(task.request.talent.zone) + bureau_users(task.bureau_id),
                             kind=ESCALATION, subject=task, url=_task_url(task), dedupe_key=f"task:{task.pk}",
                             text=f"超期：{task.bureau.name}办理“{task.request}”，期限{task.due_on:%Y-%m-%d}")
    requests = (ServiceRequest.objects.filter(status=RequestStatus.IN_PROGRESS, due_on__lt=today,
                                              escalated_on__isnull=True).select_related("talent__zone", "item"))
    for sr in requests:
        if ServiceRequest.objects.filter(pk=sr.pk, escalated_on__isnull=True).update(escalated_on=today):
            counts["requests"] += 1
            inbox.notify(recipients=office_users(sr.talent.zone), kind=ESCALATION, subject=sr, url=_request_url(sr),
                         dedupe_key=f"request:{sr.pk}", text=f"超期：“{sr}”未在{sr.due_on:%Y-%m-%d}前办结")
    cases = Rectification.objects.filter(escalated_on__isnull=True).filter(
        Q(status=CaseStatus.OPEN, callback_due__lt=today) | Q(status=CaseStatus.CALLED, fix_due__lt=today))
    for case in cases.select_related("request__talent__zone", "request__item"):
        if Rectification.objects.filter(pk=case.pk, escalated_on__isnull=True).update(escalated_on=today):
            counts["cases"] += 1
            inbox.notify(recipients=office_users(case.request.talent.zone), kind=ESCALATION, subject=case,
                         dedupe_key=f"case:{case.pk}", url=reverse("onestop:case_detail", args=[case.pk]),
                         text=f"整改超期：{case.request}")
    return counts


def cadence_for(city_id: int) -> dict[str, int]:
    """Days between visits by tier in this city: the office's rows, else the defaults (VISIT_CADENCE_DAYS).
    A row with no days switches its tier off."""
    days: dict[str, int | None] = dict(VISIT_CADENCE_DAYS)
    days.update(VisitCadence.objects.filter(city=city_id).values_list("tier", "days"))
    return {tier: n for tier, n in days.items() if n}


def cadence_save(*, city: City, days: dict[str, int | None], by: User,
                 request: HttpRequest | None = None) -> dict[str, tuple[int | None, int | None]]:
    """The office sets each tier's cadence; returns what changed (tier: (before, after)). Same values: no write."""
    if by.role not in REGISTER_WRITERS:
        raise PermissionDenied("只有人才办工作人员可以修改走访周期")
    require_city_level(by, "专家走访周期")
    before = {tier: cadence_for(city.pk).get(tier) for tier in Tier.values}
    changed = {tier: (before[tier], days.get(tier)) for tier in Tier.values
               if tier in days and (days[tier] or None) != before[tier]}
    with transaction.atomic():
        for tier, (_old, new) in changed.items():
            VisitCadence.objects.update_or_create(city=city, tier=tier,
                                                  defaults={"days": new or None, "updated_by": by})
        if changed:
            audit_record(action="update", request=request, user=by, object_type="onestop.visitcadence",
                         object_id=str(city.pk), detail={t: list(v) for t, v in changed.items()})
    return changed


def visits_due(today: date) -> int:
    """Experts whose tier's cadence has passed since their last visit: a notice to the office, once per period."""
    sent = 0
    cadences: dict[int, dict[str, int]] = {}
    for leader in Leader.objects.prefetch_related("talents__zone").select_related("zone"):
        for talent in leader.talents.all():
            city_id = talent.zone.city_id
            if city_id not in cadences:
                cadences[city_id] = cadence_for(city_id)
            cadence = cadences[city_id].get(talent.tier)
            if not cadence:
                continue
            last = ExpertVisit.objects.filter(talent=talent).order_by("-on").values_list("on", flat=True).first()
            if last is not None and (today - last).days < cadence:
                continue
            period = today.toordinal() // cadence
            made = inbox.notify(recipients=office_users(talent.zone), kind=VISIT_DUE, subject=talent,
                                dedupe_key=f"visit:{leader.pk}:{talent.pk}:{period}",
                                url=reverse("onestop:visits"),
                                text=f"走访到期：{leader.name}联系的专家{talent.name}（{talent.tier}类）"
                                     f"{'从未走访' if last is None else f'上次走访{last:%Y-%m-%d}'}")
            sent += len(made)
    return sent


def daily_job(today: date) -> dict[str, int]:
    return escalate_overdue(today) | {"visits_due": visits_due(today)}


def describe_daily(summary: dict[str, int]) -> str:
    return (f"超期上报：任务{summary.get('tasks', 0)}件、申请{summary.get('requests', 0)}件、"
            f"整改{summary.get('cases', 0)}件；走访到期提醒{summary.get('visits_due', 0)}条")


# --- the talent card ----------------------------------------------------------------------------------------
def signing_key() -> SigningKey:
    """The key in use, made on first need."""
    key = SigningKey.objects.filter(active=True).first()
    if key is None:
        private, public = cardtoken.new_key_pair()
        key = SigningKey.objects.create(kid=secrets.token_hex(4), private_key=private, public_key=public)
        audit_record(action="create", obj=key, detail={"public_key": public})
    return key


def card_issue(*, talent: Talent, by: User | None, on: date | None = None,
               request: HttpRequest | None = None) -> TalentCard:
    if by is not None and by.role not in REGISTER_WRITERS:
        raise PermissionDenied("只有人才办工作人员可以发放人才码")
    day = _today(on)
    card, created = TalentCard.objects.get_or_create(
        talent=talent, defaults={"number": f"RC{day:%Y}{secrets.randbelow(10**8):08d}", "issued_on": day,
                                 "expires_on": day.replace(year=day.year + CARD_YEARS)})
    if created:
        audit_record(action="create", request=request, user=by, obj=card, detail={"expires_on": str(card.expires_on)})
        if talent.user is not None:
            inbox.notify(recipients=[talent.user], kind=CARD, subject=card, url=reverse("onestop:mine"),
                         text=f"您的人才码已开通，有效期至{card.expires_on:%Y-%m-%d}")
    return card


def card_suspend(*, card: TalentCard, by: User, reason: str, request: HttpRequest | None = None) -> TalentCard:
    if by.role not in REGISTER_WRITERS:
        raise PermissionDenied("只有人才办工作人员可以暂停人才码")
    if not reason.strip():
        raise ValidationError("暂停人才码必须填写原因")
    card.status, card.suspended_reason = CardStatus.SUSPENDED, reason.strip()
    card.save(update_fields=["status", "suspended_reason"])
    audit_record(action="update", request=request, user=by, obj=card, detail={"status": "suspended", "reason": reason})
    return card


def card_restore(*, card: TalentCard, by: User, request: HttpRequest | None = None) -> TalentCard:
    if by.role not in REGISTER_WRITERS:
        raise PermissionDenied("只有人才办工作人员可以恢复人才码")
    card.status, card.suspended_reason = CardStatus.ACTIVE, ""
    card.save(update_fields=["status", "suspended_reason"])
    audit_record(action="update", request=request, user=by, obj=card, detail={"status": "active"})
    return card


def masked_name(name: str) -> str:
    return (name[0] + "*" * (len(name) - 1)) if name else ""


def card_entitlements(talent: Talent) -> list[ServiceItem]:
    """The catalog items the talent's tier and type give without application (免申即享)."""
    items = ServiceItem.objects.filter(city=talent.zone.city_id, active=True, without_application=True)
    return [item for item in items if item.entitles(talent)]


def card_token(card: TalentCard, *, now: float | None = None) -> str:
    """A fresh, short-lived signed code for the phone page."""
    if card.status != CardStatus.ACTIVE:
        raise ValidationError("人才码已暂停")
    if card.expires_on < timezone.localdate():
        raise ValidationError("人才码已过有效期")
    key = signing_key()
    issued = int(now if now is not None else time.time())
    talent = card.talent
    claims = {"kid": key.kid, "cid": card.number, "jti": secrets.token_hex(8), "n": masked_name(talent.name),
              "t": talent.tier, "e": [i.code for i in card_entitlements(talent)], "iat": issued,
              "exp": issued + cardtoken.LIFETIME_SECONDS}
    return cardtoken.sign(claims, key.private_key)


def card_verify(token: str, *, now: float | None = None) -> dict[str, Any]:
    """Verify with the published public key (as a partner offline would), then check the card is live."""
    kid = cardtoken.peek_kid(token)
    key = SigningKey.objects.filter(kid=kid).first()
    if key is None:
        raise cardtoken.CardRefused("不是本市人才办签发的人才码")
    claims = cardtoken.verify(token, key.public_key, now=now)
    card = TalentCard.objects.select_related("talent").filter(number=claims.get("cid")).first()
    if card is None:
        raise cardtoken.CardRefused("人才码不存在")
    if card.status != CardStatus.ACTIVE:
        raise cardtoken.CardRefused("人才码已暂停使用")
    if card.expires_on < timezone.localdate():
        raise cardtoken.CardRefused("人才码已过有效期")
    return claims | {"card": card}


def quota_left(card: TalentCard, item: ServiceItem, *, year: int | None = None) -> int:
    year = year or timezone.localdate().year
    used = Redemption.objects.filter(card=card, item=item, at__year=year).count()
    return max(item.card_quota - used, 0)


def redeem(*, token: str, item: ServiceItem, venue: PartnerVenue, by: User, now: float | None = None,
           request: HttpRequest | None = None) -> Redemption:
    """核销 one use at a partner venue: genuine, live, entitled, within the year's quota, each code once."""
    if by.role != Role.PARTNER or not venue.members.filter(pk=by.pk).exists():
        raise PermissionDenied("只有该服务点的工作人员可以核销")
    if not venue.items.filter(pk=item.pk).exists():
        raise cardtoken.CardRefused(f"本服务点不提供“{item.name}”")
    claims = card_verify(token, now=now)
    if item.code not in claims.get("e", []):
        raise cardtoken.CardRefused(f"该人才不享有“{item.name}”")
    with transaction.atomic():
        card = TalentCard.objects.select_for_update().get(pk=claims["card"].pk)
        if Redemption.objects.filter(token_id=claims["jti"]).exists():
            raise cardtoken.CardRefused("该码已核销过，请让人才刷新后重新出示")
        if quota_left(card, item) <= 0:
            raise cardtoken.CardRefused(f"“{item.name}”本年度可用次数已用完（{item.card_quota}次）")
        row = Redemption.objects.create(card=card, item=item, venue=venue, by=by, token_id=claims["jti"])
        audit_record(action="create", request=request, user=by, obj=row,
                     detail={"card": card.number, "item": item.code, "venue": venue.name})
    return row


# --- apartments ---------------------------------------------------------------------------------------------
TIER_RANK = {"A": 0, "B": 1, "C": 2, "D": 3, "E": 4, "": 5}


def waitlist_order(entries: list[WaitlistEntry]) -> list[WaitlistEntry]:
    """The office's priority rules: higher tier first, then earlier arrival, then earlier application."""
    return sorted(entries, key=lambda e: (TIER_RANK.get(e.talent.tier, 5), e.arrival_on, e.applied_on, e.pk))


def wait_join(*, talent: Talent, arrival_on: date, by: User, on: date | None = None,
              request: HttpRequest | None = None) -> WaitlistEntry:
    if by.role == Role.TALENT and talent.user_id != by.pk:
        raise PermissionDenied("只能为本人申请人才公寓")
    entry = WaitlistEntry.objects.create(talent=talent, zone=talent.zone, arrival_on=arrival_on,
                                         applied_on=_today(on))
    audit_record(action="create", request=request, user=by, obj=entry)
    return entry


def offer_unit(*, entry: WaitlistEntry, unit: Unit, by: User, on: date | None = None,
               request: HttpRequest | None = None) -> Tenancy:
    if by.role not in REGISTER_WRITERS:
        raise PermissionDenied("只有人才办工作人员可以配租")
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        if unit.status != UnitStatus.VACANT:
            raise ValidationError(f"{unit}当前不是空置状态")
        if unit.available_on is not None and unit.available_on > _today(on):
            raise ValidationError(f"{unit}于{unit.available_on:%Y-%m-%d}交付，交付前不能配租")
        if entry.status != WaitStatus.WAITING:
            raise ValidationError("该人才不在轮候中")
        tenancy = Tenancy.objects.create(unit=unit, entry=entry, offered_on=_today(on))
        unit.status = UnitStatus.OFFERED
        unit.save(update_fields=["status"])
        entry.status = WaitStatus.OFFERED
        entry.save(update_fields=["status"])
        audit_record(action="create", request=request, user=by, obj=tenancy)
        if entry.talent.user is not None:
            inbox.notify(recipients=[entry.talent.user], kind=PROGRESS, subject=tenancy, url=reverse("onestop:mine"),
                         text=f"人才公寓配租：{unit}，{unit.area}㎡，月租{unit.rent}元")
    return tenancy


def building_save(*, building: Building, by: User, changed: list[str] | None = None,
                  request: HttpRequest | None = None) -> Building:
    """Add or edit a talent apartment building; saved unchanged, nothing is written."""
    if by.role not in REGISTER_WRITERS:
        raise PermissionDenied("只有人才办工作人员可以登记人才公寓")
    if building.pk is not None and changed is not None and not changed:
        return building
    created = building.pk is None
    with transaction.atomic():
        building.full_clean()
        building.save()
        audit_record(action="create" if created else "update", request=request, user=by, obj=building,
                     detail={"changed": changed or []})
    return building


def unit_save(*, unit: Unit, by: User, changed: list[str] | None = None,
              request: HttpRequest | None = None) -> Unit:
    """Add or edit an apartment unit (房源); its status moves only by offer, move-in and vacating.
    `changed` is the form's changed fields: saved unchanged, nothing is written."""
    if by.role not in REGISTER_WRITERS:
        raise PermissionDenied("只有人才办工作人员可以登记房源")
    if unit.pk is not None and changed is not None and not changed:
        return unit
    created = unit.pk is None
    with transaction.atomic():
        if not created:
            stored = Unit.objects.select_for_update().get(pk=unit.pk)
            unit.status = stored.status  # never through the form
            if stored.building_id != unit.building_id and stored.status != UnitStatus.VACANT:
                raise ValidationError(f"{stored}已配租或在住，不能改到其他公寓")
        unit.full_clean()
        unit.save()
        audit_record(action="create" if created else "update", request=request, user=by, obj=unit,
                     detail={"changed": changed or [], "area": str(unit.area), "rent": str(unit.rent)})
    return unit


def tenancy_move_in(*, tenancy: Tenancy, by: User, on: date, ends_on: date,
                    request: HttpRequest | None = None) -> Tenancy:
    if by.role not in REGISTER_WRITERS:
        raise PermissionDenied("只有人才办工作人员可以登记入住")
    if tenancy.status != TenancyStatus.OFFERED:
        raise ValidationError("该配租不是待入住状态")
    with transaction.atomic():
        tenancy.status, tenancy.starts_on, tenancy.ends_on = TenancyStatus.OCCUPIED, on, ends_on
        tenancy.save(update_fields=["status", "starts_on", "ends_on"])
        Unit.objects.filter(pk=tenancy.unit_id).update(status=UnitStatus.OCCUPIED)
        WaitlistEntry.objects.filter(pk=tenancy.entry_id).update(status=WaitStatus.HOUSED)
        audit_record(action="update", request=request, user=by, obj=tenancy, detail={"move": "move_in"})
    return tenancy


def tenancy_end(*, tenancy: Tenancy, by: User, on: date, declined: bool = False,
                request: HttpRequest | None = None) -> Tenancy:
    """Vacate (退房) an occupied unit, or record that an offer was declined; the unit is vacant again."""
    if by.role not in REGISTER_WRITERS:
        raise PermissionDenied("只有人才办工作人员可以登记退房")
    with transaction.atomic():
        if declined:
            if tenancy.status != TenancyStatus.OFFERED:
                raise ValidationError("只有待入住的配租可以放弃")
            tenancy.status = TenancyStatus.DECLINED
            WaitlistEntry.objects.filter(pk=tenancy.entry_id).update(status=WaitStatus.WAITING)
        else:
            if tenancy.status != TenancyStatus.OCCUPIED:
                raise ValidationError("只有在住的配租可以退房")
            tenancy.status, tenancy.vacated_on = TenancyStatus.VACATED, on
        tenancy.save(update_fields=["status", "vacated_on"])
        Unit.objects.filter(pk=tenancy.unit_id).update(status=UnitStatus.VACANT)
        audit_record(action="update", request=request, user=by, obj=tenancy,
                     detail={"move": "decline" if declined else "vacate"})
    return tenancy


# --- family and visits --------------------------------------------------------------------------------------
def family_add(*, member: FamilyMember, by: User, request: HttpRequest | None = None) -> FamilyMember:
    if by.role == Role.TALENT and member.talent.user_id != by.pk:
        raise PermissionDenied("只能登记本人的家属")
    if by.role not in REGISTER_WRITERS | TALENT:
        raise PermissionDenied("您的角色不能登记家属")
    member.full_clean()
    member.save()
    audit_record(action="create", request=request, user=by, obj=member, detail={"relation": member.relation})
    return member


def visit_record(*, visit: ExpertVisit, by: User, item: ServiceItem | None = None, details: str = "",
                 need_enterprise: Enterprise | None = None, need_title: str = "", need_kind: str = "",
                 request: HttpRequest | None = None) -> ExpertVisit:
    """Record a visit. With an item, the need found becomes a service request for the expert; with an enterprise,
    it becomes an enterprise/talent need (企业需求) through the needs app's own need_create (published at once, as
    one the office collected). The visit keeps a link to each."""
    from rencai.needs.models import Kind, Need
    from rencai.needs.services import need_create

    if by.role not in REGISTER_WRITERS:
        raise PermissionDenied("只有人才办工作人员可以登记走访")
    with transaction.atomic():
        visit.full_clean(exclude=["service_request", "need"])
        if item is not None:
            visit.service_request = request_create(talent=visit.talent, item=item, by=by, on=visit.on,
                                                   details=details or visit.findings, request=request)
        if need_enterprise is not None:
            title = need_title.strip() or f"走访专家{visit.talent.name}了解到的需求"
            visit.need = need_create(need=Need(
                enterprise=need_enterprise, kind=need_kind or Kind.TALENT, title=title[:200],
                description=visit.findings.strip() or title,
                remarks=f"{visit.leader.name}{visit.on:%Y-%m-%d}{visit.get_kind_display()}专家{visit.talent.name}时了解"),
                by=by, request=request)
        visit.save()
        audit_record(action="create", request=request, user=by, obj=visit,
                     detail={"kind": visit.kind, "service_request": visit.service_request_id, "need": visit.need_id})
    return visit
