"""Pruned ranking (rank.py `_pruned`, a max-score bound) gives the same best candidates as scoring every
profile the need reaches: same talents, same order, same scores and parts, to the bit.

The profiles are generated: words of the shipped thesaurus (so concepts count too) drawn with a skew, so a
need has rare strong terms and common weak ones, and some profiles hold many weak terms of a need and no
strong one, the case a per-term bound (instead of the sum of the bounds) would get wrong. Small sizes make
pruning bite through the module's thresholds, which the tests lower.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from rencai.matching.engine import rank as rank_module
from rencai.matching.engine.index import TalentIndex
from rencai.matching.engine.knowledge import FieldKnowledge
from rencai.matching.engine.rank import Candidate, Filters, Ranker
from rencai.matching.engine.records import NeedRecord, TalentRecord
from rencai.matching.engine.thesaurus import Thesaurus

DEPTH = 20  # the exact depth the tests prune for
PROFILES = 3000
NEEDS = 60
_CODES = ("0805", "0817", "0811", "0812", "0905", "0709", "0821", "0830")
_TITLES = ("教授", "副教授", "研究员", "高级工程师", "讲师", "")
_DEGREES = ("博士", "硕士", "学士", "")
_REGIONS = ("包头", "呼和浩特", "鄂尔多斯")


def _vocabulary(thesaurus: Thesaurus) -> list[str]:
    words = sorted({w for w in thesaurus.words() if 2 <= len(w) <= 6})
    random.Random(7).shuffle(words)
    return words[:600]


def _pick(rng: random.Random, words: list[str], count: int) -> list[str]:
    # Skewed: the first words are common, the tail rare.
    return [words[min(len(words) - 1, int(rng.paretovariate(0.9)) - 1)] for _ in range(count)]


def _talents(words: list[str]) -> list[TalentRecord]:
    rng = random.Random(20261207)
    out = []
    for number in range(PROFILES):
        if number % 50 == 0:  # many weak (common) words, no rare one
            research, achievements = "；".join(words[:12]), "、".join(words[:6])
        else:
            research = "；".join(_pick(rng, words, rng.randint(2, 8)))
            achievements = "、".join(_pick(rng, words, rng.randint(0, 6)))
        out.append(
            TalentRecord(
                key=number + 2,
                name=f"人才{number}",
                discipline_code=rng.choice(_CODES),
                research=research,
                achievements=achievements,
                title=rng.choice(_TITLES),
                degree=rng.choice(_DEGREES),
                region=rng.choice(_REGIONS),
                flexible_mode=rng.choice(("周末式", "")),
                available=rng.random() > 0.1,
            )
        )
    # Exact duplicates, so ties at the cut must go to the lower position in both rankings.
    out += [TalentRecord(**{**_fields(t), "key": t.key + 100_000}) for t in out[1:200:7]]
    return out


def _fields(talent: TalentRecord) -> dict[str, object]:
    return {name: getattr(talent, name) for name in TalentRecord.__dataclass_fields__}


def _needs(words: list[str]) -> list[NeedRecord]:
    rng = random.Random(11)
    out = []
    for number in range(NEEDS):
        common = words[: rng.randint(2, 10)]  # the words most profiles have a few of
        rare = rng.sample(words[50:], rng.randint(0, 3))
        out.append(
            NeedRecord(
                key=number + 2,
                enterprise="包头市某公司",
                title="".join(rare[:1]) or common[0],
                description="，".join(common + rare + _pick(rng, words, 4)),
                field=rng.choice(("", "新材料", "信息技术")),
                expected=rng.choice(("", "博士", "副高级及以上职称", "材料科学与工程")),
            )
        )
    return out


@pytest.fixture(scope="module")
def setup(thesaurus: Thesaurus, knowledge: FieldKnowledge) -> tuple[Ranker, list[NeedRecord]]:
    words = _vocabulary(thesaurus)
    index = TalentIndex.build(_talents(words), thesaurus=thesaurus, knowledge=knowledge)
    return Ranker(index), _needs(words)


@pytest.fixture
def prune(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rank_module, "_PRUNE_MIN_DOCS", 0)
    monkeypatch.setattr(rank_module, "_EXACT_DEPTH", DEPTH)
    monkeypatch.setattr(rank_module, "_SEED_PER_TERM", 64)
    monkeypatch.setattr(rank_module, "_COMMON_MIN_DOCS", 10**9)  # keep every term: more weak ones to bound


def _exhaustive(ranker: Ranker, need: NeedRecord, top: int, filters: Filters) -> list[Candidate]:
    saved = rank_module._PRUNE_MIN_DOCS
    rank_module._PRUNE_MIN_DOCS = 10**12
    try:
        return ranker.rank(need, top=top, filters=filters, explain_top=0)
    finally:
        rank_module._PRUNE_MIN_DOCS = saved


FILTERS = [Filters(), Filters(only_available=False), Filters(regions=("包头",), modes=("周末式",))]


@pytest.mark.usefixtures("prune")
@pytest.mark.parametrize("filters", FILTERS, ids=["available", "everyone", "region-and-mode"])
def test_pruned_top_is_the_exhaustive_top(setup: tuple[Ranker, list[NeedRecord]], filters: Filters) -> None:
    ranker, needs = setup
    for need in needs:
        for top in (1, 5, DEPTH):
            pruned = ranker.rank(need, top=top, filters=filters, explain_top=0)
            assert pruned == _exhaustive(ranker, need, top, filters), (need.key, top)


@pytest.mark.usefixtures("prune")
def test_pruning_scores_few_profiles(setup: tuple[Ranker, list[NeedRecord]]) -> None:
    """The comparison above is about pruned rankings: most needs reach many profiles, few are scored."""
    ranker, needs = setup
    mask = ranker._mask(Filters(only_available=False))
    reached, scored = [], []
    for need in needs:
        query = ranker.query(need)
        positions, _scores, _parts = ranker._score(query, mask)
        scored.append(len(positions))
        words = rank_module._live_terms(ranker.index.words, query.words, len(ranker.index))
        concepts = rank_module._live_terms(ranker.index.concepts, query.concepts, len(ranker.index))
        touched = rank_module._accumulate_live(ranker.index.words, words.terms, len(ranker.index))
        touched += rank_module._accumulate_live(ranker.index.concepts, concepts.terms, len(ranker.index))
        reached.append(int(np.count_nonzero(touched)))
    pruned = sum(1 for r, s in zip(reached, scored, strict=True) if s < r // 2)
    assert pruned >= len(needs) // 2, (reached, scored)


@pytest.mark.usefixtures("prune")
def test_weak_terms_together_are_not_pruned(setup: tuple[Ranker, list[NeedRecord]]) -> None:
    """A need of common words only: the profiles holding all of them win, though no single word is strong."""
    ranker, _needs = setup
    words = [ranker.index.talents[0].research.split("；")[n] for n in range(12)]
    need = NeedRecord(key=1, enterprise="某公司", title=words[0], description="，".join(words))
    pruned = ranker.rank(need, top=DEPTH, filters=Filters(only_available=False), explain_top=0)
    assert pruned == _exhaustive(ranker, need, DEPTH, Filters(only_available=False))
    assert {c.key for c in pruned[:3]} & {t.key for t in ranker.index.talents[::50]}


@pytest.mark.usefixtures("prune")
def test_deeper_than_the_exact_depth_is_a_true_prefix(setup: tuple[Ranker, list[NeedRecord]]) -> None:
    """Asked for more than the pruning is exact for, the list may be shorter, never wrong."""
    ranker, needs = setup
    for need in needs[:20]:
        deep = ranker.rank(need, top=10 * DEPTH, explain_top=0)
        full = _exhaustive(ranker, need, 10 * DEPTH, Filters())
        assert len(deep) >= min(DEPTH, len(full))
        assert deep == full[: len(deep)]


def test_small_indexes_are_not_pruned(setup: tuple[Ranker, list[NeedRecord]]) -> None:
    """Below `_PRUNE_MIN_DOCS` every profile the need reaches is ranked (rank(top=len(index)) lists them all)."""
    ranker, needs = setup
    assert len(ranker.index) < rank_module._PRUNE_MIN_DOCS
    everyone = ranker.rank(needs[0], top=len(ranker.index), filters=Filters(only_available=False), explain_top=0)
    assert len(everyone) > 10 * rank_module._EXACT_DEPTH or len(everyone) > len(ranker.index) // 4


def test_top_breaks_ties_by_position() -> None:
    scores = np.asarray([0.5, 0.9, 0.5, 0.5, 0.9, 0.1] * 50, dtype=np.float32)
    order = rank_module._top(scores, 7)
    expected = sorted(range(len(scores)), key=lambda n: (-scores[n], n))[:7]
    assert order.tolist() == expected
