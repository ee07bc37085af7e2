"""The expert's pages: their assignments and the scoring form. Blind where the office chose: the expert sees the
proposal's code and content, never the team, its lead or their units."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from rencai.challenges import selectors, services
from rencai.challenges.forms import ScoreForm
from rencai.challenges.models import Assignment, Bid, Score, Status
from rencai.core.access import AuthedRequest, allow
from rencai.core.roles import Role
from rencai.core.scoping import get_visible_or_404

MASK = "■■"


def blind_words(bid: Bid) -> list[str]:
    """The team's names and units, as they could appear in the proposal text."""
    words = [bid.lead_name, bid.unit, bid.enterprise.name if bid.enterprise_id and bid.enterprise is not None else ""]
    for m in bid.members.all():
        words += [m.name, m.unit]
    return sorted({w.strip() for w in words if w and len(w.strip()) >= 2}, key=len, reverse=True)


def redact(text: str, words: list[str]) -> str:
    for word in words:
        text = text.replace(word, MASK)
    return text


@allow(Role.EXPERT)
def review_list(request: AuthedRequest) -> HttpResponse:
    assignments = selectors.assignments_for(request.user)
    scored = set(Score.objects.visible_to(request.user).values_list("assignment_id", flat=True))
    return render(request, "challenges/review_list.html", {"assignments": assignments, "scored": scored})


@allow(Role.EXPERT)
def review_assignment(request: AuthedRequest, pk: int) -> HttpResponse:
    assignment = get_visible_or_404(request.user, Assignment.objects.select_related("challenge", "bid"), pk=pk)
    challenge, bid = assignment.challenge, assignment.bid
    version = bid.latest_version()
    score = Score.objects.visible_to(request.user).filter(assignment=assignment).first()
    initial = {}
    if score is not None:
        initial = {"defence": score.defence, "comment": score.comment}
        for i, item in enumerate(challenge.rubric):
            initial[f"item_{i}"] = score.items.get(item["name"])
    form = ScoreForm(request.POST or None, rubric=challenge.rubric, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.score_submit(assignment=assignment, by=request.user, items=form.items(),
                                  defence=form.cleaned_data.get("defence"), comment=form.cleaned_data["comment"],
                                  request=request)
        except (ValidationError, PermissionDenied) as exc:
            # stubs are narrower than Django: add_error wraps any other exception in ValidationError itself
            form.add_error(None, exc)  # type: ignore[arg-type]
        else:
            messages.success(request, f"方案{bid.code}的评分已保存")
            return redirect("challenges:review_list")
    shown = None
    if version is not None:
        hide = blind_words(bid) if challenge.blind else []
        shown = {"number": version.number, "route": redact(version.route, hide), "budget": version.budget,
                 "commitment": redact(version.commitment, hide),
                 "plan": [{k: redact(str(v), hide) for k, v in p.items()} for p in version.plan]}
    return render(request, "challenges/review_form.html", {
        "a": assignment, "c": challenge, "version": shown, "form": form, "score": score,
        "blind": challenge.blind, "bid": None if challenge.blind else bid,
        "members": [] if challenge.blind else list(bid.members.all()),
        "open": challenge.status == Status.REVIEWING})
