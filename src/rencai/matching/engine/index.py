"""The talent index: built once over every profile, queried once per need.

Two sparse matrices, stored by term (CSC) so a query only touches the postings of its own terms:
- words: BM25 weights of the profile's tokens, 研究方向 counting more than 代表性成果;
- concepts: thesaurus concepts found in the profile, with their broader concepts at a lower strength,
  weighted by the concept's rarity (idf).
Per-talent facts the re-scoring needs (discipline, seniority, availability) are numpy columns, so
1,000,000 profiles cost a few hundred bytes each and no Python object per token.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import sparse

from .knowledge import FieldKnowledge
from .normalise import normalise
from .records import TalentRecord
from .requirements import degree_level, title_level
from .thesaurus import Thesaurus
from .tokenise import Tokeniser
from .weights import DEFAULT_WEIGHTS, RankWeights

__all__ = ["Postings", "TalentIndex", "availability_of", "seniority_of"]

K1 = 1.2
B = 0.75
_ANCESTOR_STRENGTH = 0.9  # a profile about 钕铁硼 is about 稀土永磁 almost as much
_PROGRESS_EVERY = 10_000

# Seniority by title level (requirements.py: 院士 4, 正高 3, 副高 2, 中级 1; 初级 and unknown 0.3).
_TITLE_SENIORITY = {4: 1.0, 3: 0.9, 2: 0.7, 1: 0.5}
_TIER_LEVELS = {"A": 1.0, "B": 0.9, "C": 0.8, "D": 0.65, "E": 0.5}
_READY_TYPES = ("柔性引进", "博士服务", "博士后")


@dataclass(frozen=True, slots=True)
class Postings:
    """A term-major sparse matrix in three flat arrays, plus per-term statistics."""

    indptr: np.ndarray  # int64, one more than terms
    docs: np.ndarray  # int32
    weights: np.ndarray  # float32
    idf: np.ndarray  # float32 per term
    best: np.ndarray  # float32 per term: the largest weight any profile has for it

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.indptr, self.docs, self.weights, self.idf, self.best))

    def df(self, term: int) -> int:
        return int(self.indptr[term + 1] - self.indptr[term])


def seniority_of(talent: TalentRecord) -> float:
    """0.3 (unknown) to 1.0 (academician): title, tier and a doctorate."""
    return _seniority(talent.title, talent.degree, talent.tier)


@lru_cache(maxsize=4096)
def _seniority(title: str, degree: str, tier: str) -> float:
    level = _TITLE_SENIORITY.get(title_level(title), 0.3)
    if degree_level(degree) == 3:
        level = min(1.0, level + 0.1)
    return max(level, _TIER_LEVELS.get(normalise(tier).upper()[:1], 0.0))


def availability_of(talent: TalentRecord) -> float:
    """How ready the person has declared to be to serve an enterprise (0.5–1.0)."""
    return _availability(talent.flexible_mode, talent.talent_type)


@lru_cache(maxsize=4096)
def _availability(mode: str, kind: str) -> float:
    if mode or any(ready in normalise(kind) for ready in _READY_TYPES):
        return 1.0
    return 0.8 if kind else 0.5


class TalentIndex:
    """Everything needed to rank talents for a need, built once by `TalentIndex.build`."""

    def __init__(
        self,
        *,
        talents: Sequence[TalentRecord],
        tokeniser: Tokeniser,
        thesaurus: Thesaurus,
        knowledge: FieldKnowledge,
        weights: RankWeights,
        vocabulary: dict[str, int],
        words: Postings,
        concepts: Postings,
        discipline: np.ndarray,
        seniority: np.ndarray,
        availability: np.ndarray,
        degree_level: np.ndarray | None = None,
        title_level: np.ndarray | None = None,
    ) -> None:
        self.talents = talents
        self.tokeniser = tokeniser
        self.thesaurus = thesaurus
        self.knowledge = knowledge
        self.weights = weights
        self.vocabulary = vocabulary
        self.words = words
        self.concepts = concepts
        self.discipline = discipline  # int16 index into `discipline_codes`, -1 when unknown
        self.discipline_codes = knowledge.codes
        self.seniority = seniority
        self.availability = availability
        # int8 levels of requirements.py (−1 unknown), so a need's 博士/职称 requirement costs no per-talent parsing.
        unknown = np.full(len(talents), -1, dtype=np.int8)
        self.degree_level = unknown if degree_level is None else degree_level
        self.title_level = unknown.copy() if title_level is None else title_level

    def __len__(self) -> int:
        return len(self.talents)

    @property
    def nbytes(self) -> int:
        columns = (self.discipline, self.seniority, self.availability, self.degree_level, self.title_level)
        return self.words.nbytes + self.concepts.nbytes + sum(c.nbytes for c in columns)

    def discipline_of(self, position: int) -> str:
        number = int(self.discipline[position])
        return self.discipline_codes[number] if number >= 0 else ""

    @classmethod
    def build(
        cls,
        talents: Sequence[TalentRecord],
        *,
        thesaurus: Thesaurus,
        knowledge: FieldKnowledge | None = None,
        weights: RankWeights = DEFAULT_WEIGHTS,
        tokeniser: Tokeniser | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> TalentIndex:
        """Tokenise every profile once. `progress(n)` is called with the number of profiles done."""
        knowledge = knowledge or FieldKnowledge()
        tokeniser = tokeniser or Tokeniser(thesaurus.words())
        builder = _Builder(tokeniser, thesaurus, knowledge, weights)
        for done, talent in enumerate(talents, 1):
            builder.add(talent)
            if progress is not None and done % _PROGRESS_EVERY == 0:
                progress(done)
        if progress is not None:
            progress(len(talents))
        return cls(
            talents=talents,
            tokeniser=tokeniser,
            thesaurus=thesaurus,
            knowledge=knowledge,
            weights=weights,
            vocabulary=builder.vocabulary,
            words=builder.word_postings(),
            concepts=builder.concept_postings(len(thesaurus)),
            discipline=np.asarray(builder.discipline, dtype=np.int16),
            seniority=np.asarray(builder.seniority, dtype=np.float32),
            availability=np.asarray(builder.availability, dtype=np.float32),
            degree_level=np.asarray(builder.degree_level, dtype=np.int8),
            title_level=np.asarray(builder.title_level, dtype=np.int8),
        )


class _Builder:
    """Accumulates flat arrays while profiles stream through; no per-token Python objects survive."""

    def __init__(
        self, tokeniser: Tokeniser, thesaurus: Thesaurus, knowledge: FieldKnowledge, weights: RankWeights
    ) -> None:
        self.tokeniser = tokeniser
        self.thesaurus = thesaurus
        self.knowledge = knowledge
        self.weights = weights
        self.vocabulary: dict[str, int] = {}
        self.word_ptr = array("q", [0])
        self.word_ids = array("i")
        self.word_tf = array("f")
        self.concept_ptr = array("q", [0])
        self.concept_ids = array("i")
        self.concept_strength = array("f")
        self.discipline = array("h")
        self.seniority = array("f")
        self.availability = array("f")
        self.degree_level = array("b")
        self.title_level = array("b")
        self._code_number = {code: n for n, code in enumerate(knowledge.codes)}
        self._resolved: dict[str, str] = {}

    def add(self, talent: TalentRecord) -> None:
        w = self.weights
        code = talent.discipline_code or self._resolve(talent.discipline, talent.major)
        discipline_text = self.knowledge.name(code) if code else talent.discipline
        counts: dict[str, float] = {}
        concepts: dict[int, float] = {}
        texts = (talent.research, talent.major, discipline_text, talent.achievements)
        weights = (w.research_field, w.major_field, w.discipline_field, w.achievements_field)
        for (tokens, words), weight in zip(self.tokeniser.analyse_fields(texts), weights, strict=True):
            self._count(tokens, words, weight, counts, concepts)
        self._append_words(counts)
        self._append_concepts(concepts, max(w.research_field, w.major_field, w.achievements_field))
        self.discipline.append(self._code_number.get(code, -1))
        self.seniority.append(seniority_of(talent))
        self.availability.append(availability_of(talent))
        self.degree_level.append(degree_level(talent.degree))
        self.title_level.append(title_level(talent.title))

    def _resolve(self, *texts: str) -> str:
        for text in texts:
            if text:
                code = self._resolved.get(text)
                if code is None:
                    code = self._resolved[text] = self.knowledge.resolve(text)
                if code:
                    return code
        return ""

    def _count(
        self, tokens: list[str], words: list[str], weight: float, counts: dict[str, float], concepts: dict[int, float]
    ) -> None:
        for token in tokens:
            counts[token] = counts.get(token, 0.0) + weight
        lookup = self.thesaurus.term_concepts
        for word in words:
            found = lookup.get(word)
            if found:
                for concept in found:
                    if concepts.get(concept, 0.0) < weight:
                        concepts[concept] = weight

    def _append_words(self, counts: dict[str, float]) -> None:
        vocabulary = self.vocabulary
        terms = [vocabulary.get(token, -1) for token in counts]
        if -1 in terms:
            for number, token in enumerate(counts):
                if terms[number] < 0:
                    terms[number] = vocabulary.setdefault(token, len(vocabulary))
        self.word_ids.extend(terms)
        self.word_tf.extend(counts.values())
        self.word_ptr.append(len(self.word_ids))

    def _append_concepts(self, found: dict[int, float], strongest: float) -> None:
        strength: dict[int, float] = {}
        for concept, weight in found.items():
            value = weight / strongest
            strength[concept] = max(strength.get(concept, 0.0), value)
            for depth, ancestor in enumerate(self.thesaurus.ancestors(concept)):
                inherited = value * _ANCESTOR_STRENGTH * (0.6**depth)
                strength[ancestor] = max(strength.get(ancestor, 0.0), inherited)
        for concept, value in strength.items():
            self.concept_ids.append(concept)
            self.concept_strength.append(value)
        self.concept_ptr.append(len(self.concept_ids))

    def word_postings(self) -> Postings:
        matrix = _by_term(self.word_ptr, self.word_ids, self.word_tf, len(self.vocabulary))
        del self.word_ids, self.word_tf
        rows = len(self.word_ptr) - 1
        lengths = np.asarray(matrix.sum(axis=0)).ravel()  # CSC of shape (terms, docs): column sums
        average = float(lengths.mean()) if rows else 1.0
        df = np.diff(matrix.indptr)
        idf = np.log1p((rows - df + 0.5) / (df + 0.5)).astype(np.float32)
        tf = matrix.data
        norm = K1 * (1 - B + B * lengths[matrix.indices] / max(average, 1e-9))
        bm25 = (tf * (K1 + 1) / (tf + norm)).astype(np.float32)
        bm25 *= np.repeat(idf, df)
        return _postings(matrix, bm25, idf)

    def concept_postings(self, concepts: int) -> Postings:
        matrix = _by_term(self.concept_ptr, self.concept_ids, self.concept_strength, concepts)
        del self.concept_ids, self.concept_strength
        rows = len(self.concept_ptr) - 1
        df = np.diff(matrix.indptr)
        idf = np.log1p((rows - df + 0.5) / (df + 0.5)).astype(np.float32)
        weights = (matrix.data * np.repeat(idf, df)).astype(np.float32)
        return _postings(matrix, weights, idf)


def _by_term(ptr: array, ids: array, values: array, terms: int) -> sparse.csr_matrix:
    """Rows are terms, columns are profiles: the transpose of the doc-major arrays we collected."""
    docs = len(ptr) - 1
    by_doc = sparse.csr_matrix(
        (
            np.frombuffer(values, dtype=np.float32),
            np.frombuffer(ids, dtype=np.int32),
            np.frombuffer(ptr, dtype=np.int64),
        ),
        shape=(docs, max(terms, 1)),
    )
    by_term = by_doc.tocsc()
    # A CSC of (docs × terms) is laid out exactly as a CSR of (terms × docs).
    return sparse.csr_matrix((by_term.data, by_term.indices, by_term.indptr), shape=(max(terms, 1), docs))


def _postings(matrix: sparse.csr_matrix, weights: np.ndarray, idf: np.ndarray) -> Postings:
    indptr = matrix.indptr.astype(np.int64)
    best = np.zeros(len(indptr) - 1, dtype=np.float32)
    nonempty = np.flatnonzero(np.diff(indptr))
    if len(weights):
        best[nonempty] = np.maximum.reduceat(weights, indptr[nonempty])
    return Postings(indptr, matrix.indices.astype(np.int32, copy=False), weights, idf, best)
