"""Bidding (揭榜): the bid form for talents and enterprises, one's own bids, a bid's page and moves."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rencai.challenges import selectors, services
from rencai.challenges.lifecycles import BID
from rencai.challenges.models import Bid
from rencai.challenges.views import BIDDERS
from rencai.challenges.views.public import _public
from rencai.core.access import AuthedRequest, allow
from rencai.core.lifecycle import history_for
from rencai.core.listing import clean_text
from rencai.core.roles import STAFF, Role
from rencai.core.scoping import get_visible_or_404


@allow(*BIDDERS)
def bid_form(request: AuthedRequest, pk: int) -> HttpResponse:
    from rencai.challenges.forms import BidForm

    challenge = _public(pk)
    mine = selectors.my_bids(request.user).filter(challenge=challenge).exclude(status="withdrawn").first()
    initial = {}
    latest = mine.latest_version() if mine else None
    if mine and latest:
        initial = {"lead_name": mine.lead_name, "unit": mine.unit, "route": latest.route, "budget": latest.budget,
                   "commitment": latest.commitment,
                   "members_text": "\n".join(f"{m.name}|{m.unit}|{m.duty}" for m in mine.members.all()),
                   "plan_text": "\n".join(f"{p['title']}|{p['due']}|{p['deliverable']}|{p['percent']}"
                                          for p in latest.plan)}
    elif request.user.role == Role.TALENT and (talent := getattr(request.user, "talent", None)):
        initial = {"lead_name": talent.name, "unit": talent.employer or (talent.institution or "")}
    form = BidForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = services.bid_save(
                challenge=challenge, by=request.user, lead_name=data["lead_name"], unit=data["unit"],
                route=data["route"], budget=data["budget"], commitment=data["commitment"], plan=data["plan_text"],
                members=data["members_text"], attachment=data.get("attachment"), request=request)
            if request.POST.get("submit") and version.bid.status == "draft":
                services.bid_move(bid=version.bid, move="submit", by=request.user, request=request)
        except (ValidationError, PermissionDenied) as exc:
            # stubs are narrower than Django: add_error wraps any other exception in ValidationError itself
            form.add_error(None, exc)  # type: ignore[arg-type]
        else:
            messages.success(request, f"方案已保存（第{version.number}版）")
            return redirect("challenges:my_bid", version.bid_id)
    return render(request, "challenges/bid_form.html", {"c": challenge, "form": form, "bid": mine})


@allow(*BIDDERS)
def my_bids(request: AuthedRequest) -> HttpResponse:
    return render(request, "challenges/my_bids.html", {"bids": selectors.my_bids(request.user),
                                                       "open": selectors.open_challenges()[:20]})


@allow(*(BIDDERS | STAFF))
def bid_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    bid = get_visible_or_404(request.user, Bid, pk=pk)
    return render(request, "challenges/bid_detail.html", {
        "bid": bid, "versions": bid.versions.order_by("-number"), "members": bid.members.all(),
        "moves": BID.moves_for(bid, request.user) if bid.submitted_by_id == request.user.pk else [],
        "history": history_for(bid)})


@require_POST
@allow(*BIDDERS)
def bid_move(request: AuthedRequest, pk: int) -> HttpResponse:
    bid = get_visible_or_404(request.user, Bid, pk=pk)
    move = clean_text(request.POST.get("move", ""))
    try:
        services.bid_move(bid=bid, move=move, by=request.user, reason=request.POST.get("reason", ""), request=request)
    except (ValidationError, PermissionDenied) as exc:
        for text in getattr(exc, "messages", [str(exc)]):
            messages.error(request, text)
    return redirect("challenges:my_bid", pk)
