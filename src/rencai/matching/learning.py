"""Getting better with use: the office's answers to pairings re-weight the ranking, but never for the worse.

Feedback: accepted → 1, declined → 0, completed → 1 when the host rated it 3 or more, else 0.
Needs are split deterministically by id (every third need held out); weights are fitted by coordinate search
maximising MRR on the training needs and kept only if they beat the default on the held-out needs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.db import transaction

from rencai.core.models import User
from rencai.matching.engine import DEFAULT_WEIGHTS, Filters, NeedRecord, Ranker, RankWeights, choose_weights
from rencai.matching.models import LearnedWeights, Pairing, PairingStatus
from rencai.matching.records import need_record
from rencai.matching.services import ranker_for

HELD_OUT_EVERY = 3
GOOD_RATING = 3
# The features searched and the values tried for each, around the default.
GRID: dict[str, tuple[float, ...]] = {
    "profile": (0.0, 0.1, 0.3, 0.6, 1.0),
    "seniority": (0.3, 0.7, 1.0),
    "availability": (0.0, 0.3, 0.7),
    "field": (0.0, 0.2, 0.5, 0.8),
    "concept": (0.5, 1.5, 3.0),
    "lexical": (0.5, 1.0, 2.0),
    # The semantic layer's share (used only when the layer is on: without it the ranker ignores the weight).
    "semantic": (0.0, 0.4, 0.6, 0.8, 0.9),
}


@dataclass(frozen=True, slots=True)
class Feedback:
    need_id: int
    talent_id: int
    label: int


def feedback_items() -> list[Feedback]:
    out: list[Feedback] = []
    done = (PairingStatus.ACCEPTED, PairingStatus.DECLINED, PairingStatus.COMPLETED)
    for p in Pairing.objects.filter(status__in=done).order_by("pk"):
        if p.status == PairingStatus.COMPLETED:
            label = int((p.rating or 0) >= GOOD_RATING)
        else:
            label = int(p.status == PairingStatus.ACCEPTED)
        out.append(Feedback(p.need_id, p.talent_id, label))
    return out


@dataclass(slots=True)
class History:
    needs: dict[int, NeedRecord]
    labels: dict[int, dict[int, int]]  # need → talent → label (the last answer wins)

    def split(self) -> tuple[list[int], list[int]]:
        useful = sorted(n for n, labels in self.labels.items() if any(labels.values()))
        return ([n for n in useful if n % HELD_OUT_EVERY], [n for n in useful if not n % HELD_OUT_EVERY])


def load_history(items: list[Feedback]) -> tuple[History, list]:
    from rencai.needs.models import Need
    from rencai.talents.models import Talent

    labels: dict[int, dict[int, int]] = defaultdict(dict)
    for item in items:
        labels[item.need_id][item.talent_id] = item.label
    needs = {n.pk: need_record(n) for n in Need.objects.filter(pk__in=labels).select_related("enterprise")}
    talents = list(Talent.objects.filter(pk__in={i.talent_id for i in items}).order_by("pk"))
    return History(needs, dict(labels)), talents


def evaluate(ranker: Ranker, history: History, need_ids: list[int]) -> dict[str, float]:
    """MRR of the first accepted talent and Recall@3 among each need's answered pairings.

    Ties count against the weights (a declined talent first), so learning cannot win by luck."""
    if not need_ids:
        return {"mrr": 0.0, "recall3": 0.0}
    rr, recall = 0.0, 0.0
    size = len(ranker.index)
    for need_id in need_ids:
        labels = history.labels[need_id]
        ranked = ranker.rank(history.needs[need_id], top=size, filters=Filters(only_available=False), explain_top=0)
        score = {c.key: c.score for c in ranked}
        order = sorted(labels, key=lambda t: (-round(score.get(t, 0.0), 6), labels[t], t))
        first = next(i for i, t in enumerate(order, 1) if labels[t])
        rr += 1 / first
        positives = sum(labels.values())
        recall += sum(labels[t] for t in order[:3]) / positives
    return {"mrr": round(rr / len(need_ids), 4), "recall3": round(recall / len(need_ids), 4)}


def fit(score: Callable[[RankWeights], float], start: RankWeights = DEFAULT_WEIGHTS) -> RankWeights:
    """Coordinate search: change one weight at a time, keep a change only when it strictly helps."""
    best, best_score = start, score(start)
    for _ in range(2):
        improved = False
        for name, values in GRID.items():
            for value in values:
                trial = replace(best, **{name: value}).checked()
                trial_score = score(trial)
                if trial_score > best_score + 1e-9:
                    best, best_score, improved = trial, trial_score, True
        if not improved:
            break
    return best


@transaction.atomic
def learn_weights(*, by: User | None) -> LearnedWeights:
    """Fit, compare on held-out needs, and record which weights the office now uses."""
    items = feedback_items()
    history, talents = load_history(items)
    train, held = history.split()
    metrics: dict[str, object] = {"feedback": len(items), "train": len(train), "held_out": len(held)}
    chosen = DEFAULT_WEIGHTS
    learned = DEFAULT_WEIGHTS
    if train and held and talents:
        first = ranker_for(talents, DEFAULT_WEIGHTS)  # one index and one set of vectors for every trial
        base, semantic = first.index, first.semantic
        if semantic is not None:
            semantic.embed_needs(list(history.needs.values()))

        def on(need_ids: list[int]) -> Callable[[RankWeights], dict[str, float]]:
            return lambda w: evaluate(Ranker(base, weights=w, semantic=semantic), history, need_ids)

        learned = fit(lambda w: on(train)(w)["mrr"])
        default_held, learned_held = on(held)(DEFAULT_WEIGHTS), on(held)(learned)
        metrics |= {"default": default_held, "learned": learned_held}
        chosen = choose_weights(learned, lambda w: on(held)(w)["mrr"])
        if learned_held["mrr"] <= default_held["mrr"]:
            chosen = DEFAULT_WEIGHTS  # a tie is no reason to move away from the offline default
    in_use = chosen != DEFAULT_WEIGHTS
    LearnedWeights.objects.filter(in_use=True).update(in_use=False)  # the latest verdict decides
    metrics["used"] = "学习所得权重" if in_use else "默认权重"
    return LearnedWeights.objects.create(weights=learned.to_dict(), metrics=metrics, in_use=in_use, created_by=by)
