"""Ranking talents for one need: retrieve by words and concepts, then score with field and person features.

Score in [0, 1], meaningful on its own (so a minimum score means the same for every need):
    relevance = weighted mean of  lexical coverage · concept coverage · field relation
    score     = relevance × (1 − profile + profile × person) × requirement
                person = seniority and availability; requirement = 1, or 0.5 per level a talent is below the
                need's stated 学历层次 / 职称 (0.9 below a preference; unknown degree or title: 1), requirements.py
Coverage is the share of what the need asks that the profile has, measured against the best any profile
in the index could do for each term, so a need nobody fits gets low scores for everybody.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace

import numpy as np

from .dense import DenseReranker
from .explain import Evidence, explain
from .index import Postings, TalentIndex
from .normalise import normalise
from .records import Key, NeedRecord
from .requirements import HARD_FACTOR, PREFERENCE_FACTOR, Requirement, requirement_of
from .semantic import SemanticIndex
from .thesaurus import ConceptHit
from .weights import RankWeights

__all__ = ["Candidate", "Filters", "NeedQuery", "Ranker"]

_COMMON_SHARE = 0.3  # in a large index, terms in more than this share of profiles only cost time
_COMMON_MIN_DOCS = 5_000
_QUERY_CAP = 3.0  # a word repeated in a long description should not drown the others
# The semantic layer joins this many of the lexical best to its own nearest profiles, and scores both.
_LEXICAL_POOL = 200
_SEMANTIC_POOL = 100


@dataclass(frozen=True, slots=True)
class Filters:
    """Who may be proposed at all. Empty tuples mean "no restriction"."""

    regions: tuple[str, ...] = ()  # 所在地区 contains one of these
    modes: tuple[str, ...] = ()  # 柔性方式 (or 人才类型) contains one of these
    only_available: bool = True

    def describe(self) -> str:
        parts = []
        if self.regions:
            parts.append("所在地区为" + "、".join(self.regions))
        if self.modes:
            parts.append("柔性方式为" + "、".join(self.modes))
        return "且".join(parts) or "可对接"


@dataclass(frozen=True, slots=True)
class Candidate:
    """One ranked talent for one need, with the evidence behind its score."""

    key: Key
    position: int  # index into the talents the index was built from
    name: str
    score: float
    lexical: float
    concept: float
    field: float
    seniority: float
    availability: float
    reasons: tuple[str, ...] = ()
    requirement: float = 1.0  # the factor for the need's 学历/职称 requirement (1.0: met, none, or unknown)
    semantic: float = 0.0  # the semantic layer's similarity stretched to [0, 1] (0 without the layer)


@dataclass(slots=True)
class NeedQuery:
    """A need turned into weighted query terms, keeping which words came from which column."""

    need: NeedRecord
    tokens: dict[str, list[str]]  # column label → tokens
    hits: dict[str, list[ConceptHit]]  # column label → concepts found there
    words: dict[int, float] = field(default_factory=dict)  # word term id → query weight
    concepts: dict[int, float] = field(default_factory=dict)  # concept id → query weight
    disciplines: dict[str, float] = field(default_factory=dict)  # implied discipline → strength
    discipline_source: dict[str, str] = field(default_factory=dict)  # code → the words that implied it
    discipline_concept: set[str] = field(default_factory=set)  # codes implied by a concept (source: its name)
    requirement: Requirement = field(default_factory=Requirement)  # 学历层次 / 职称 asked for, read once
    vector: np.ndarray | None = None  # the need's embedding, when the ranker has a semantic layer
    field_vector: np.ndarray | None = None  # Ranker._field_vector, once per need (lexical and semantic use it)


class Ranker:
    """Ranks the index's talents for needs. Cheap to create; holds per-filter masks."""

    def __init__(
        self,
        index: TalentIndex,
        *,
        weights: RankWeights | None = None,
        dense: DenseReranker | None = None,
        semantic: SemanticIndex | None = None,
    ) -> None:
        self.index = index
        self.weights = (weights or index.weights).checked()
        self.dense = dense  # optional, see dense.py; used only when weights.dense > 0
        # optional, see semantic.py: vectors by the index's positions; used when weights.semantic > 0
        self.semantic = semantic if semantic is not None and len(semantic) == len(index) else None
        self._masks: dict[Filters, np.ndarray | None] = {}
        self._relation_matrix: np.ndarray | None = None

    # ---- the query ---------------------------------------------------------------------------------

    def query(self, need: NeedRecord) -> NeedQuery:
        index, w = self.index, self.weights
        columns = (
            ("需求名称", need.title, w.title_field),
            ("需求描述", need.description, 1.0),
            ("所属领域", need.field, w.domain_field),
            ("期望人才", need.expected, w.expected_field),
        )
        query = NeedQuery(need, tokens={}, hits={}, requirement=requirement_of(need))
        if self.semantic is not None and w.semantic > 0:
            query.vector = self.semantic.embed_need(need)
        for label, text, weight in columns:
            tokens, words = index.tokeniser.analyse(text) if text else ([], [])
            hits = index.thesaurus.find(words)
            query.tokens[label], query.hits[label] = tokens, hits
            for token in tokens:
                term = index.vocabulary.get(token)
                if term is not None:
                    query.words[term] = min(_QUERY_CAP, query.words.get(term, 0.0) + weight)
            for hit in hits:
                self._add_concept(query, hit.concept, weight)
        self._add_disciplines(query)
        return query

    def _add_concept(self, query: NeedQuery, concept: int, weight: float) -> None:
        query.concepts[concept] = max(query.concepts.get(concept, 0.0), weight)
        for depth, ancestor in enumerate(self.index.thesaurus.ancestors(concept)):
            value = weight * self.weights.related * (0.6**depth)
            query.concepts[ancestor] = max(query.concepts.get(ancestor, 0.0), value)

    def _add_disciplines(self, query: NeedQuery) -> None:
        """Disciplines the need implies: said outright (期望人才), or through its concepts."""
        index, need = self.index, query.need
        known = index.knowledge.discipline_names
        stated = dict.fromkeys(need.discipline_codes, "期望人才")
        for text in (need.expected, need.field):
            for code, words in index.knowledge.scan(text).items():
                stated.setdefault(code, words)
        for code, source in stated.items():
            if code in known:
                query.disciplines[code] = 1.0
                query.discipline_source[code] = source
        # Concepts vote with their rarity: a need about 钕铁硼 implies 材料 more than "质量管理" does.
        votes: dict[str, float] = {}
        sources: dict[str, str] = {}
        for hits in query.hits.values():
            for hit in hits:
                strength = float(index.concepts.idf[hit.concept])
                for rank, code in enumerate(index.thesaurus.disciplines[hit.concept]):
                    value = strength * (1.0 if rank == 0 else 0.7)
                    if value > votes.get(code, 0.0):
                        votes[code], sources[code] = value, index.thesaurus.names[hit.concept]
        top = max(votes.values(), default=0.0)
        for code, value in votes.items():
            if code in known and code not in query.disciplines and top > 0:
                query.disciplines[code] = 0.8 * value / top
                query.discipline_source[code] = sources[code]
                query.discipline_concept.add(code)

    # ---- ranking -----------------------------------------------------------------------------------

    def rank(
        self,
        need: NeedRecord,
        *,
        top: int = 10,
        filters: Filters = Filters(),  # noqa: B008 - frozen, safe to share
        explain_top: int | None = None,
        query: NeedQuery | None = None,
    ) -> list[Candidate]:
        """The best `top` talents, best first. Reasons are written for the first `explain_top` (all)."""
        query = query or self.query(need)
        mask = self._mask(filters)
        positions, scores, parts = self._score(query, mask)
        if query.vector is not None:
            positions, scores, parts = self._with_semantic(query, positions, scores, parts, mask)
        if len(positions) == 0:
            return []
        order = _top(scores, top if self.dense is None else max(top, 30))
        positions, scores = positions[order], scores[order]
        parts = {name: values[order] for name, values in parts.items()}
        if self.dense is not None and self.weights.dense > 0:
            positions, scores, parts = self._rerank(query, positions, scores, parts)
        candidates = []
        limit = top if explain_top is None else explain_top
        for rank, (position, score) in enumerate(zip(positions[:top], scores[:top], strict=True)):
            evidence = Evidence(**{name: float(values[rank]) for name, values in parts.items()})
            talent = self.index.talents[int(position)]
            reasons = explain(query, talent, int(position), self.index, evidence) if rank < limit else ()
            candidates.append(
                Candidate(
                    key=talent.key,
                    position=int(position),
                    name=talent.name,
                    score=float(np.clip(score, 0.0, 1.0)),
                    lexical=evidence.lexical,
                    concept=evidence.concept,
                    field=evidence.field,
                    seniority=evidence.seniority,
                    availability=evidence.availability,
                    reasons=reasons,
                    requirement=evidence.requirement,
                    semantic=evidence.semantic,
                )
            )
        return candidates

    def prepare(self, needs: list[NeedRecord] | tuple[NeedRecord, ...]) -> None:
        """Embed the needs of a round in one batch before ranking (and before worker processes fork, so
        they never run the model)."""
        if self.semantic is not None and self.weights.semantic > 0:
            self.semantic.embed_needs(needs)

    def explained(self, query: NeedQuery, candidate: Candidate) -> Candidate:
        """The same candidate with its reasons written (for one ranked beyond the explained ones)."""
        if candidate.reasons:
            return candidate
        evidence = Evidence(
            candidate.lexical,
            candidate.concept,
            candidate.field,
            candidate.seniority,
            candidate.availability,
            candidate.requirement,
            candidate.semantic,
        )
        talent = self.index.talents[candidate.position]
        return replace(candidate, reasons=explain(query, talent, candidate.position, self.index, evidence))

    def _score(self, query: NeedQuery, mask: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """Positions, scores and parts of the profiles the query reaches. From `_PRUNE_MIN_DOCS` profiles on,
        only those that can be among the best `_EXACT_DEPTH` are scored (a max-score bound, `_pruned`); the
        best `_EXACT_DEPTH` are then the same, in the same order, as scoring every profile reached."""
        index = self.index
        size = len(index)
        words = _live_terms(index.words, query.words, size)
        concepts = _live_terms(index.concepts, query.concepts, size)
        field_vector = self._field_vector(query)
        if size >= _PRUNE_MIN_DOCS:
            return _pruned(self, query, mask, words, concepts, field_vector)
        lexical_raw = _accumulate_live(index.words, words.terms, size)
        concept_raw = _accumulate_live(index.concepts, concepts.terms, size)
        touched = lexical_raw + concept_raw
        if mask is not None:
            touched[~mask] = 0
        positions = np.flatnonzero(touched)
        scores, parts = _scored(
            self, query, positions, lexical_raw[positions], concept_raw[positions], words, concepts, field_vector
        )
        return positions, scores, parts

    def _requirement_factor(self, requirement: Requirement, positions: np.ndarray) -> np.ndarray:
        """requirements.shortfall_factor for every position at once, from the index's int8 level columns."""
        factor = np.ones(len(positions), dtype=np.float32)
        if not requirement:
            return factor
        degree = self.index.degree_level[positions].astype(np.int16)
        title = self.index.title_level[positions].astype(np.int16)

        def short(wanted: int, has: np.ndarray) -> np.ndarray:
            if not wanted:
                return np.zeros(len(has), dtype=np.int16)
            return np.where(has < 0, 0, np.maximum(0, wanted - has)).astype(np.int16)

        degree_short, title_short = short(requirement.degree, degree), short(requirement.title, title)
        if requirement.either:
            met = (degree_short == 0) | (title_short == 0)
            hard = np.where(met, 1.0, np.maximum(HARD_FACTOR**degree_short, HARD_FACTOR**title_short))
        else:
            hard = HARD_FACTOR ** (degree_short + title_short).astype(np.float32)
        preferred = (short(requirement.preferred_degree, degree) + short(requirement.preferred_title, title)) > 0
        factor = np.where(hard < 1.0, hard, np.where(preferred, PREFERENCE_FACTOR, 1.0))
        return factor.astype(np.float32)

    def _field_vector(self, query: NeedQuery) -> np.ndarray:
        """Field relation for every discipline index (last slot: unknown discipline → 0), once per need."""
        if query.field_vector is None:
            query.field_vector = self._field_relation(query)
        return query.field_vector

    def _field_relation(self, query: NeedQuery) -> np.ndarray:
        codes = self.index.discipline_codes
        vector = np.zeros(len(codes) + 1, dtype=np.float32)
        number = {code: n for n, code in enumerate(codes)}
        relations = self._relations()
        for wanted, strength in query.disciplines.items():
            if wanted in number:
                np.maximum(vector[:-1], strength * relations[number[wanted]], out=vector[:-1])
        for industry in query.need.industry_codes:
            affinity = [self.index.knowledge.affinity(code, industry) for code in codes]
            np.maximum(vector[:-1], 0.8 * np.asarray(affinity, dtype=np.float32), out=vector[:-1])
        return vector

    def _relations(self) -> np.ndarray:
        """Discipline × discipline relation strengths, computed once per ranker."""
        if self._relation_matrix is None:
            codes, knowledge = self.index.discipline_codes, self.index.knowledge
            self._relation_matrix = np.asarray(
                [[knowledge.relation(a, b) for b in codes] for a in codes], dtype=np.float32
            ).reshape(len(codes), len(codes))
        return self._relation_matrix

    def _rerank(
        self,
        query: NeedQuery,
        positions: np.ndarray,
        scores: np.ndarray,
        parts: dict[str, np.ndarray],
    ) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """Dense similarity as a confidence on the top candidates: it can only lower a score, so the score
        keeps its absolute meaning for the minimum-score constraint."""
        assert self.dense is not None
        talents = [self.index.talents[int(p)] for p in positions]
        similarity = np.asarray(self.dense.similarities(query.need, talents), dtype=np.float32)
        share = self.weights.dense
        blended = scores * ((1 - share) + share * similarity)
        order = np.argsort(-blended, kind="stable")
        return positions[order], blended[order], {name: values[order] for name, values in parts.items()}

    def _with_semantic(
        self,
        query: NeedQuery,
        positions: np.ndarray,
        scores: np.ndarray,
        parts: dict[str, np.ndarray],
        mask: np.ndarray | None,
    ) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """The lexical best joined by the profiles nearest in meaning, each scored

            relevance = (1 − s) × lexical relevance + s × semantic similarity

        with the same person and requirement factors as `_score`. A profile the words never reached has the
        lexical relevance of topic 0: its field relation only."""
        assert self.semantic is not None and query.vector is not None
        index, w = self.index, self.weights
        best = _top(scores, _LEXICAL_POOL)
        lexical_positions, lexical_scores = positions[best], scores[best]
        nearest = self.semantic.nearest(query.vector, _SEMANTIC_POOL, mask)
        union = np.union1d(lexical_positions, nearest).astype(np.int64)
        found = np.isin(union, lexical_positions)
        slot = np.full(len(union), len(best), dtype=np.int64)  # one past the end: the zero appended below
        order = np.argsort(lexical_positions, kind="stable")
        slot[found] = order[np.searchsorted(lexical_positions[order], union[found])]
        seniority, availability = index.seniority[union], index.availability[union]
        person = (w.seniority * seniority + w.availability * availability) / max(w.seniority + w.availability, 1e-9)
        person_factor = 1 - w.profile + w.profile * person
        requirement = self._requirement_factor(query.requirement, union)
        field = self._field_vector(query)[index.discipline[union]]
        share_field = w.field if query.disciplines or query.need.industry_codes else 0.0
        lexical_relevance = np.where(
            found,
            np.append(lexical_scores, 0.0)[slot] / np.maximum(person_factor * requirement, 1e-9),
            share_field * field,
        )
        cosine = self.semantic.similarity(query.vector, union)
        semantic = np.clip((cosine - w.semantic_floor) / (w.semantic_ceiling - w.semantic_floor), 0.0, 1.0)
        relevance = (1 - w.semantic) * lexical_relevance + w.semantic * semantic
        blended = (relevance * person_factor * requirement).astype(np.float32)
        out = {}
        for name, values in parts.items():
            out[name] = np.where(found, np.append(values[best], 0.0)[slot], 0.0).astype(np.float32)
        out.update(field=field, seniority=seniority, availability=availability, requirement=requirement)
        out["semantic"] = semantic.astype(np.float32)
        return union, blended, out

    # ---- filters -----------------------------------------------------------------------------------

    def _mask(self, filters: Filters) -> np.ndarray | None:
        if filters not in self._masks:
            self._masks[filters] = self._build_mask(filters)
        return self._masks[filters]

    def _build_mask(self, filters: Filters) -> np.ndarray | None:
        regions = tuple(normalise(r) for r in filters.regions if r.strip())
        modes = tuple(normalise(m) for m in filters.modes if m.strip())
        if not regions and not modes and not filters.only_available:
            return None
        mask = np.ones(len(self.index), dtype=bool)
        for number, talent in enumerate(self.index.talents):
            if filters.only_available and not talent.available:
                mask[number] = False
            elif regions and not any(r in normalise(talent.region) for r in regions):
                mask[number] = False
            elif modes and not any(
                m in normalise(talent.flexible_mode) or m in normalise(talent.talent_type) for m in modes
            ):
                mask[number] = False
        return None if mask.all() else mask


def _accumulate(postings: Postings, terms: dict[int, float], size: int) -> tuple[np.ndarray, float]:
    """Sum of query weight × posting weight per profile, and the best sum any profile could reach."""
    scores = np.zeros(size, dtype=np.float32)
    best = 0.0
    skip = _COMMON_SHARE * size if size >= _COMMON_MIN_DOCS else size + 1
    indptr, docs, weights = postings.indptr, postings.docs, postings.weights
    for term, weight in terms.items():
        start, end = int(indptr[term]), int(indptr[term + 1])
        if start == end or end - start > skip:
            continue
        scores[docs[start:end]] += weight * weights[start:end]
        best += weight * float(postings.best[term])
    return scores, best


def _top(scores: np.ndarray, count: int) -> np.ndarray:
    """Indices of the `count` highest scores, best first (ties: lower index first)."""
    if count <= 0:
        return np.zeros(0, dtype=np.int64)
    if len(scores) > count:
        part = np.argpartition(-scores, count - 1)[:count]
        # argpartition keeps an arbitrary few of the scores tied at the cut: keep the lowest indices.
        cut = scores[part].min()
        tied = np.flatnonzero(scores == cut)
        if len(tied) > np.count_nonzero(scores[part] == cut):
            above = part[scores[part] > cut]
            part = np.concatenate((above, tied[: count - len(above)]))
    else:
        part = np.arange(len(scores))
    return part[np.lexsort((part, -scores[part]))]


# ---- pruning: score only the profiles that can be among the best ----------------------------------------

_PRUNE_MIN_DOCS = 20_000  # below this, scoring every profile reached costs no more than bounding
_EXACT_DEPTH = 200  # the pruned ranking is exact for at least this many of the best (the semantic pool's depth)
_SEED_PER_TERM = 512  # a first guess of the threshold: the heaviest postings of the strongest terms …
_SEED_TERMS = 6  # … of this many terms
_BOUND_SLACK = 1e-4  # float32 scores may exceed the float64 bound by a few ulps
_MARK_SHARE = 64  # more positions than 1/64 of the profiles are collected by marking, not sorting
_SCRATCH = threading.local()  # per-thread arrays over all profiles, all zero between calls


@dataclass(frozen=True, slots=True)
class _Live:
    """A query's terms that take part in scoring, in the query's order: (query weight, start, end)."""

    terms: list[tuple[float, int, int]]
    bounds: list[float]  # per term: query weight × the term's largest posting weight
    best: float  # the best sum any profile could reach


def _live_terms(postings: Postings, terms: dict[int, float], size: int) -> _Live:
    """The terms `_accumulate` adds up (common ones skipped in a large index), their bounds and best sum."""
    skip = _COMMON_SHARE * size if size >= _COMMON_MIN_DOCS else size + 1
    indptr, top = postings.indptr, postings.best
    live: list[tuple[float, int, int]] = []
    bounds: list[float] = []
    best = 0.0
    for term, weight in terms.items():
        start, end = int(indptr[term]), int(indptr[term + 1])
        if start == end or end - start > skip:
            continue
        live.append((weight, start, end))
        bound = weight * float(top[term])
        bounds.append(bound)
        best += bound
    return _Live(live, bounds, best)


def _accumulate_live(
    postings: Postings, terms: list[tuple[float, int, int]], size: int, out: np.ndarray | None = None
) -> np.ndarray:
    """`_accumulate`'s float32 sums over every profile, terms added in the query's order (into `out`, zeros)."""
    scores = np.zeros(size, dtype=np.float32) if out is None else out
    docs, weights = postings.docs, postings.weights
    for weight, start, end in terms:
        scores[docs[start:end]] += weight * weights[start:end]
    return scores


def _scratch(name: str, size: int, dtype: type) -> np.ndarray:
    """This thread's zeroed array `name` over `size` profiles; the caller zeroes what it wrote."""
    array: np.ndarray | None = getattr(_SCRATCH, name, None)
    if array is None or len(array) < size:
        array = np.zeros(size, dtype=dtype)
        setattr(_SCRATCH, name, array)
    return array[:size]


def _clear(array: np.ndarray, postings: Postings, terms: list[tuple[float, int, int]]) -> None:
    """Zero what `_accumulate_live` wrote into a scratch array."""
    if sum(end - start for _w, start, end in terms) > len(array) // 16:
        array.fill(0)
        return
    for _weight, start, end in terms:
        array[postings.docs[start:end]] = 0


def _scored(
    ranker: Ranker,
    query: NeedQuery,
    positions: np.ndarray,
    lexical: np.ndarray,
    concept: np.ndarray,
    words: _Live,
    concepts: _Live,
    field_vector: np.ndarray,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Scores and parts of `positions` from their word and concept sums (module docstring)."""
    index, w = ranker.index, ranker.weights
    lexical_best, concept_best = words.best, concepts.best
    # One coverage for words and concepts: a need whose only concept is a broad category gets little
    # from matching it, while a need rich in concepts is matched mostly through them.
    achievable = w.lexical * lexical_best + w.concept * concept_best
    coverage = (w.lexical * lexical + w.concept * concept) / max(achievable, 1e-9)
    knee = w.coverage_knee
    topic = coverage * (1 + knee) / (coverage + knee)
    field = field_vector[index.discipline[positions]]
    share_field = w.field if query.disciplines or query.need.industry_codes else 0.0
    relevance = (1 - share_field) * topic + share_field * field
    seniority = index.seniority[positions]
    availability = index.availability[positions]
    person = (w.seniority * seniority + w.availability * availability) / max(w.seniority + w.availability, 1e-9)
    requirement = ranker._requirement_factor(query.requirement, positions)
    scores = relevance * (1 - w.profile + w.profile * person) * requirement
    parts = {
        "lexical": lexical / lexical_best if lexical_best > 0 else np.zeros_like(lexical),
        "concept": concept / concept_best if concept_best > 0 else np.zeros_like(concept),
        "field": field,
        "seniority": seniority,
        "availability": availability,
        "requirement": requirement,
    }
    return scores.astype(np.float32), parts


def _pruned(
    ranker: Ranker,
    query: NeedQuery,
    mask: np.ndarray | None,
    words: _Live,
    concepts: _Live,
    field_vector: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """The word and concept sums are added up exactly as when scoring every profile (so every score is the
    same to the bit), but only some profiles are scored: a max-score bound (Turtle & Flood 1995). A
    profile's weighted sum is at most the sum of the bounds of the terms it has, so once `_EXACT_DEPTH`
    profiles are known to score θ, the weakest terms whose bounds together cannot lift a profile to θ are
    not essential, and only profiles holding an essential term are scored. Of those, the ones scoring at
    least the `_EXACT_DEPTH`-th best are returned."""
    index = ranker.index
    size = len(index)
    lexical_all, concept_all = _scratch("lexical", size, np.float32), _scratch("concept", size, np.float32)
    try:
        _accumulate_live(index.words, words.terms, size, lexical_all)
        _accumulate_live(index.concepts, concepts.terms, size, concept_all)
        positions = _essential(ranker, query, mask, words, concepts, field_vector, lexical_all, concept_all)
        lexical, concept = lexical_all[positions], concept_all[positions]
    finally:
        _clear(lexical_all, index.words, words.terms)
        _clear(concept_all, index.concepts, concepts.terms)
    scores, parts = _scored(ranker, query, positions, lexical, concept, words, concepts, field_vector)
    if len(scores) > _EXACT_DEPTH:  # exactly those that can be ranked right: at least the K-th best
        kth = np.partition(scores, len(scores) - _EXACT_DEPTH)[len(scores) - _EXACT_DEPTH]
        keep = np.flatnonzero(scores >= kth)
        positions, scores = positions[keep], scores[keep]
        parts = {name: values[keep] for name, values in parts.items()}
    return positions, scores, parts


def _essential(
    ranker: Ranker,
    query: NeedQuery,
    mask: np.ndarray | None,
    words: _Live,
    concepts: _Live,
    field_vector: np.ndarray,
    lexical_all: np.ndarray,
    concept_all: np.ndarray,
) -> np.ndarray:
    """Sorted positions (int64, eligible under `mask`) that include every profile able to reach the
    `_EXACT_DEPTH`-th best score; every profile the query reaches when the bound cannot rule any out."""
    index, w = ranker.index, ranker.weights
    size = len(index)
    kinds = [(index.words, words, w.lexical), (index.concepts, concepts, w.concept)]
    # Every term of both kinds with its bound in the units of the weighted sum (coverage × achievable).
    bounds = [(scale * b, k, n) for k, (_p, live, scale) in enumerate(kinds) for n, b in enumerate(live.bounds)]
    achievable = w.lexical * words.best + w.concept * concepts.best
    knee = w.coverage_knee
    share_field = w.field if query.disciplines or query.need.industry_codes else 0.0
    # The bound assumes what RankWeights promises: weights ≥ 0, shares ≤ 1 (else: no pruning).
    sane = min(w.lexical, w.concept, w.seniority, w.availability, share_field, w.profile) >= 0
    sane = sane and max(share_field, w.profile) <= 1
    threshold = 0.0
    if sane and knee > 0 and achievable > 0 and len(bounds) > 1:
        seeds = _seeds(kinds, sorted(bounds, reverse=True)[:_SEED_TERMS], mask)
        if len(seeds) >= _EXACT_DEPTH:
            seed_scores, _parts = _scored(
                ranker, query, seeds, lexical_all[seeds], concept_all[seeds], words, concepts, field_vector
            )
            threshold = float(np.partition(seed_scores, len(seeds) - _EXACT_DEPTH)[len(seeds) - _EXACT_DEPTH])
    field_best = float(field_vector.max(initial=0.0))
    person_best = 1.0  # 1 − profile + profile × person with person ∈ [0, 1]; the requirement factor is ≤ 1
    ordered = sorted(bounds)
    total, optional = 0.0, 0
    if threshold > 0:
        for bound, _k, _n in ordered:
            coverage = (total + bound) / achievable
            topic = coverage * (1 + knee) / (coverage + knee)
            ceiling = ((1 - share_field) * topic + share_field * field_best) * person_best
            if ceiling >= threshold * (1 - _BOUND_SLACK):
                break
            total += bound
            optional += 1
    chunks = []
    for _bound, k, n in ordered[optional:]:
        postings, live, _scale = kinds[k]
        _weight, start, end = live.terms[n]
        chunks.append(postings.docs[start:end])
    positions = _union(chunks, size)
    return positions if mask is None else positions[mask[positions]]


def _seeds(
    kinds: list[tuple[Postings, _Live, float]], strongest: list[tuple[float, int, int]], mask: np.ndarray | None
) -> np.ndarray:
    """Sorted positions holding the heaviest postings of the strongest terms (masked ones left out)."""
    chunks = []
    for _bound, k, n in strongest:
        postings, live, _scale = kinds[k]
        _weight, start, end = live.terms[n]
        docs, weights = postings.docs[start:end], postings.weights[start:end]
        if mask is not None:
            eligible = mask[docs]
            docs, weights = docs[eligible], weights[eligible]
        if len(docs) > _SEED_PER_TERM:
            docs = docs[np.argpartition(-weights, _SEED_PER_TERM - 1)[:_SEED_PER_TERM]]
        chunks.append(docs)
    return _union(chunks, 0)


def _union(chunks: list[np.ndarray], size: int) -> np.ndarray:
    """The sorted distinct positions (int64) of several arrays; `size`: the number of profiles (0: unknown)."""
    if not chunks:
        return np.zeros(0, dtype=np.int64)
    if size and sum(len(c) for c in chunks) > size // _MARK_SHARE:  # many: mark them in an array
        marks = _scratch("union", size, np.bool_)
        for chunk in chunks:
            marks[chunk] = True
        positions = np.flatnonzero(marks)
        marks[positions] = False
        return positions
    joined = np.sort(np.concatenate(chunks)).astype(np.int64)
    if len(joined) > 1:
        joined = joined[np.concatenate(([True], joined[1:] != joined[:-1]))]
    return joined
