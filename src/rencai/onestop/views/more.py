"""Talent apartments, liaison leaders and visits, and the figures page with its .xlsx."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rencai.core.access import AuthedRequest, allow, deny
from rencai.core.listing import clean_text, int_param
from rencai.core.roles import REGISTER_READERS, REGISTER_WRITERS
from rencai.core.scoping import city_level_refusal, get_visible_or_404, is_city_level
from rencai.core.stats import picture_json, picture_xlsx
from rencai.onestop import selectors, services
from rencai.onestop.forms import BuildingForm, CadenceForm, MoveInForm, UnitForm, VisitForm
from rencai.onestop.models import (
    Building,
    ExpertVisit,
    Leader,
    Tenancy,
    TenancyStatus,
    Unit,
    UnitStatus,
    VisitCadence,
    WaitlistEntry,
)
from rencai.orgs.models import Enterprise
from rencai.talents.models import Talent, Tier


def _messages_of(exc: Exception) -> str:
    return " ".join(getattr(exc, "messages", [str(exc)]))


@allow(*REGISTER_READERS)
def apartments(request: AuthedRequest) -> HttpResponse:
    buildings = Building.objects.visible_to(request.user)
    units = Unit.objects.visible_to(request.user)
    summary = [{"b": b, "total": units.filter(building=b).count(),
                "occupied": units.filter(building=b, status=UnitStatus.OCCUPIED).count(),
                "vacant": units.filter(building=b, status=UnitStatus.VACANT).count()} for b in buildings]
    tenancies = (Tenancy.objects.visible_to(request.user)
                 .filter(status__in=[TenancyStatus.OFFERED, TenancyStatus.OCCUPIED])
                 .select_related("unit__building", "entry__talent")[:200])
    return render(request, "onestop/apartments.html", {
        "summary": summary, "waitlist": selectors.waitlist(request.user)[:100], "tenancies": tenancies,
        "vacant": units.filter(status=UnitStatus.VACANT).select_related("building")[:200],
        "can_edit": request.user.role in REGISTER_WRITERS, "move_in_form": MoveInForm()})


@allow(*REGISTER_WRITERS)
@require_POST
def apartment_offer(request: AuthedRequest, entry_pk: int) -> HttpResponse:
    entry = get_visible_or_404(request.user, WaitlistEntry, pk=entry_pk)
    unit = get_visible_or_404(request.user, Unit, pk=request.POST.get("unit"))
    try:
        services.offer_unit(entry=entry, unit=unit, by=request.user, request=request)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _messages_of(exc))
    return redirect("onestop:apartments")


@allow(*REGISTER_WRITERS)
@require_POST
def tenancy_act(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    tenancy = get_visible_or_404(request.user, Tenancy, pk=pk)
    form = MoveInForm(request.POST)
    try:
        if action == "move_in":
            if not form.is_valid():
                raise ValidationError("请填写入住日期和租期")
            services.tenancy_move_in(tenancy=tenancy, by=request.user, on=form.cleaned_data["starts_on"],
                                     ends_on=form.cleaned_data["ends_on"], request=request)
        elif action in ("vacate", "decline"):
            from django.utils import timezone

            services.tenancy_end(tenancy=tenancy, by=request.user, on=timezone.localdate(),
                                 declined=action == "decline", request=request)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _messages_of(exc))
    return redirect("onestop:apartments")


@allow(*REGISTER_READERS)
def visits(request: AuthedRequest) -> HttpResponse:
    user = request.user
    leaders = Leader.objects.visible_to(user).prefetch_related("talents")
    form = VisitForm(request.POST or None, items=selectors.catalog(user).filter(active=True), leaders=leaders,
                     talents=Talent.objects.visible_to(user).exclude(tier=""),
                     enterprises=Enterprise.objects.visible_to(user).order_by("name"))
    if request.method == "POST":
        if user.role not in REGISTER_WRITERS:
            raise PermissionDenied("只有人才办工作人员可以登记走访")
        if form.is_valid():
            try:
                services.visit_record(visit=form.save(commit=False), by=user, item=form.cleaned_data["item"],
                                      need_enterprise=form.cleaned_data["need_enterprise"],
                                      need_title=form.cleaned_data["need_title"],
                                      need_kind=form.cleaned_data["need_kind"], request=request)
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _messages_of(exc))
            else:
                messages.success(request, "已登记走访")
                return redirect("onestop:visits")
    rows = ExpertVisit.objects.visible_to(user).select_related("leader", "talent", "service_request", "need")[:200]
    city_id = user.city_id or (user.zone.city_id if user.zone else None)
    cadence = services.cadence_for(city_id) if city_id else {}
    return render(request, "onestop/visits.html", {
        "leaders": leaders, "rows": rows, "form": form, "can_edit": user.role in REGISTER_WRITERS,
        "cadence": [(label, cadence.get(tier)) for tier, label in Tier.choices]})


@allow(*REGISTER_READERS)
def visit_cadence(request: AuthedRequest) -> HttpResponse:
    """Each tier's visit cadence for the city: city-level office writers edit it, other staff read it."""
    user = request.user
    city = user.city or (user.zone.city if user.zone is not None else None)
    if city is None:
        return deny(request, _("请先为账号设置城市"))
    can_edit = user.role in REGISTER_WRITERS and is_city_level(user)
    form = CadenceForm(request.POST or None, current=services.cadence_for(city.pk))
    if request.method == "POST":
        if not can_edit:
            return deny(request, city_level_refusal("专家走访周期"))
        if form.is_valid():
            changed = services.cadence_save(city=city, days=form.days(), by=user, request=request)
            messages.success(request, _("已保存走访周期") if changed else _("走访周期没有变化"))
            return redirect("onestop:cadence_edit")
    rows = VisitCadence.objects.visible_to(user).filter(city=city).select_related("updated_by")
    return render(request, "onestop/visit_cadence.html", {"form": form, "can_edit": can_edit, "rows": rows})


@allow(*REGISTER_READERS)
def units(request: AuthedRequest) -> HttpResponse:
    """The apartment units (房源) in scope, by building and status, with links to add and edit them."""
    user = request.user
    buildings = Building.objects.visible_to(user)
    rows = Unit.objects.visible_to(user).select_related("building")
    building = int_param(request, "building")
    status = clean_text(request.GET.get("status", ""), 12)
    if building:
        rows = rows.filter(building=building)
    if status in UnitStatus.values:
        rows = rows.filter(status=status)
    return render(request, "onestop/units.html", {
        "rows": rows[:500], "count": rows.count(), "buildings": buildings, "building": building, "status": status,
        "statuses": UnitStatus.choices, "can_edit": user.role in REGISTER_WRITERS})


@allow(*REGISTER_WRITERS)
def unit_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    unit = get_visible_or_404(user, Unit, pk=pk) if pk else Unit()
    form = UnitForm(request.POST or None, instance=unit, buildings=Building.objects.visible_to(user),
                    initial=None if pk else {"building": int_param(request, "building")})
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.unit_save(unit=form.save(commit=False), by=user, changed=form.changed_data,
                                       request=request)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _messages_of(exc))
        else:
            messages.success(request, _("已保存房源“%(unit)s”") % {"unit": saved})
            return redirect("onestop:units")
    return render(request, "onestop/unit_edit.html", {"form": form, "unit": unit})


@allow(*REGISTER_WRITERS)
def building_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    building = get_visible_or_404(user, Building, pk=pk) if pk else Building()
    form = BuildingForm(request.POST or None, instance=building, zones=user.visible_zones(),
                        initial=None if pk else {"zone": user.zone_id})
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.building_save(building=form.save(commit=False), by=user, changed=form.changed_data,
                                           request=request)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _messages_of(exc))
        else:
            messages.success(request, _("已保存人才公寓“%(name)s”") % {"name": saved.name})
            return redirect("onestop:units")
    return render(request, "onestop/building_edit.html", {"form": form, "building": building})


@allow(*REGISTER_READERS)
def stats(request: AuthedRequest) -> HttpResponse:
    return render(request, "onestop/stats.html", {"picture": selectors.picture(request.user)})


@allow(*REGISTER_READERS)
def stats_json(request: AuthedRequest) -> HttpResponse:
    return picture_json(selectors.picture(request.user))


SHEETS = [("by_item", "按服务事项", "服务事项"), ("by_bureau", "按局办", "局办"), ("by_rating", "满意度", "评价"),
          ("units_by_status", "人才公寓", "状态"), ("visits_by_kind", "走访", "形式")]
FIGURES = [("requests", "服务申请"), ("done", "已办结"), ("on_time_percent", "按时办结率(%)"),
           ("average_days", "平均办理工作日"), ("satisfaction", "平均评价(星)"), ("children_placed", "子女入学办结"),
           ("cards", "发放人才码"), ("redemptions", "人才码核销"), ("units", "人才公寓房源(套)"),
           ("units_area", "人才公寓面积(㎡)"), ("occupied", "已入住(套)"), ("experts_visited", "走访专家(人)"),
           ("visits", "走访次数")]


@allow(*REGISTER_READERS)
def stats_xlsx(request: AuthedRequest) -> HttpResponse:
    picture = selectors.picture(request.user)
    first = [("主要数据", ["指标", "数值"], [[label, picture[key]] for key, label in FIGURES])]
    return picture_xlsx(request, picture=picture, sheets=SHEETS, title="一站式服务统计", object_type="onestop.stats",
                        first=first)
