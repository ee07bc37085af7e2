"""Reads of 揭榜挂帅: every query starts from a scoped queryset (Model.objects.visible_to(user))."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from rencai.challenges.models import PUBLIC_STATUSES, Assignment, Award, Bid, Challenge, Milestone, Score, Status
from rencai.core.lifecycle import history_for_all
from rencai.core.models import User


def challenges_for(user: User) -> QuerySet[Challenge]:
    return Challenge.objects.visible_to(user).select_related("zone", "issuer_enterprise", "issuer_bureau")


def public_challenges() -> QuerySet[Challenge]:
    """Published 榜单 anyone may read (no log-in): the public page and its .xlsx."""
    return (Challenge.objects.filter(status__in=PUBLIC_STATUSES)
            .select_related("zone", "issuer_enterprise", "issuer_bureau").order_by("deadline", "pk"))


def open_challenges() -> QuerySet[Challenge]:
    return public_challenges().filter(status=Status.PUBLISHED)


def bids_for(user: User, challenge: Challenge) -> QuerySet[Bid]:
    return Bid.objects.visible_to(user).filter(challenge=challenge).prefetch_related("versions", "members")


def my_bids(user: User) -> QuerySet[Bid]:
    return Bid.objects.visible_to(user).filter(submitted_by=user).select_related("challenge")


def assignments_for(user: User) -> QuerySet[Assignment]:
    return (Assignment.objects.visible_to(user).filter(expert=user)
            .select_related("challenge", "bid").order_by("challenge", "bid__code"))


@dataclass
class RankRow:
    bid: Bid
    scores: dict[int, Decimal] = field(default_factory=dict)  # panel member id → total
    mean: Decimal = Decimal("0")
    spread: Decimal = Decimal("0")
    stdev: float = 0.0
    rank: int = 0


def ranking(user: User, challenge: Challenge) -> tuple[list[Any], list[RankRow]]:
    """Every bid with each expert's score, the mean, the spread (max − min) and the rank; only scores the user may
    see (the issuer none before 公示)."""
    scores = list(Score.objects.visible_to(user).filter(assignment__challenge=challenge)
                  .select_related("assignment__bid", "assignment__member__talent"))
    if not scores:
        return [], []
    members = sorted({s.assignment.member for s in scores}, key=lambda m: m.pk)
    rows: dict[int, RankRow] = {}
    for s in scores:
        row = rows.setdefault(s.assignment.bid_id, RankRow(bid=s.assignment.bid))
        row.scores[s.assignment.member_id] = s.total
    for row in rows.values():
        values = list(row.scores.values())
        row.mean = (sum(values, Decimal("0")) / len(values)).quantize(Decimal("0.01"))
        row.spread = max(values) - min(values)
        row.stdev = round(statistics.pstdev([float(v) for v in values]), 2)
    ordered = sorted(rows.values(), key=lambda r: (-r.mean, r.bid.code))
    for i, row in enumerate(ordered, start=1):
        row.rank = i
    return members, ordered


def awards_for(user: User, challenge: Challenge) -> QuerySet[Award]:
    return Award.objects.visible_to(user).filter(challenge=challenge).select_related("bid")


def timeline(user: User, challenge: Challenge) -> list[Any]:
    """The 榜单's history with its bids', awards' and milestones' — each list scoped to the user."""
    entries = list(history_for_all(Challenge.objects.filter(pk=challenge.pk)))
    entries += list(history_for_all(bids_for(user, challenge)))
    entries += list(history_for_all(Award.objects.visible_to(user).filter(challenge=challenge)))
    entries += list(history_for_all(Milestone.objects.visible_to(user).filter(award__challenge=challenge)))
    return sorted(entries, key=lambda h: (h.at, h.pk))


def outcome_totals(user: User) -> dict[str, int]:
    """Outcomes of accepted awards in the user's scope, for the zone's figures."""
    totals = {"patents": 0, "products": 0, "problems_solved": 0, "awards": 0}
    for a in Award.objects.visible_to(user).only("patents", "products", "problems_solved"):
        totals["patents"] += a.patents
        totals["products"] += a.products
        totals["problems_solved"] += a.problems_solved
        totals["awards"] += 1
    return totals
