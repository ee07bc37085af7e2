"""The ranker's weights as one explicit, serialisable object.

The app learns from accepted/declined/completed pairings and passes a `RankWeights` back in. Learning must
never make the offline default worse, so `choose_weights` keeps learned weights only when they score at
least as well as the default on the office's own labelled pairings.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

__all__ = ["DEFAULT_WEIGHTS", "RankWeights", "choose_weights"]

_SEMANTIC_BAND = (0.0, 0.15)  # cosines of the need less the mean need (semantic.py)


@dataclass(frozen=True, slots=True)
class RankWeights:
    """Feature weights of the ranking. All non-negative; the score stays in [0, 1] whatever they are."""

    # Topic: words and thesaurus concepts are pooled into one coverage of what the need asks.
    lexical: float = 1.0  # multiplier of word evidence (BM25)
    concept: float = 1.5  # multiplier of concept evidence (synonyms, abbreviations, business words)
    coverage_knee: float = 0.25  # topic = c(1+k)/(c+k) of coverage c: smooth, so order is never flattened
    field: float = 0.2  # share of relevance from the 一级学科 relation to the need
    # At most this share of the score depends on the person rather than the topic.
    profile: float = 0.1
    seniority: float = 0.7  # within `profile`: title, tier and degree
    availability: float = 0.3  # within `profile`: flexible mode or doctor service declared
    related: float = 0.45  # a concept shared only through a broader concept, relative to a synonym
    # Where words are found: 研究方向 counts most; the discipline's name least (the field relation covers it).
    research_field: float = 2.0
    major_field: float = 1.0
    discipline_field: float = 0.3
    achievements_field: float = 0.8
    # Where words are in the need: the title says what matters; 所属领域 is a category, not the problem.
    title_field: float = 1.5
    domain_field: float = 0.3
    expected_field: float = 0.5
    # Optional dense re-ranker: its share of the final score on the top candidates.
    dense: float = 0.0
    # The semantic layer (semantic.py): its share of relevance, and the cosine band stretched to [0, 1]
    # (unrelated pairs score about 0.0-0.05, the right expert about 0.08-0.15).
    semantic: float = 0.8
    semantic_floor: float = _SEMANTIC_BAND[0]
    semantic_ceiling: float = _SEMANTIC_BAND[1]

    def to_dict(self) -> dict[str, float]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RankWeights:
        """Read weights saved by `to_dict`; unknown keys are ignored, bad values fall back to the default."""
        known = {f.name for f in fields(cls)}
        clean: dict[str, float] = {}
        for name, value in data.items():
            if name not in known:
                continue
            try:
                number = float(value)
            except (TypeError, ValueError):
                continue
            if math.isfinite(number) and number >= 0:
                clean[name] = number
        return replace(cls(), **clean).checked()

    def checked(self) -> RankWeights:
        """Clamp to sane ranges so a learned object can never break the score's [0, 1] meaning."""
        changes: dict[str, float] = {}
        for name in ("field", "profile", "seniority", "availability", "related", "dense", "semantic"):
            if getattr(self, name) > 1:
                changes[name] = 1.0
        if self.coverage_knee < 0.01:
            changes["coverage_knee"] = 0.01
        if not 0 <= self.semantic_floor < self.semantic_ceiling <= 1:
            changes.update(semantic_floor=_SEMANTIC_BAND[0], semantic_ceiling=_SEMANTIC_BAND[1])
        if self.lexical + self.concept <= 0:
            changes.update(lexical=1.0, concept=1.0)
        return replace(self, **changes) if changes else self


DEFAULT_WEIGHTS = RankWeights()


def choose_weights(
    learned: RankWeights,
    evaluate: Callable[[RankWeights], float],
    *,
    default: RankWeights = DEFAULT_WEIGHTS,
) -> RankWeights:
    """Return `learned` only if `evaluate` (higher is better, e.g. MRR on labelled pairings) says it is no
    worse than `default`; otherwise the default. This is the guard the app uses before saving weights."""
    learned = learned.checked()
    return learned if evaluate(learned) >= evaluate(default) else default
