"""Station pages: the register and its export, a station's life, its partners, the office's help, entry."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from rencai.core.access import AuthedRequest, allow
from rencai.core.exports import Column, export_queryset
from rencai.core.lifecycle import history_for
from rencai.core.listing import Filter, ListSpec, filtered, paginate, zone_choices
from rencai.core.roles import REGISTER_READERS, REGISTER_WRITERS, Role
from rencai.core.scoping import get_visible_or_404, visible_related
from rencai.orgs.models import Enterprise, Institution
from rencai.postdoc.forms import AssistanceForm, EntryForm, PartnerForm, StationForm, StationMoveForm
from rencai.postdoc.models import ACTIVE_STAGES, OPEN_STAGES, Postdoc, Stage, Station, StationKind
from rencai.postdoc.services import (
    assistance_record,
    partner_add,
    postdoc_enter,
    station_create,
    station_moves,
    station_terms,
    station_transition,
)
from rencai.postdoc.subsidies import entitlements_for
from rencai.talents.models import Talent

STATION_READERS = REGISTER_READERS | {Role.ENTERPRISE, Role.LIAISON}


STATION_SPEC = ListSpec(
    search_fields=["name", "enterprise__name", "research_fields", "approval_number"],
    search_label=_("名称、企业、研究方向、批准文号"),
    filters=[Filter("kind", _("类型"), "kind", StationKind.choices), Filter("stage", _("阶段"), "stage", Stage.choices),
             Filter("zone", _("旗区/园区"), "enterprise__zone", zone_choices)],
    sorts=[("-created_at", _("最近登记")), ("-approved_on", _("获批日期")), ("enterprise__name", _("企业"))],
)


def visible_stations(request: AuthedRequest) -> QuerySet[Station]:
    # the count is of the postdocs this user may see: a liaison counts their own university's only
    counted = Q(postdocs__stage__in=ACTIVE_STAGES, postdocs__in=Postdoc.objects.visible_to(request.user).values("pk"))
    return (Station.objects.visible_to(request.user).select_related("enterprise", "enterprise__zone")
            .annotate(in_station=Count("postdocs", filter=counted, distinct=True)))


@allow(*STATION_READERS)
def station_list(request: AuthedRequest) -> HttpResponse:
    queryset, state = filtered(request, visible_stations(request), STATION_SPEC)
    context = {"page": paginate(request, queryset, STATION_SPEC), "state": state, "spec": STATION_SPEC,
               "can_write": request.user.role in REGISTER_WRITERS, "is_staff": request.user.is_office_staff}
    return render(request, "postdoc/station_list.html#results" if request.htmx else "postdoc/station_list.html",
                  context)


STATION_COLUMNS = [
    Column("名称", "name"), Column("类型", lambda s: s.get_kind_display()),
    Column("设站企业", lambda s: s.enterprise.name),
    Column("旗区/园区", lambda s: s.enterprise.zone.name), Column("阶段", lambda s: s.get_stage_display()),
    Column("研究方向", "research_fields"), Column("获批日期", "approved_on"), Column("批准文号", "approval_number"),
    Column("在站博士后", "in_station"), Column("撤站日期", "withdrawn_on"), Column("撤站原因", "withdrawn_reason"),
]


@allow(*STATION_READERS)
def station_export(request: AuthedRequest) -> HttpResponse:
    queryset, state = filtered(request, visible_stations(request), STATION_SPEC)
    return export_queryset(request, queryset=queryset, columns=STATION_COLUMNS, title="博士后工作站",
                           filters=state.selected | {"q": state.q})


def station_for(request: AuthedRequest, pk: int) -> Station:
    return get_visible_or_404(request.user, Station.objects.select_related("enterprise__zone"), pk=pk)


@allow(*STATION_READERS)
def station_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    station = station_for(request, pk)
    can_write = request.user.role in REGISTER_WRITERS
    return render(request, "postdoc/station_detail.html", {
        "s": station, "steps": history_for(station), "moves": station_moves(station, request.user) if can_write else (),
        # related sets are scoped like lists of their own: a liaison sees only their university's side (defect 5)
        "partners": visible_related(station.partners, request.user).select_related("institution"),
        "assistance": visible_related(station.assistance, request.user).select_related("by", "postdoc__talent"),
        "postdocs": visible_related(station.postdocs, request.user).select_related("talent", "partner__institution"),
        "terms": station_terms(station), "can_write": can_write,
        "can_enter": can_write and station.stage in OPEN_STAGES,
        "assist_form": AssistanceForm(prefix="assist"), "move_form": StationMoveForm(),
        "partner_form": PartnerForm(institutions=Institution.objects.all()),
        "entitlements": entitlements_for(station.source, visible_to=request.user),
    })


@allow(*REGISTER_WRITERS)
def station_create_view(request: AuthedRequest) -> HttpResponse:
    form = StationForm(request.POST or None, enterprises=Enterprise.objects.visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        station = station_create(station=form.save(commit=False), by=request.user, request=request)
        messages.success(request, f"已登记“{station.name}”，当前阶段：调研")
        return redirect("postdoc:station", pk=station.pk)
    return render(request, "postdoc/edit.html", {"form": form, "title": "登记博士后工作站/创新实践基地"})


@allow(*REGISTER_WRITERS)
@require_POST
def station_move(request: AuthedRequest, pk: int) -> HttpResponse:
    station = station_for(request, pk)
    form = StationMoveForm(request.POST)
    if not form.is_valid() or form.cleaned_data["to"] not in Stage.values:
        messages.error(request, "请填写日期")
        return redirect("postdoc:station", pk=station.pk)
    data = form.cleaned_data
    try:
        station = station_transition(station=station, to=data["to"], move=request.POST.get("move", ""), on=data["on"],
                                     by=request.user, note=data["note"], approval_number=data["approval_number"],
                                     request=request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"“{station.name}”已改为{station.get_stage_display()}")
    return redirect("postdoc:station", pk=station.pk)


@allow(*REGISTER_WRITERS)
@require_POST
def station_assist(request: AuthedRequest, pk: int) -> HttpResponse:
    station = station_for(request, pk)
    form = AssistanceForm(request.POST, prefix="assist")
    if form.is_valid():
        assistance = form.save(commit=False)
        assistance.station = station
        postdoc_id = request.POST.get("postdoc")
        if postdoc_id:
            assistance.postdoc = get_visible_or_404(request.user, station.postdocs, pk=postdoc_id)
        assistance_record(assistance=assistance, by=request.user, request=request)
        messages.success(request, "已记录跟踪服务")
    else:
        messages.error(request, "请填写服务方式、日期和内容")
    target = request.POST.get("back")
    if target == "postdoc" and request.POST.get("postdoc"):
        return redirect("postdoc:postdoc", pk=request.POST["postdoc"])
    return redirect("postdoc:station", pk=station.pk)


@allow(*REGISTER_WRITERS)
@require_POST
def station_partner(request: AuthedRequest, pk: int) -> HttpResponse:
    station = station_for(request, pk)
    form = PartnerForm(request.POST, institutions=Institution.objects.all())
    if form.is_valid():
        partner = form.save(commit=False)
        partner.station = station
        try:
            partner_add(partner=partner, by=request.user, request=request)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已添加合作流动站：{partner}")
    else:
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("postdoc:station", pk=station.pk)


@allow(*REGISTER_WRITERS)
def station_enter(request: AuthedRequest, pk: int) -> HttpResponse:
    """进站: a talent of the register enters this station; deadlines and the living subsidy follow."""
    station = station_for(request, pk)
    talents = Talent.objects.visible_to(request.user).order_by("name")
    form = EntryForm(request.POST or None, talents=talents,
                     partners=visible_related(station.partners, request.user).select_related("institution"))
    if request.method == "POST" and form.is_valid():
        postdoc = form.save(commit=False)
        postdoc.station = station
        try:
            postdoc = postdoc_enter(postdoc=postdoc, by=request.user, request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{postdoc.talent.name}已进站，开题截止 {postdoc.proposal_due:%Y-%m-%d}")
            return redirect("postdoc:postdoc", pk=postdoc.pk)
    return render(request, "postdoc/edit.html", {"form": form, "title": f"博士后进站：{station.name}"})
