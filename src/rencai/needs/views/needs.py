"""Pages of the needs register: the list and its export, a need's page and life, submission, the review queue."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from rencai.core.access import AuthedRequest, allow
from rencai.core.catalogs import discipline_by_code, industry_label
from rencai.core.exports import Column, export_queryset
from rencai.core.lifecycle import history_for
from rencai.core.listing import Filter, ListSpec, ListState, filtered, int_param, paginate, zone_choices
from rencai.core.roles import REGISTER_READERS, REGISTER_WRITERS, Role
from rencai.core.scoping import get_visible_or_404
from rencai.core.sensitive import can_reveal, masked_value
from rencai.needs.forms import DisciplineForm, FilledForm, NeedForm
from rencai.needs.models import LIVE_STATUSES, Kind, Need, NeedQuerySet, Status, Visit
from rencai.needs.services import (
    moves_for,
    need_create,
    need_discipline_set,
    need_record_filled,
    need_transition,
    need_update,
)
from rencai.orgs.models import Enterprise

NEED_READERS = REGISTER_READERS | {Role.ENTERPRISE}
NEED_AUTHORS = REGISTER_WRITERS | {Role.ENTERPRISE}


def _overdue_choices(request: HttpRequest) -> list[tuple[str, str | Promise]]:
    return [(timezone.localdate().isoformat(), _("已超过截止日期"))]


NEED_SPEC = ListSpec(
    search_fields=["title", "description", "enterprise__name", "field_text", "expected_talent"],
    search_label=_("需求名称、描述、企业、领域"),
    filters=[
        Filter("status", _("状态"), "status", Status.choices),
        Filter("kind", _("类型"), "kind", Kind.choices),
        Filter("zone", _("旗区/园区"), "enterprise__zone", zone_choices),
        # The value is today's date, so "overdue" is a plain lookup the export shares with the page.
        Filter("overdue", _("截止"), "deadline__lt", _overdue_choices),
    ],
    sorts=[("-created_at", _("最近提交")), ("deadline", _("截止日期")), ("enterprise__name", _("企业"))],
)


def visible_needs(request: AuthedRequest) -> NeedQuerySet:
    return Need.objects.visible_to(request.user).select_related("enterprise", "enterprise__zone")


def _needs(request: AuthedRequest) -> tuple[QuerySet[Need], ListState]:
    queryset, state = filtered(request, visible_needs(request), NEED_SPEC)
    if state.selected.get("overdue"):
        queryset = queryset.filter(status__in=LIVE_STATUSES)
    return queryset, state


@allow(*NEED_READERS)
def need_list(request: AuthedRequest) -> HttpResponse:
    queryset, state = _needs(request)
    page = paginate(request, queryset, NEED_SPEC)
    context = {"page": page, "state": state, "spec": NEED_SPEC, "can_submit": request.user.role in NEED_AUTHORS,
               "can_import": request.user.role in REGISTER_WRITERS, "is_staff": request.user.is_office_staff}
    return render(request, "needs/list.html#results" if request.htmx else "needs/list.html", context)


def _discipline_name(code: str) -> str:
    found = discipline_by_code(code) if code else None
    return found.name if found else ""


NEED_COLUMNS = [
    Column("企业名称", lambda n: n.enterprise.name),
    Column("统一社会信用代码", lambda n: n.enterprise.credit_code or ""),
    Column("需求类型", "kind"), Column("需求名称", "title"), Column("需求描述", "description"),
    Column("所属领域", "field_text"), Column("一级学科", lambda n: _discipline_name(n.discipline_code)),
    Column("所属行业", lambda n: industry_label(n.industry_code) if n.industry_code else ""),
    Column("期望人才", "expected_talent"), Column("学历层次", lambda n: n.get_level_display()),
    Column("需求人数", "headcount"), Column("已到岗人数", "filled"), Column("紧急程度", "urgency"),
    Column("拟投入经费(万元)", "budget"), Column("联系人", "contact_name"),
    Column("联系电话", "contact_phone", sensitive=True), Column("截止日期", "deadline"),
    Column("状态", lambda n: n.get_status_display()), Column("关闭原因", "closed_reason"),
    Column("旗区/园区", lambda n: n.enterprise.zone.name), Column("来源", lambda n: n.get_source_display()),
    Column("提交时间", lambda n: timezone.localtime(n.created_at).strftime("%Y-%m-%d %H:%M")),
]


@allow(*NEED_READERS)
def need_export(request: AuthedRequest) -> HttpResponse:
    queryset, state = _needs(request)
    return export_queryset(request, queryset=queryset, columns=NEED_COLUMNS, title="企业需求",
                           filters=state.selected | {"q": state.q})


def need_for(request: AuthedRequest, pk: int) -> Need:
    """The need if this user may see it; anyone else gets a 404, as if it did not exist."""
    return get_visible_or_404(request.user, Need.objects.select_related("enterprise", "enterprise__zone"), pk=pk)


@allow(*NEED_READERS)
def need_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    need = need_for(request, pk)
    return render(request, "needs/detail.html", {
        "n": need, "history": history_for(need), "moves": moves_for(need, request.user),
        "can_edit": _can_edit(request, need), "discipline": _discipline_name(need.discipline_code),
        "discipline_form": DisciplineForm(initial={"discipline_code": need.discipline_code})
        if request.user.role in REGISTER_WRITERS else None,
        "industry": industry_label(need.industry_code) if need.industry_code else "",
        "can_fill": need.kind == Kind.ASSISTANT and request.user.role in NEED_AUTHORS,
        "phone_masked": masked_value(need, "contact_phone"),
        "phone_can_reveal": can_reveal(request.user, need, "contact_phone"),
    })


@require_POST
@allow(*REGISTER_WRITERS)
def need_discipline(request: AuthedRequest, pk: int) -> HttpResponse:
    """The small form on the need page: staff correct the 一级学科 mapped from 所属领域."""
    need = need_for(request, pk)
    form = DisciplineForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请从列表中选择一级学科")
        return redirect("needs:detail", pk=need.pk)
    try:
        need = need_discipline_set(need=need, code=form.cleaned_data["discipline_code"], by=request.user,
                                   request=request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已更正一级学科：{_discipline_name(need.discipline_code) or '未识别'}")
    return redirect("needs:detail", pk=need.pk)


def _can_edit(request: AuthedRequest, need: Need) -> bool:
    if request.user.role in REGISTER_WRITERS:
        return need.status not in (Status.SOLVED, Status.CLOSED)
    return request.user.role == Role.ENTERPRISE and need.status in (Status.PENDING, Status.RETURNED)


def _form(request: AuthedRequest, need: Need) -> NeedForm:
    enterprises = Enterprise.objects.visible_to(request.user)
    visits = None
    if request.user.role in REGISTER_WRITERS:
        visits = Visit.objects.visible_to(request.user).select_related("campaign", "enterprise")
    initial = {}
    if int_param(request, "visit") and visits is not None:
        visit = visits.filter(pk=int_param(request, "visit")).first()
        if visit:
            initial = {"visit": visit.pk, "enterprise": visit.enterprise_id}
    return NeedForm(request.POST or None, instance=need, enterprises=enterprises, visits=visits, initial=initial)


@allow(*NEED_AUTHORS)
def need_create_view(request: AuthedRequest) -> HttpResponse:
    form = _form(request, Need())
    if request.method == "POST" and form.is_valid():
        try:
            need = need_create(need=form.save(commit=False), by=request.user, request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已提交需求“{need.title}”，当前状态：{need.get_status_display()}")
            return redirect("needs:detail", pk=need.pk)
    return render(request, "needs/edit.html", {"form": form, "n": form.instance})


@allow(*NEED_AUTHORS)
def need_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    need = need_for(request, pk)
    if not _can_edit(request, need):
        raise PermissionDenied("该需求当前状态下不能修改")
    form = _form(request, need)
    if request.method == "POST" and form.is_valid():
        need_update(need=form.save(commit=False), by=request.user, request=request)
        messages.success(request, f"已保存需求“{need.title}”")
        return redirect("needs:detail", pk=need.pk)
    return render(request, "needs/edit.html", {"form": form, "n": need})


@allow(*NEED_AUTHORS)
@require_POST
def need_move(request: AuthedRequest, pk: int) -> HttpResponse:
    need = need_for(request, pk)
    try:
        need = need_transition(need=need, move=request.POST.get("move", ""), to=request.POST.get("to", ""),
                               by=request.user, reason=request.POST.get("reason", ""), request=request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"需求“{need.title}”已改为{need.get_status_display()}")
    return _back(request, need)


def _back(request: HttpRequest, need: Need) -> HttpResponse:
    """Back to the page the move was made from (the review queue) when it is one of ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("needs:detail", pk=need.pk)


@allow(*NEED_AUTHORS)
@require_POST
def need_filled(request: AuthedRequest, pk: int) -> HttpResponse:
    need = need_for(request, pk)
    form = FilledForm(request.POST)
    if form.is_valid():
        try:
            need_record_filled(need=need, filled=form.cleaned_data["filled"], by=request.user, request=request)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    return redirect("needs:detail", pk=need.pk)


@allow(*REGISTER_WRITERS)
def review_queue(request: AuthedRequest) -> HttpResponse:
    """What waits on a reviewer: needs to check, and open needs past their deadline."""
    needs = visible_needs(request)
    today = timezone.localdate()
    return render(request, "needs/queue.html", {
        "pending": needs.filter(status=Status.PENDING).order_by("created_at"),
        "overdue": needs.overdue(today).exclude(status=Status.PENDING).order_by("deadline"),
        "stalled": needs.filter(status=Status.MATCHING, updated_at__lt=timezone.now() - timedelta(days=30)),
    })


@allow(Role.ENTERPRISE)
def my_needs(request: AuthedRequest) -> HttpResponse:
    """The enterprise's own needs, by where each stands."""
    needs = visible_needs(request)
    groups = [(label, [n for n in needs if n.status == value]) for value, label in Status.choices]
    return render(request, "needs/mine.html", {"groups": groups, "total": len(needs),
                                               "overdue": [n for n in needs if n.is_overdue]})
