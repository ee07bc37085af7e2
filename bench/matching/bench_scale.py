"""Scale: 1,000,000 profiles and 10,000 needs on this machine, beside bm25s alone on the same corpus.

    .venv/bin/python bench/matching/bench_scale.py [--talents 1000000] [--needs 10000] [--sample 1000]

Each system runs in its own child process, so each peak memory (ru_maxrss) is its own:
- rencai engine: index build time and size; top-20 latency p50/p95 per need over a sample of needs, both
  ranking alone and ranking with reasons for all 20, and ranking alone without the max-score pruning
  (scoring every profile a need reaches) with how many of the sample's top 20 are identical; the full
  round (rank every need, write reasons for the shown candidates, plan with min-cost flow); the planner
  alone with min-cost flow, CP-SAT and HiGHS on the same candidate lists.
- bm25s: index build time and top-20 retrieval latency for the same sample, same tokeniser, the same
  concatenated text (no thesaurus, no fields, no reasons, no plan).
Data come from generate.py (bench/data/, git-ignored). Writes bench/results/matching-scale.json.
Aims: p95 ≤ 50 ms per need, the full plan ≤ 5 minutes, peak memory ≤ 6 GiB.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))

RESULTS = ROOT / "bench" / "results"
AIM_P95_MS, AIM_PLAN_S, AIM_PEAK_GIB = 50.0, 300.0, 6.0
TOP = 20
SOLVER_LIMIT_S = 120.0  # CP-SAT and HiGHS stop here with their best plan (min-cost flow needs no limit)


def load_talents(path: Path) -> list:
    from rencai.matching.engine.records import TalentRecord

    out = []
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        header = next(rows)
        col = {name: i for i, name in enumerate(header)}
        for number, row in enumerate(rows, 2):
            out.append(
                TalentRecord(
                    key=number,
                    name=row[col["姓名"]],
                    discipline=row[col["一级学科"]],
                    discipline_code=row[col["一级学科"]],
                    major=row[col["所学专业"]],
                    research=row[col["研究方向"]],
                    achievements=row[col["代表性成果"]],
                    title=row[col["职称"]],
                    degree=row[col["最高学位"]],
                    employer=row[col["工作单位"]],
                    talent_type=row[col["人才类型"]],
                    flexible_mode=row[col["柔性方式"]],
                    tier=row[col["人才层次"]],
                    region=row[col["所在地区"]],
                )
            )
    return out


def load_needs(path: Path) -> list:
    from rencai.matching.engine.records import NeedRecord

    out = []
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        header = next(rows)
        col = {name: i for i, name in enumerate(header)}
        for number, row in enumerate(rows, 2):
            out.append(
                NeedRecord(
                    key=number,
                    enterprise=row[col["企业名称"]],
                    title=row[col["需求名称"]],
                    description=row[col["需求描述"]],
                    field=row[col["所属领域"]],
                    expected=row[col["期望人才"]],
                    demand=int(row[col["需求人数"]] or 1),
                )
            )
    return out


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def peak_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1 << 20)  # KiB on Linux


def percentiles(samples: list[float]) -> dict[str, float]:
    values = np.asarray(samples) * 1000
    return {"p50_ms": float(np.percentile(values, 50)), "p95_ms": float(np.percentile(values, 95)), "n": len(values)}


def sample_of(needs: list, size: int) -> list:
    step = max(1, len(needs) // max(1, size))
    return needs[::step][:size]


# ---- children ---------------------------------------------------------------------------------------


def child_engine(talent_path: Path, need_path: Path, sample: int) -> dict:
    from rencai.matching.engine.index import TalentIndex
    from rencai.matching.engine.plan import PlanNeed, plan
    from rencai.matching.engine.rank import Ranker
    from rencai.matching.engine.rounds import MatchOptions, match
    from rencai.matching.engine.thesaurus import load_thesaurus
    from rencai.matching.fieldknowledge import catalog_field_knowledge

    out: dict = {"system": "rencai engine", "load_average_at_start": os.getloadavg()}
    started = time.perf_counter()
    talents = load_talents(talent_path)
    needs = load_needs(need_path)
    out["load_s"] = time.perf_counter() - started
    out["after_load_gib"] = peak_gib()
    say(f"engine: loaded {len(talents):,} talents and {len(needs):,} needs in {out['load_s']:.0f}s; indexing")
    started = time.perf_counter()
    index = TalentIndex.build(talents, thesaurus=load_thesaurus(), knowledge=catalog_field_knowledge())
    gc.collect()
    out["index_build_s"] = time.perf_counter() - started
    out["index_mib"] = index.nbytes / (1 << 20)
    out["vocabulary"] = len(index.vocabulary)
    out["postings"] = int(len(index.words.docs) + len(index.concepts.docs))
    say(f"engine: index built in {out['index_build_s']:.0f}s; timing {sample} needs")
    ranker = Ranker(index)
    chosen = sample_of(needs, sample)
    ranker.rank(chosen[0], top=TOP)  # warm up (first query builds caches)
    for label, explain in (("rank_only", 0), ("rank_with_reasons", TOP)):
        times = []
        for need in chosen:
            t0 = time.perf_counter()
            ranker.rank(need, top=TOP, explain_top=explain)
            times.append(time.perf_counter() - t0)
        out[label] = percentiles(times)
    out["pruning"] = pruning_check(ranker, chosen)
    say("engine: full round over every need")
    started = time.perf_counter()
    workers = os.cpu_count() or 1
    out["workers"] = workers
    result = match(needs, ranker, options=MatchOptions(top=TOP, plan_depth=TOP, workers=workers))
    out["workers_peak_gib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / (1 << 20)
    out["full_round_s"] = time.perf_counter() - started
    out["full_round_parts_s"] = result.timings
    out["assigned_pairs"] = len(result.plan.pairs())
    out["unassigned_needs"] = len(result.unassigned)
    plan_needs = [PlanNeed(r.need.key, r.need.demand, [(c.key, c.score) for c in r.candidates]) for r in result.needs]
    arcs = sum(len(p.candidates) for p in plan_needs)
    say(f"engine: full round in {out['full_round_s']:.0f}s; comparing solvers")
    solvers = {}
    for solver in ("flow", "cpsat", "highs"):
        t0 = time.perf_counter()
        planned = plan(plan_needs, min_score=0.35, solver=solver, time_limit=SOLVER_LIMIT_S)  # type: ignore[arg-type]
        seconds = time.perf_counter() - t0
        solvers[solver] = {
            "seconds": seconds,
            "total": planned.total,
            "pairs": len(planned.pairs()),
            "hit_time_limit": solver != "flow" and seconds >= SOLVER_LIMIT_S,
        }
        say(f"engine: {solver} {seconds:.1f}s, total {planned.total:.2f}")
    out["solvers"] = {"arcs": arcs, **solvers}
    out["peak_gib"] = peak_gib()
    # The machine is shared: a load above the core count means other work slowed every figure here.
    out["load_average_at_end"] = os.getloadavg()
    return out


def pruning_check(ranker: object, chosen: list) -> dict:
    """The same sample scored exhaustively (every profile a need reaches, rank.py without its max-score
    pruning): its latency, and whether the top 20 are the same talents with the same scores."""
    from rencai.matching.engine import rank

    saved, rank._PRUNE_MIN_DOCS = rank._PRUNE_MIN_DOCS, 1 << 62  # type: ignore[attr-defined]
    times, exhaustive = [], []
    try:
        for need in chosen:
            t0 = time.perf_counter()
            exhaustive.append(ranker.rank(need, top=TOP, explain_top=0))  # type: ignore[attr-defined]
            times.append(time.perf_counter() - t0)
    finally:
        rank._PRUNE_MIN_DOCS = saved  # type: ignore[attr-defined]
    same = sum(
        [(c.key, c.score) for c in ranker.rank(need, top=TOP, explain_top=0)]  # type: ignore[attr-defined]
        == [(c.key, c.score) for c in full]
        for need, full in zip(chosen, exhaustive, strict=True)
    )
    return {"exhaustive_rank_only": percentiles(times), "same_top20": same, "n": len(chosen)}


def child_bm25s(talent_path: Path, need_path: Path, sample: int) -> dict:
    import bm25s
    from bench_quality import need_text, plain_text

    from rencai.matching.engine.thesaurus import load_thesaurus
    from rencai.matching.engine.tokenise import Tokeniser

    out: dict = {"system": "bm25s alone"}
    talents = load_talents(talent_path)
    needs = load_needs(need_path)
    tokeniser = Tokeniser(load_thesaurus().words())
    started = time.perf_counter()
    corpus = [tokeniser.tokens(plain_text(t)) or ["∅"] for t in talents]
    out["tokenise_s"] = time.perf_counter() - started
    del talents
    say(f"bm25s: tokenised in {out['tokenise_s']:.0f}s; indexing")
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    del corpus
    gc.collect()
    out["index_build_s"] = time.perf_counter() - started
    chosen = sample_of(needs, sample)
    times = []
    for need in chosen:
        t0 = time.perf_counter()
        tokens = tokeniser.tokens(need_text(need))
        scores = retriever.get_scores(tokens)
        top = np.argpartition(-scores, TOP)[:TOP]
        top[np.argsort(-scores[top])]
        times.append(time.perf_counter() - t0)
    out["rank_only"] = percentiles(times)
    out["peak_gib"] = peak_gib()
    return out


# ---- parent -----------------------------------------------------------------------------------------


def run_child(kind: str, talents: Path, needs: Path, sample: int) -> dict:
    command = [sys.executable, __file__, "--child", kind, "--talent-file", str(talents), "--need-file", str(needs)]
    command += ["--sample", str(sample)]
    # stdout carries the child's JSON; its progress lines go straight to our stderr.
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)  # noqa: S603 - our own script
    if done.returncode != 0:
        raise SystemExit(f"{kind} child failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def print_table(report: dict) -> None:
    engine, bm25 = report["engine"], report["bm25s"]
    print(f"\nMatching scale — {report['talents']:,} talents, {report['needs']:,} needs, {report['machine']}")
    print(f"{'':<40} {'rencai engine':>16} {'bm25s alone':>14}")
    print(f"{'index build (s)':<40} {engine['index_build_s']:>16.1f} {bm25['index_build_s']:>14.1f}")
    for label in ("p50_ms", "p95_ms"):
        print(
            f"{'top-20 latency, rank only ' + label[:3] + ' (ms)':<40} {engine['rank_only'][label]:>16.1f} "
            f"{bm25['rank_only'][label]:>14.1f}"
        )
        print(
            f"{'top-20 latency, with reasons ' + label[:3] + ' (ms)':<40} {engine['rank_with_reasons'][label]:>16.1f}"
        )
    print(f"{'latency sample (needs)':<40} {engine['rank_only']['n']:>16} {bm25['rank_only']['n']:>14}")
    if "pruning" in engine:
        pruning = engine["pruning"]
        exhaustive = pruning["exhaustive_rank_only"]
        print(
            f"{'  without pruning p50 / p95 (ms)':<40} {exhaustive['p50_ms']:>8.1f} / {exhaustive['p95_ms']:<5.1f}"
            f"  same top 20: {pruning['same_top20']}/{pruning['n']}"
        )
    print(f"{'full round: rank all + plan (s)':<40} {engine['full_round_s']:>16.1f}")
    print(f"{'peak memory (GiB)':<40} {engine['peak_gib']:>16.2f} {bm25['peak_gib']:>14.2f}")
    print(f"{'  ranking workers (forked, shared index)':<40} {engine['workers_peak_gib']:>16.2f}")
    solvers = engine["solvers"]
    print(f"planner on {solvers['arcs']:,} candidate pairs:", end="")
    for name in ("flow", "cpsat", "highs"):
        stopped = " stopped at the time limit" if solvers[name]["hit_time_limit"] else ""
        print(f"  {name} {solvers[name]['seconds']:.2f}s (total {solvers[name]['total']:.2f}{stopped})", end="")
    print()
    aims = report["aims"]
    print("aims: " + ", ".join(f"{k} {'met' if v else 'MISSED'}" for k, v in aims.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="matching scale bench")
    parser.add_argument("--talents", type=int, default=1_000_000)
    parser.add_argument("--needs", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=1000, help="needs timed one by one for latency")
    parser.add_argument("--child", choices=("engine", "bm25s"), help=argparse.SUPPRESS)
    parser.add_argument("--talent-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--need-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child = child_engine if args.child == "engine" else child_bm25s
        print(json.dumps(child(args.talent_file, args.need_file, args.sample)))
        return 0
    from generate import ensure

    talent_path, need_path = ensure(args.talents, args.needs)
    sample = min(args.sample, args.needs)
    engine = run_child("engine", talent_path, need_path, sample)
    bm25 = run_child("bm25s", talent_path, need_path, sample)
    report = {
        "talents": args.talents,
        "needs": args.needs,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "engine": engine,
        "bm25s": bm25,
        "aims": {
            "p95 <= 50 ms": engine["rank_with_reasons"]["p95_ms"] <= AIM_P95_MS,
            "full plan <= 5 min": engine["full_round_s"] <= AIM_PLAN_S,
            "peak <= 6 GiB": engine["peak_gib"] <= AIM_PEAK_GIB,
        },
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "matching-scale.json" if args.talents == 1_000_000 else f"matching-scale-{args.talents}.json"
    (RESULTS / name).write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print_table(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
