"""Catalog, requests, the bureau queue, ratings and rectification cases."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rencai.core.access import AuthedRequest, allow, deny
from rencai.core.lifecycle import history_for
from rencai.core.roles import REGISTER_READERS, REGISTER_WRITERS, Role
from rencai.core.scoping import get_visible_or_404
from rencai.onestop import selectors, services
from rencai.onestop.forms import ItemForm, NoteForm, RatingForm, RequestForm
from rencai.onestop.models import Rectification, ServiceItem, ServiceRequest, ServiceTask, TaskStatus
from rencai.talents.models import Talent

READERS = REGISTER_READERS | {Role.TALENT, Role.BUREAU, Role.PARTNER}
INVOLVED = REGISTER_READERS | {Role.TALENT, Role.BUREAU}


def _refusal(exc: Exception) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


@allow(*READERS)
def catalog(request: AuthedRequest) -> HttpResponse:
    talent = selectors.my_talent(request.user) if request.user.role == Role.TALENT else None
    items = selectors.catalog(request.user)
    return render(request, "onestop/catalog.html", {"items": items, "talent": talent,
                                                    "can_edit": request.user.role in REGISTER_WRITERS})


@allow(*REGISTER_WRITERS)
def item_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    item = get_visible_or_404(request.user, ServiceItem, pk=pk) if pk else None
    if item is None:
        zone = request.user.zone
        city = request.user.city or (zone.city if zone is not None else None)
        if city is None:
            return deny(request, "请先为账号设置城市")
        item = ServiceItem(city=city)
    form = ItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        try:
            services.item_save(item=saved, bureaus=list(form.cleaned_data["bureaus"]), by=request.user,
                               request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已保存服务事项“{saved.name}”")
            return redirect("onestop:catalog")
    return render(request, "onestop/item_edit.html", {"form": form, "item": item})


@allow(Role.TALENT, *REGISTER_WRITERS)
def request_new(request: AuthedRequest, item_pk: int) -> HttpResponse:
    item = get_visible_or_404(request.user, ServiceItem, pk=item_pk)
    if request.user.role == Role.TALENT:
        talent = selectors.my_talent(request.user)
        if talent is None:
            return deny(request, "您的账号尚未关联人才档案")
    else:
        talent_pk = request.GET.get("talent") or request.POST.get("talent")
        if not talent_pk:  # the office asks on a talent's behalf: pick the talent first
            talents = Talent.objects.visible_to(request.user).order_by("name")[:1000]
            return render(request, "onestop/request_pick.html", {"item": item, "talents": talents})
        talent = get_visible_or_404(request.user, Talent, pk=talent_pk)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sr = services.request_create(talent=talent, item=item, by=request.user,
                                         details=form.cleaned_data["details"], request=request)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _refusal(exc))
        else:
            messages.success(request, f"已提交“{item.name}”，办结期限{sr.due_on:%Y-%m-%d}")
            return redirect("onestop:request_detail", pk=sr.pk)
    return render(request, "onestop/request_new.html", {"form": form, "item": item, "talent": talent})


@allow(*REGISTER_READERS)
def request_list(request: AuthedRequest) -> HttpResponse:
    rows = selectors.requests_for(request.user)
    status = request.GET.get("status", "")
    if status:
        rows = rows.filter(status=status)
    return render(request, "onestop/request_list.html", {"rows": rows[:300], "status": status,
                                                         "statuses": ServiceRequest._meta.get_field("status").choices})


@allow(*INVOLVED)
def request_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    sr = get_visible_or_404(request.user, selectors.requests_for(request.user), pk=pk)
    tasks = selectors.queue_for(request.user, show="all").filter(request=sr)
    mine = request.user.role == Role.TALENT
    case = Rectification.objects.visible_to(request.user).filter(request=sr).first()
    return render(request, "onestop/request_detail.html", {
        "sr": sr, "tasks": tasks, "history": history_for(sr), "case": case,
        "money": selectors.policy_part(request.user, sr),
        "can_rate": sr.status == "done" and (mine or request.user.role in REGISTER_WRITERS),
        "rating_form": RatingForm(), "mine": mine,
        "waiting": [t for t in tasks if t.status == TaskStatus.WAITING],
    })


@allow(Role.TALENT, *REGISTER_WRITERS)
@require_POST
def request_rate(request: AuthedRequest, pk: int) -> HttpResponse:
    sr = get_visible_or_404(request.user, ServiceRequest, pk=pk)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择评价等级")
        return redirect("onestop:request_detail", pk=sr.pk)
    try:
        services.request_rate(sr=sr, by=request.user, stars=form.cleaned_data["stars"],
                              tags=form.cleaned_data["tags"], comment=form.cleaned_data["comment"], request=request)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(request, "感谢您的评价")
    return redirect("onestop:request_detail", pk=sr.pk)


@allow(Role.TALENT, *REGISTER_WRITERS)
@require_POST
def request_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    sr = get_visible_or_404(request.user, ServiceRequest, pk=pk)
    try:
        services.request_cancel(sr=sr, by=request.user, reason=request.POST.get("reason", ""), request=request)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _refusal(exc))
    return redirect("onestop:request_detail", pk=sr.pk)


@allow(Role.TALENT, *REGISTER_WRITERS)
@require_POST
def task_supplied(request: AuthedRequest, pk: int) -> HttpResponse:
    task = get_visible_or_404(request.user, ServiceTask, pk=pk)
    try:
        services.task_supplied(task=task, by=request.user, note=request.POST.get("note", ""), request=request)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(request, "已补充材料，恢复计时")
    return redirect("onestop:request_detail", pk=task.request_id)


@allow(Role.BUREAU, *REGISTER_READERS)
def queue(request: AuthedRequest) -> HttpResponse:
    show = request.GET.get("show", "open")
    tasks = selectors.queue_for(request.user, show=show)
    return render(request, "onestop/queue.html", {"tasks": tasks[:300], "show": show})


@allow(Role.BUREAU, *REGISTER_READERS)
def task_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    task = get_visible_or_404(request.user, selectors.queue_for(request.user, show="all"), pk=pk)
    can_work = request.user.role == Role.BUREAU or request.user.role in REGISTER_WRITERS
    return render(request, "onestop/task_detail.html", {
        "task": task, "history": history_for(task), "form": NoteForm(), "can_work": can_work,
        "days_used": selectors.task_days_used(task), "documents": task.request.item.document_list()})


@allow(Role.BUREAU, *REGISTER_WRITERS)
@require_POST
def task_act(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    task = get_visible_or_404(request.user, ServiceTask, pk=pk)
    note = request.POST.get("note", "")
    try:
        if action == "finish":
            services.task_finish(task=task, by=request.user, result=note, request=request)
            messages.success(request, "任务已办结")
        elif action == "ask_more":
            services.task_ask_more(task=task, by=request.user, wanted=note, request=request)
            messages.success(request, "已请人才补充材料，计时暂停")
        else:
            messages.error(request, "未知操作")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _refusal(exc))
    return redirect("onestop:task_detail", pk=task.pk)


@allow(Role.TALENT, *REGISTER_READERS)
def case_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    case = get_visible_or_404(request.user, Rectification.objects.select_related("request__talent", "request__item"),
                              pk=pk)
    return render(request, "onestop/case_detail.html", {
        "case": case, "history": history_for(case), "moves": services.CASE_LIFE.moves_for(case, request.user),
        "rating_form": RatingForm()})


@allow(Role.TALENT, *REGISTER_WRITERS)
@require_POST
def case_act(request: AuthedRequest, pk: int, move: str) -> HttpResponse:
    user = request.user
    case = get_visible_or_404(user, Rectification, pk=pk)
    stars = request.POST.get("stars")
    try:
        services.case_move(case=case, move=move, by=user, note=request.POST.get("note", ""),
                           stars=int(stars) if stars and stars.isdigit() else None, request=request)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _refusal(exc))
    return redirect("onestop:case_detail", pk=case.pk)


@allow(*REGISTER_READERS)
def case_list(request: AuthedRequest) -> HttpResponse:
    cases = Rectification.objects.visible_to(request.user).select_related("request__talent", "request__item")
    return render(request, "onestop/case_list.html", {"cases": cases[:300]})
