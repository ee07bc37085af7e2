"""Read-side helpers for the pages: a round's review grouped per need, a party's proposals."""

from __future__ import annotations

from dataclasses import dataclass, field

from rencai.core.models import User
from rencai.core.roles import Role
from rencai.matching.models import MatchRound, Pairing, PairingStatus, RoundCandidate, RoundPin, RoundStatus
from rencai.matching.services import round_needs
from rencai.needs.models import Need
from rencai.talents.models import Talent


@dataclass(slots=True)
class NeedReview:
    need: Need
    candidates: list[RoundCandidate] = field(default_factory=list)
    pairings: dict[int, Pairing] = field(default_factory=dict)  # talent id → planned pairing
    pins: dict[int, str] = field(default_factory=dict)  # talent id → pin | exclude
    why: str = ""


def round_review(match_round: MatchRound, user: User | None = None) -> list[NeedReview]:
    """The round's needs with their candidates; given `user`, only the needs and talents that user may see
    (a city-wide campaign's round must not show a zone's staff another zone's needs)."""
    shown = (
        round_needs(match_round)
        if match_round.status == RoundStatus.DRAFT
        else (
            Need.objects.filter(pk__in=match_round.candidates.values("need"))
            .select_related("enterprise")
            .order_by("pk")
        )
    )
    candidates = match_round.candidates.select_related("talent").order_by("need_id", "rank")
    if user is not None:
        shown = shown.filter(pk__in=Need.objects.visible_to(user).values("pk"))
        candidates = candidates.filter(talent__in=Talent.objects.visible_to(user).values("pk"))
    needs = {n.pk: NeedReview(n) for n in shown}  # after a run: the needs it ranked, whatever their status now
    for c in candidates:
        if c.need_id in needs:
            needs[c.need_id].candidates.append(c)
    for p in match_round.pairings.all():
        if p.need_id in needs:
            needs[p.need_id].pairings[p.talent_id] = p
    for pin in RoundPin.objects.filter(round=match_round):
        if pin.need_id in needs:
            needs[pin.need_id].pins[pin.talent_id] = pin.kind
    for item in needs.values():  # the page reads the plan's decision on each candidate directly
        for c in item.candidates:
            c.pairing = item.pairings.get(c.talent_id)  # type: ignore[attr-defined]
            c.pin = item.pins.get(c.talent_id, "")  # type: ignore[attr-defined]
    for key, why in (match_round.summary or {}).get("unassigned", {}).items():
        if int(key) in needs:
            needs[int(key)].why = why
    return list(needs.values())


def proposals_for(user: User) -> list[Pairing]:
    """The published pairings proposed to this enterprise user or talent, newest first."""
    if user.role not in (Role.ENTERPRISE, Role.TALENT):
        return []
    return list(
        Pairing.objects.visible_to(user)
        .exclude(status=PairingStatus.PROPOSED)
        .select_related("need__enterprise", "talent", "round")
        .order_by("-round__published_at", "-pk")
    )


def stored_profile_vectors(talent_ids: list[int], *, model: str) -> dict[int, tuple[str, bytes]]:
    """Talent id → (digest, float16 bytes) of the embeddings stored for `model`."""
    from rencai.matching.models import ProfileEmbedding

    out: dict[int, tuple[str, bytes]] = {}
    for start in range(0, len(talent_ids), 5000):  # SQLite's bound-parameter limit
        rows = ProfileEmbedding.objects.filter(talent_id__in=talent_ids[start : start + 5000], model=model)
        for talent_id, digest, vector in rows.values_list("talent_id", "digest", "vector"):
            out[talent_id] = (digest, bytes(vector))
    return out
