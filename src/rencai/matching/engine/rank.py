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

from dataclasses import dataclass, field, replace

import numpy as np

from .dense import DenseReranker
from .explain import Evidence, explain
from .index import Postings, TalentIndex
from .normalise import normalise
from .records import Key, NeedRecord
from .requirements import HARD_FACTOR, PREFERENCE_FACTOR, Requirement, requirement_of
from .thesaurus import ConceptHit
from .weights import RankWeights

__all__ = ["Candidate", "Filters", "NeedQuery", "Ranker"]

_COMMON_SHARE = 0.3  # in a large index, terms in more than this share of profiles only cost time
_COMMON_MIN_DOCS = 5_000
_QUERY_CAP = 3.0  # a word repeated in a long description should not drown the others


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


class Ranker:
    """Ranks the index's talents for needs. Cheap to create; holds per-filter masks."""

    def __init__(
        self, index: TalentIndex, *, weights: RankWeights | None = None, dense: DenseReranker | None = None
    ) -> None:
        self.index = index
        self.weights = (weights or index.weights).checked()
        self.dense = dense  # optional, see dense.py; used only when weights.dense > 0
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
        positions, scores, parts = self._score(query, self._mask(filters))
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
                )
            )
        return candidates

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
        )
        talent = self.index.talents[candidate.position]
        return replace(candidate, reasons=explain(query, talent, candidate.position, self.index, evidence))

    def _score(self, query: NeedQuery, mask: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        index, w = self.index, self.weights
        size = len(index)
        lexical_raw, lexical_best = _accumulate(index.words, query.words, size)
        concept_raw, concept_best = _accumulate(index.concepts, query.concepts, size)
        touched = lexical_raw + concept_raw
        if mask is not None:
            touched[~mask] = 0
        positions = np.flatnonzero(touched)
        lexical, concept = lexical_raw[positions], concept_raw[positions]
        # One coverage for words and concepts: a need whose only concept is a broad category gets little
        # from matching it, while a need rich in concepts is matched mostly through them.
        achievable = w.lexical * lexical_best + w.concept * concept_best
        coverage = (w.lexical * lexical + w.concept * concept) / max(achievable, 1e-9)
        knee = w.coverage_knee
        topic = coverage * (1 + knee) / (coverage + knee)
        field = self._field_vector(query)[index.discipline[positions]]
        share_field = w.field if query.disciplines or query.need.industry_codes else 0.0
        relevance = (1 - share_field) * topic + share_field * field
        seniority = index.seniority[positions]
        availability = index.availability[positions]
        person = (w.seniority * seniority + w.availability * availability) / max(w.seniority + w.availability, 1e-9)
        requirement = self._requirement_factor(query.requirement, positions)
        scores = relevance * (1 - w.profile + w.profile * person) * requirement
        parts = {
            "lexical": lexical / lexical_best if lexical_best > 0 else np.zeros_like(lexical),
            "concept": concept / concept_best if concept_best > 0 else np.zeros_like(concept),
            "field": field,
            "seniority": seniority,
            "availability": availability,
            "requirement": requirement,
        }
        return positions, scores.astype(np.float32), parts

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
        """Field relation for every discipline index (last slot: unknown discipline → 0)."""
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
    else:
        part = np.arange(len(scores))
    return part[np.lexsort((part, -scores[part]))]
