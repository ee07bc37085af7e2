"""Drawing a review panel: conflicts from rencai's own records, affinity to the problem, a seeded weighted draw.

The draw itself (`weighted_draw`) is a pure function of (pool, weights, excluded, size, seed), so anyone can
repeat it from the recorded PanelDraw row and get the same experts.

Affinity is the matching engine's own score of each expert against the problem, read as if the problem were an
enterprise need (its title, problem text and field): the same thesaurus, discipline knowledge and learned weights
the office's matching rounds use, so "who fits this problem" means one thing across rencai. An expert the engine
does not rank at all keeps the FLOOR chance. `method` on the recorded draw names the engine and its weights.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rencai.core.textnorm import fold_width as fold_text

if TYPE_CHECKING:
    from rencai.challenges.models import Challenge
    from rencai.talents.models import Talent

AFFINITY_METHOD = "matching-engine v1"
FLOOR = 0.05  # every eligible expert keeps a chance: the draw is random, weighted, never a ranking


def affinities(challenge: Challenge, talents: Sequence[Talent]) -> dict[int, float]:
    """Each expert's engine score (0–1) against the 榜单's problem; 0 for one the engine does not rank."""
    from dataclasses import replace

    from rencai.matching.engine.records import NeedRecord
    from rencai.matching.records import need_record
    from rencai.matching.services import current_weights, ranker_for

    if not talents:
        return {}
    ranker = ranker_for(list(talents), current_weights())
    if challenge.need is not None:  # a 榜单 raised from a need keeps the need's field and 期望人才
        need = replace(need_record(challenge.need), title=challenge.title, description=challenge.problem)
    else:
        need = NeedRecord(key=f"challenge:{challenge.pk}", enterprise="", title=challenge.title,
                          description=challenge.problem)
    ranked = ranker.rank(need, top=len(talents), explain_top=0)
    scores = {int(c.key): round(float(c.score), 4) for c in ranked}
    return {t.pk: scores.get(t.pk, 0.0) for t in talents}


def weighted_draw(pool: Sequence[int], weights: dict[int, float], excluded: Iterable[int], size: int,
                  seed: int) -> list[int]:
    """Draw `size` distinct ids from `pool` minus `excluded`, each with chance ∝ weight (Efraimidis–Spirakis)."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible draw from a recorded seed, not a secret
    skip = set(excluded)
    keyed = []
    for pk in pool:  # the same pool order gives the same random stream
        u = rng.random()
        if pk in skip:
            continue
        w = max(float(weights.get(pk, 0.0)), FLOOR)
        keyed.append((u ** (1.0 / w), pk))
    keyed.sort(reverse=True)
    return [pk for _, pk in keyed[:size]]


def computed_conflicts(challenge: Challenge, talents: Iterable[Talent]) -> dict[int, list[str]]:
    """Why each expert may not review this 榜单: same employer/institution as a bidder, past agreements or
    pairings with the issuer, membership of a team, declared conflicts (this 榜单's and the matching register's)."""
    from rencai.challenges.models import BidStatus, TeamMember
    from rencai.engagements.models import Agreement
    from rencai.matching.models import Conflict, Pairing

    talents = list(talents)
    ids = [t.pk for t in talents]
    reasons: dict[int, list[str]] = {}

    def add(pk: int, why: str) -> None:
        reasons.setdefault(pk, [])
        if why not in reasons[pk]:
            reasons[pk].append(why)

    bids = list(challenge.bids.exclude(status__in=[BidStatus.DRAFT, BidStatus.WITHDRAWN])
                .select_related("lead_talent"))
    members = list(TeamMember.objects.filter(bid__in=bids).select_related("talent"))
    in_team = {m.talent_id for m in members if m.talent_id} | {b.lead_talent_id for b in bids if b.lead_talent_id}
    units = {fold_text(b.unit).strip() for b in bids} | {fold_text(m.unit).strip() for m in members}
    institutions: set[int] = set()
    for person in [b.lead_talent for b in bids if b.lead_talent] + [m.talent for m in members if m.talent]:
        units.add(fold_text(person.employer).strip())
        if person.institution_id:
            institutions.add(person.institution_id)
    units.discard("")
    for t in talents:
        if t.pk in in_team:
            add(t.pk, "是揭榜团队成员")
        if t.institution_id and t.institution_id in institutions:
            add(t.pk, f"与揭榜人同属{t.institution}")
        employer = fold_text(t.employer).strip()
        if employer and employer in units:
            add(t.pk, f"与揭榜人同一单位（{t.employer}）")
        if t.institution_id and fold_text(str(t.institution)).strip() in units:
            add(t.pk, f"与揭榜人同一单位（{t.institution}）")
    issuer = challenge.issuer_enterprise_id
    if issuer:
        for pk in Agreement.objects.filter(talent_id__in=ids, enterprise_id=issuer).values_list("talent_id", flat=True):
            add(pk, "与发榜企业有柔性引才协议")
        for pk in Pairing.objects.filter(talent_id__in=ids, need__enterprise_id=issuer).values_list("talent_id",
                                                                                                      flat=True):
            add(pk, "与发榜企业有过对接配对")
        for pk, why in Conflict.objects.filter(talent_id__in=ids, enterprise_id=issuer).values_list("talent_id",
                                                                                                      "reason"):
            add(pk, f"已登记回避：{why or '与发榜企业有利害关系'}")
    for pk, why in challenge.declared_conflicts.filter(talent_id__in=ids).values_list("talent_id", "reason"):
        add(pk, f"申报回避：{why}")
    return reasons
