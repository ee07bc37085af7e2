"""Innovation competitions: tracks, rounds with quotas, weighted scores, rankings and the winners' landing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rencai.core.access import AuthedRequest, allow
from rencai.core.roles import Role
from rencai.core.scoping import get_visible_or_404
from rencai.recruitment import selectors, services
from rencai.recruitment.models import Competition, Entry, Round

OFFICE = (Role.OFFICE_ADMIN, Role.REVIEWER)


@allow(*OFFICE)
def competition_list(request: AuthedRequest) -> HttpResponse:
    return render(request, "recruitment/competition_list.html",
                  {"competitions": selectors.competitions_for(request.user)})


@allow(*OFFICE)
def competition_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    competition = get_visible_or_404(request.user, Competition, pk=pk)
    rounds = list(competition.rounds.all())
    tracks = list(competition.tracks.all())
    tables = []
    for rnd in rounds:
        for track in tracks:
            ranked = services.ranking(rnd, track)
            if ranked:
                tables.append({"round": rnd, "track": track, "ranked": ranked})
    winners = Entry.objects.visible_to(request.user).filter(track__competition=competition, winner=True)
    return render(request, "recruitment/competition_detail.html", {
        "competition": competition, "rounds": rounds, "tables": tables, "winners": winners.select_related(
            "track", "landed_enterprise"), "criteria": competition.criteria.all(), "judges": competition.judges.all(),
        "tracks": tracks,
        "entries": Entry.objects.visible_to(request.user).filter(track__competition=competition)
        .select_related("track", "reached")})


@allow(*OFFICE)
@require_POST
def round_close(request: AuthedRequest, pk: int, round_pk: int) -> HttpResponse:
    competition = get_visible_or_404(request.user, Competition, pk=pk)
    rnd = get_visible_or_404(request.user, Round.objects.filter(competition=competition), pk=round_pk)
    try:
        result = services.round_close(round=rnd, by=request.user, request=request)
        messages.success(request, _("已按名额晋级 %(n)s 个项目") % {"n": result["advanced"]})
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("recruitment:competition", pk=competition.pk)
