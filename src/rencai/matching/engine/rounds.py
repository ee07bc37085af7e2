"""One matching round: rank every need's candidates, then plan under the constraints.

The command line's file mode and the app both call `match()`; it knows nothing of files or models.
"""

from __future__ import annotations

import gc
import multiprocessing
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .normalise import normalise
from .plan import Pair, Plan, PlanNeed, Solver, plan
from .rank import Candidate, Filters, Ranker
from .records import Key, NeedRecord, TalentRecord
from .requirements import is_hard_shortfall, requirement_of

__all__ = [
    "MatchOptions",
    "MatchResult",
    "NeedResult",
    "forbidden_pairs",
    "match",
    "same_employer",
    "unfit_pairs",
]

CONFLICT = "与企业存在利益冲突"
SAME_EMPLOYER = "与企业同属一个单位"
EXCLUDED = "已被人才办排除"
_COMPANY_SUFFIX = re.compile(r"(股份有限公司|有限责任公司|有限公司|股份公司|集团公司|集团|公司|分公司|总公司)$")
_SHORT_NAME = 4  # shorter names are too ambiguous for "one contains the other"


@dataclass(frozen=True, slots=True)
class MatchOptions:
    top: int = 10  # candidates shown per need
    min_score: float = 0.35
    lead: int = 1  # "1+N": one lead project …
    service: int = 2  # … plus N service projects per talent
    filters: Filters = Filters()  # noqa: RUF009 - frozen, safe to share
    plan_depth: int = 20  # candidates per need the plan may choose from (at least `top`)
    # The plan assigns only good fits: at least this share of the need's best fit's score (0: off), …
    relative_floor: float = 0.75
    # … never a talent below the need's stated 学历/职称 requirement, and one linked by shared words alone
    # (no thesaurus concept, no 一级学科 relation) only from this score up. 0.6 is the lowest round figure
    # above every words-only pair of the development set (bench/matching/devset), all of which are wrong.
    good_fits_only: bool = True
    words_only_floor: float = 0.6
    solver: Solver = "flow"
    workers: int = 1  # processes ranking needs in parallel (fork, Linux); keep 1 inside a web process


@dataclass(slots=True)
class NeedResult:
    need: NeedRecord
    candidates: list[Candidate]  # best first; a planned talent beyond `top` is appended
    assigned: list[Candidate]


@dataclass(slots=True)
class MatchResult:
    needs: list[NeedResult]
    plan: Plan
    unassigned: dict[Key, str]
    talents: int
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)


def match(
    needs: Sequence[NeedRecord],
    ranker: Ranker,
    *,
    options: MatchOptions = MatchOptions(),  # noqa: B008 - frozen
    conflicts: Iterable[tuple[str, str]] = (),
    exclusions: Iterable[Pair] = (),
    pins: Sequence[Pair] = (),
    progress: Callable[[int], None] | None = None,
) -> MatchResult:
    """Rank and plan. conflicts: (talent name, enterprise name) pairs declared by the office;
    exclusions: (need key, talent key) pairs never to propose; pins: pairs to place first."""
    started = time.perf_counter()
    ranker.prepare(list(needs))  # the semantic layer embeds the needs here, in one batch
    ranked = _rank_all(ranker, needs, options, progress)
    ranking = time.perf_counter()
    talents = ranker.index.talents
    forbidden = forbidden_pairs(needs, ranked, talents, conflicts=conflicts, exclusions=exclusions)
    plan_needs = [
        PlanNeed(need.key, need.demand, [(c.key, c.score) for c in candidates])
        for need, candidates in zip(needs, ranked, strict=True)
    ]
    names = {c.key: c.name for candidates in ranked for c in candidates}
    for _need_key, talent_key in pins:  # a pinned talent may be outside the ranked lists
        names.setdefault(talent_key, _name_of(talents, talent_key))
    unfit = unfit_pairs(needs, ranked, words_only_floor=options.words_only_floor) if options.good_fits_only else {}
    hopeless = [i for i, candidates in enumerate(ranked) if not any(c.score >= options.min_score for c in candidates)]
    filtered = _filtered_reasons(ranker, [needs[i] for i in hopeless], options)
    result = plan(
        plan_needs,
        min_score=options.min_score,
        lead=options.lead,
        service=options.service,
        forbidden=forbidden,
        pins=pins,
        names=names,
        filtered=filtered,
        unfit=unfit,
        relative_floor=options.relative_floor,
        solver=options.solver,
    )
    planning = time.perf_counter()
    results = [
        _need_result(ranker, need, candidates, result, forbidden, unfit, options)
        for need, candidates in zip(needs, ranked, strict=True)
    ]
    finished = time.perf_counter()
    return MatchResult(
        needs=results,
        plan=result,
        unassigned=result.unassigned,
        talents=len(talents),
        seconds=finished - started,
        timings={"rank": ranking - started, "plan": planning - ranking, "explain": finished - planning},
    )


def _rank_all(
    ranker: Ranker, needs: Sequence[NeedRecord], options: MatchOptions, progress: Callable[[int], None] | None
) -> list[list[Candidate]]:
    """Every need's candidates, best first; on several cores each process ranks a share of the needs."""
    depth = max(options.top, options.plan_depth)
    workers = min(options.workers, max(1, len(needs) // _NEEDS_PER_WORKER))
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        global _WORKER_RANKER
        _WORKER_RANKER = ranker  # inherited by the forked workers: the index is shared, not copied or pickled
        ranker._mask(options.filters)  # the filter's mask, built once here rather than once in every worker
        # Frozen objects are never traversed by the collector, so the workers' collections do not touch (and
        # copy, page by page) the million profiles they inherited.
        gc.freeze()
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                jobs = [(need, depth, options) for need in needs]
                ranked = []
                for done, candidates in enumerate(pool.imap(_rank_one, jobs, chunksize=64), 1):
                    ranked.append(candidates)
                    if progress is not None:
                        progress(done)
                return ranked
        finally:
            _WORKER_RANKER = None
            gc.unfreeze()
    ranked = []
    for done, need in enumerate(needs, 1):
        ranked.append(ranker.rank(need, top=depth, filters=options.filters, explain_top=options.top))
        if progress is not None:
            progress(done)
    return ranked


_WORKER_RANKER: Ranker | None = None
_NEEDS_PER_WORKER = 200  # below this, starting processes costs more than it saves


def _rank_one(job: tuple[NeedRecord, int, MatchOptions]) -> list[Candidate]:
    need, depth, options = job
    assert _WORKER_RANKER is not None
    return _WORKER_RANKER.rank(need, top=depth, filters=options.filters, explain_top=options.top)


def _need_result(
    ranker: Ranker,
    need: NeedRecord,
    candidates: list[Candidate],
    result: Plan,
    forbidden: dict[Pair, str],
    unfit: dict[Pair, str],
    options: MatchOptions,
) -> NeedResult:
    assigned_keys = result.assigned.get(need.key, [])
    shown = candidates[: options.top]
    shown_keys = {c.key for c in shown}
    for candidate in candidates[options.top :]:
        if candidate.key in assigned_keys and candidate.key not in shown_keys:
            shown.append(ranker.explained(ranker.query(need), candidate))
    shown = [_with_plan_notes(c, need, result, forbidden, unfit, options) for c in shown]
    by_key = {c.key: c for c in shown}
    assigned = [by_key[k] for k in assigned_keys if k in by_key]
    return NeedResult(need, shown, assigned)


def _with_plan_notes(
    candidate: Candidate,
    need: NeedRecord,
    result: Plan,
    forbidden: dict[Pair, str],
    unfit: dict[Pair, str],
    options: MatchOptions,
) -> Candidate:
    """Add what the plan decided about this pair, so the candidate list explains the plan."""
    pair = (need.key, candidate.key)
    notes: list[str] = []
    if pair in forbidden:
        notes.append(f"不予安排：{forbidden[pair]}")
    elif candidate.score < options.min_score:
        notes.append(f"低于最低分 {options.min_score:.2f}，不参与分配")
    elif pair in result.roles:
        notes.append(f"已安排（{result.roles[pair]}）")
    elif pair in unfit:
        notes.append(f"不参与分配：{unfit[pair]}")
    return replace(candidate, reasons=candidate.reasons + tuple(notes)) if notes else candidate


def _filtered_reasons(ranker: Ranker, needs: Sequence[NeedRecord], options: MatchOptions) -> dict[Key, str]:
    """For needs with no qualified candidate: would someone the filters removed have qualified?"""
    filters = options.filters
    loose = Filters(only_available=False)
    if filters == loose:
        return {}
    out: dict[Key, str] = {}
    for need in needs:
        everyone = ranker.rank(need, top=options.plan_depth, filters=loose, explain_top=0)
        removed = [c for c in everyone if c.score >= options.min_score]
        if removed:
            who = "、".join(c.name for c in removed[:3]) + ("等" if len(removed) > 3 else "")
            out[need.key] = f"达到最低分的候选人（{who}）不符合筛选条件：{filters.describe()}"
    return out


NO_EVIDENCE = "与需求只有个别用词相同，没有概念或学科上的联系"
SEMANTIC_LINK = 0.5  # a semantic similarity (stretched, semantic.py) at least this is a link in meaning


def unfit_pairs(
    needs: Sequence[NeedRecord], ranked: Sequence[Sequence[Candidate]], *, words_only_floor: float = 0.6
) -> dict[Pair, str]:
    """Ranked pairs that are not good fits, each with the reason: the talent is below a requirement the need
    states (学历层次, 职称; a preference does not count), or the only evidence is shared words (no thesaurus
    concept and no 一级学科 relation links them) and the score is below `words_only_floor`."""
    out: dict[Pair, str] = {}
    for need, candidates in zip(needs, ranked, strict=True):
        requirement = requirement_of(need)
        for candidate in candidates:
            pair = (need.key, candidate.key)
            if is_hard_shortfall(candidate.requirement):
                out[pair] = f"未达到需求要求的{requirement.describe()}"
            elif (candidate.concept <= 0 and candidate.field <= 0 and candidate.semantic < SEMANTIC_LINK
                  and candidate.score < words_only_floor):
                out[pair] = f"{NO_EVIDENCE}，且得分低于 {words_only_floor:.2f}"
    return out


def forbidden_pairs(
    needs: Sequence[NeedRecord],
    ranked: Sequence[Sequence[Candidate]],
    talents: Sequence[TalentRecord],
    *,
    conflicts: Iterable[tuple[str, str]] = (),
    exclusions: Iterable[Pair] = (),
) -> dict[Pair, str]:
    """Pairs the plan may not make among the ranked ones, each with the reason."""
    declared = {(_person_key(name), _org_key(org)) for name, org in conflicts}
    out: dict[Pair, str] = dict.fromkeys(exclusions, EXCLUDED)
    for need, candidates in zip(needs, ranked, strict=True):
        enterprise = _org_key(need.enterprise)
        for candidate in candidates:
            talent = talents[candidate.position]
            pair = (need.key, candidate.key)
            if declared and (_person_key(talent.name), enterprise) in declared:
                out[pair] = CONFLICT
            elif same_employer(talent, need):
                out[pair] = SAME_EMPLOYER
    return out


def same_employer(talent: TalentRecord, need: NeedRecord) -> bool:
    """工作单位 and 企业名称 name the same organisation (suffixes like 有限公司 ignored)."""
    a, b = _org_key(talent.employer), _org_key(need.enterprise)
    if not a or not b:
        return False
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) >= _SHORT_NAME and shorter in longer


@lru_cache(maxsize=1 << 16)  # a round asks about the same enterprises and employers thousands of times
def _org_key(name: str) -> str:
    key = normalise(name).replace(" ", "").replace("(", "").replace(")", "")
    return _COMPANY_SUFFIX.sub("", key)


@lru_cache(maxsize=1 << 16)
def _person_key(name: str) -> str:
    return re.sub(r"[\s·•・]", "", normalise(name))


def _name_of(talents: Sequence[TalentRecord], key: Key) -> str:
    return next((t.name for t in talents if t.key == key), str(key))
