"""入企问需 campaigns: plan one, record each visit, see coverage by bureau and by zone."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rencai.core.access import AuthedRequest, allow
from rencai.core.models import Zone
from rencai.core.roles import REGISTER_READERS, REGISTER_WRITERS
from rencai.core.scoping import get_visible_or_404, visible_related
from rencai.needs.forms import CampaignForm, VisitForm
from rencai.needs.models import Campaign, Need
from rencai.needs.selectors import campaign_coverage
from rencai.needs.services import campaign_save, visit_record
from rencai.orgs.models import Enterprise


def _campaign_for(request: AuthedRequest, pk: int) -> Campaign:
    return get_visible_or_404(request.user, Campaign.objects.select_related("zone"), pk=pk)


@allow(*REGISTER_READERS)
def campaign_list(request: AuthedRequest) -> HttpResponse:
    campaigns = Campaign.objects.visible_to(request.user).select_related("zone")
    rows = [{"c": c, "cov": campaign_coverage(c, request.user)} for c in campaigns]
    return render(request, "needs/campaign_list.html", {"rows": rows,
                                                         "can_write": request.user.role in REGISTER_WRITERS})


@allow(*REGISTER_WRITERS)
def campaign_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    campaign = _campaign_for(request, pk) if pk else Campaign(zone=user.zone)
    form = CampaignForm(request.POST or None, instance=campaign, zones=user.visible_zones(),
                        enterprises=Enterprise.objects.visible_to(user).select_related("zone"))
    if request.method == "POST" and form.is_valid():
        campaign = form.save(commit=False)
        # every account has a city or a zone (setup, invite and demo give each account its city)
        campaign.city_id = campaign.zone.city_id if campaign.zone else (user.city_id or cast(Zone, user.zone).city_id)
        campaign = campaign_save(campaign=campaign, enterprises=list(form.cleaned_data["enterprises"]), by=user,
                                 request=request)
        messages.success(request, f"已保存问需活动“{campaign.name}”")
        return redirect("needs:campaign_detail", pk=campaign.pk)
    return render(request, "needs/campaign_edit.html", {"form": form, "c": campaign})


def _visit_form(request: AuthedRequest, campaign: Campaign) -> VisitForm:
    return VisitForm(request.POST or None, campaign=campaign,
                     enterprises=Enterprise.objects.visible_to(request.user))


@allow(*REGISTER_READERS)
def campaign_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = _campaign_for(request, pk)
    return _detail(request, campaign, _visit_form(request, campaign))


def _detail(request: AuthedRequest, campaign: Campaign, visit_form: VisitForm) -> HttpResponse:
    enterprises = Enterprise.objects.visible_to(request.user)
    visited = set(campaign.visits.values_list("enterprise", flat=True))
    pending = campaign.enterprises.filter(pk__in=enterprises).exclude(pk__in=visited)
    return render(request, "needs/campaign_detail.html", {
        "c": campaign, "cov": campaign_coverage(campaign, request.user), "visit_form": visit_form,
        "visits": visible_related(campaign.visits, request.user).select_related("enterprise", "recorded_by"),
        "not_visited": pending, "can_write": request.user.role in REGISTER_WRITERS,
        "needs": Need.objects.visible_to(request.user).filter(campaign=campaign).select_related("enterprise"),
    })


@allow(*REGISTER_WRITERS)
@require_POST
def visit_add(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = _campaign_for(request, pk)
    form = _visit_form(request, campaign)
    if form.is_valid():
        try:
            visit = visit_record(visit=form.save(commit=False), by=request.user, request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已记录走访：{visit.enterprise}。可以接着登记这次走访收集的需求。")
            return redirect("needs:campaign_detail", pk=campaign.pk)
    return _detail(request, campaign, form)
