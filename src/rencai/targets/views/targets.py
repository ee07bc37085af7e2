"""Indicators and their rules, the cascade of targets, drill-down to records, adjustments, periods."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from rencai.core.access import AuthedRequest, allow
from rencai.core.audit import audit_record
from rencai.core.listing import int_param, plain_int
from rencai.core.models import City, Zone
from rencai.core.roles import STAFF
from rencai.core.scoping import get_visible_or_404
from rencai.targets import services
from rencai.targets.forms import AdjustmentForm, MoveForm, TargetForm, form_errors
from rencai.targets.indicators import Where, actual, drilldown, reconcile
from rencai.targets.models import Adjustment, Indicator, Period, Target
from rencai.targets.registry import source
from rencai.targets.selectors import bureaus_of, city_of
from rencai.targets.services import ADJUSTMENT_LIFE, WRITERS, cascade_check


def _city(request: AuthedRequest) -> City:
    # every account the app creates (setup, invite, demo) has a city, so city_of gives that city, never None
    return cast(City, city_of(request.user))


YEARS = range(2000, 2101)  # a target year outside this is a typo or a probe: the current year is meant


def _year(request: AuthedRequest) -> int:
    """The year asked for (query string, else form), or this year when it is missing, not a number or out of range."""
    this_year = timezone.localdate().year
    year = int_param(request, "year") if request.GET.get("year") else plain_int(request.POST.get("year"))
    return year if year is not None and year in YEARS else this_year


@allow(*STAFF)
def indicators(request: AuthedRequest) -> HttpResponse:
    rows = [(ind, source(ind.source)) for ind in Indicator.objects.visible_to(request.user)]
    return render(request, "targets/indicators.html", {"rows": rows})


@allow(*STAFF)
def cascade(request: AuthedRequest) -> HttpResponse:
    year = _year(request)
    city = city_of(request.user)
    zones = list(Zone.objects.filter(city=city)) if city else []
    if request.user.zone_id:
        zones = [z for z in zones if z.pk == request.user.zone_id]
    bureaus = bureaus_of(city) if city else []
    blocks = []
    for ind in Indicator.objects.visible_to(request.user):
        targets = {(t.zone_id, t.bureau_id): t.value
                   for t in Target.objects.visible_to(request.user).filter(indicator=ind, year=year, city=city)}
        rec = reconcile(ind, year, city, zones, bureaus) if city else {}
        blocks.append({"indicator": ind, "check": cascade_check(ind, year, city) if city else {},
                       "city_target": targets.get((None, None)), "rec": rec,
                       "zones": [(z, targets.get((z.pk, None)), rec.get("zones", {}).get(z.name)) for z in zones],
                       "bureaus": [(b, targets.get((None, b.pk)), rec.get("bureaus", {}).get(b.name))
                                   for b in bureaus]})
    period = (Period.objects.filter(city=city, year=year).first() or Period(city=city, year=year)) if city else None
    return render(request, "targets/cascade.html", {
        "blocks": blocks, "year": year, "period": period, "can_write": request.user.role in WRITERS,
        "period_moves": services.PERIOD_LIFE.moves_for(period, request.user) if period else [],
        "adjustments": Adjustment.objects.visible_to(request.user).filter(year=year)
        .select_related("indicator", "zone"),
        "adjust_moves": {a.pk: ADJUSTMENT_LIFE.moves_for(a, request.user)
                         for a in Adjustment.objects.visible_to(request.user).filter(year=year)},
        "zones": zones})


@allow(*WRITERS)
def target_save(request: AuthedRequest) -> HttpResponse:
    year = _year(request)
    city = _city(request)
    form = TargetForm(request.POST)
    if not form.is_valid() and form.has_error("value"):
        messages.error(request, form_errors(form))
        return HttpResponseRedirect(f"{reverse('targets:cascade')}?year={year}")
    data = form.cleaned_data
    ind = get_visible_or_404(request.user, Indicator.objects.all(), pk=data.get("indicator") or 0)
    zone = Zone.objects.filter(city=city, pk=data["zone"]).first() if data.get("zone") else None
    try:  # zone staff set only their own zone's targets: services refuses the rest
        services.target_set(indicator=ind, year=year, city=city, zone=zone, value=data["value"],
                            by=request.user, request=request)
        messages.success(request, "目标已保存")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return HttpResponseRedirect(f"{reverse('targets:cascade')}?year={year}")


@allow(*WRITERS)
def period_move(request: AuthedRequest) -> HttpResponse:
    year = _year(request)
    period = services.period_for(_city(request), year)
    form = MoveForm(request.POST)
    form.is_valid()
    try:
        services.period_move(period=period, move=form.cleaned_data["move"], by=request.user,
                             reason=form.cleaned_data.get("reason", ""), request=request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return HttpResponseRedirect(f"{reverse('targets:cascade')}?year={year}")


@allow(*WRITERS)
def adjustment_propose(request: AuthedRequest) -> HttpResponse:
    year = _year(request)
    city = _city(request)
    form = AdjustmentForm(request.POST)
    if not form.is_valid() and form.has_error("delta"):
        messages.error(request, form_errors(form))
        return HttpResponseRedirect(f"{reverse('targets:cascade')}?year={year}")
    data = form.cleaned_data
    ind = get_visible_or_404(request.user, Indicator.objects.all(), pk=data.get("indicator") or 0)
    zone = Zone.objects.filter(city=city, pk=data.get("zone") or 0).first() or request.user.zone
    try:
        services.adjustment_propose(indicator=ind, year=year, city=city, zone=zone, delta=data["delta"],
                                    reason=data.get("reason", ""), by=request.user, request=request)
        messages.success(request, "调整已提出，待第二人复核后生效")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return HttpResponseRedirect(f"{reverse('targets:cascade')}?year={year}")


@allow(*WRITERS)
def adjustment_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    adj = get_visible_or_404(request.user, Adjustment.objects.all(), pk=pk)
    form = MoveForm(request.POST)
    form.is_valid()
    try:
        services.adjustment_decide(adjustment=adj, move=form.cleaned_data["move"], by=request.user,
                                   reason=form.cleaned_data.get("reason", ""), request=request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return HttpResponseRedirect(f"{reverse('targets:cascade')}?year={adj.year}")


@allow(*STAFF)
def records(request: AuthedRequest, code: str) -> HttpResponse:
    ind = get_visible_or_404(request.user, Indicator.objects.all(), code=code)
    year = _year(request)
    city = _city(request)
    zone = request.user.zone if request.user.zone_id else \
        Zone.objects.filter(city=city, pk=int_param(request, "zone", 0)).first()
    where = Where(city, zone=zone)
    headers, body, hidden = drilldown(ind, year, where, request.user)
    audit_record(action="view", request=request, object_type="targets.indicator", object_id=str(ind.pk),
                 object_repr=f"查看{ind}明细", detail={"year": year, "zone": zone.pk if zone else None})
    return render(request, "targets/records.html", {"indicator": ind, "year": year, "where": where,
                                                    "headers": headers, "body": body, "hidden": hidden,
                                                    "value": actual(ind, year, where), "src": source(ind.source)})
