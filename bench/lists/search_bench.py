"""List search at a city's scale: icontains over the talent list's 8 columns against the index of rencai.core.search.

    .venv/bin/python bench/lists/search_bench.py [--database-url postgres://postgres@127.0.0.1:5432/rencai_fts]
                                                 [--talents 100000] [--repeat 5]

On its own PostgreSQL database (created when missing; rencai's migrations run under the prod settings), the zone
is filled with generated talents by bench/load/data.py's `fill` when it does not hold that many yet, the talent
list's search fields are registered and `search.reindex` backfills the documents from none (timed; a second run
finds them up to date). Then for each query, the three statements a list page runs (the bounded count, the tier
counts and the first page of 30 in the default order) are timed `--repeat` times after one warm-up, for icontains (the
condition `core.listing.filtered` builds today, with the name-key search) and for the index; and the rows each
finds, with those icontains finds that the index misses (must be none). Writes bench/results/search.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT / "bench" / "load")]
import data  # noqa: E402  (bench/load/data.py: the generated register)
import loadenv  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/rencai_fts"
QUERIES: list[tuple[str, dict[str, str]]] = [
    ("钕铁硼", {}), ("钕铁硼", {"talent_type": "全职引进"}), ("王建", {}), ("材料", {}), ("包头", {}),
    ("晶界扩散", {}), ("稀土永磁材料", {}), ("教授 钕铁硼", {}), ("ndfeb", {}), ("陳靜", {}), ("王建国", {}),
    ("包头北辰磁业", {}),
]
PAGE = 30


def _setup(database_url: str) -> None:
    os.environ.update(loadenv.django_env(database_url))
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    import django

    django.setup()


def _timed(run: Any, repeat: int) -> tuple[float, Any]:
    run()  # warm-up: the pages a clerk reads again are in the cache, as in use
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def _statements(queryset: Any, repeat: int) -> dict[str, float]:
    """The three statements of a list page over `queryset`, each timed: ms (median)."""
    from django.db.models import Count

    from rencai.core.listing import exact_count_limit

    limit = exact_count_limit()
    count_ms, _ = _timed(lambda: queryset.order_by()[: limit + 1].count(), repeat)
    tiers = queryset.order_by().values_list("tier").annotate(n=Count("pk")).values_list("tier", "n")
    tiers_ms, _ = _timed(lambda: dict(tiers.all()), repeat)  # .all(): a fresh query each time, not the cached rows
    page_ms, _ = _timed(lambda: list(queryset.order_by("-updated_at", "-pk").values_list("pk", flat=True)[:PAGE]),
                        repeat)
    return {"count": count_ms, "tiers": tiers_ms, "page": page_ms, "total": count_ms + tiers_ms + page_ms}


def _plan(queryset: Any) -> str:
    """The top nodes of the search's count plan: which index answers it."""
    lines = queryset.order_by().explain().splitlines()
    return " / ".join(line.strip().split("  (")[0] for line in lines
                      if any(k in line for k in ("Index", "Scan", "Join", "Semi")))[:300]


def _size(relation: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size(%s))", [relation])
        return str(cursor.fetchone()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("FTS_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--talents", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    problem = loadenv.postgres_problem(args.database_url)
    if problem:
        sys.exit(f"search benchmark: {problem}")
    _setup(args.database_url)
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Q

    from rencai.core import search
    from rencai.core.models import City, SearchDocument, Zone
    from rencai.talents.models import Talent
    from rencai.talents.views import SPEC

    call_command("migrate", "--no-input", verbosity=0)
    city, _ = City.objects.get_or_create(name=loadenv.CITY_NAME, defaults={"code": "load"})
    zone, _ = Zone.objects.get_or_create(code=loadenv.ZONE_CODE, defaults={"city": city, "name": loadenv.ZONE_NAME})
    if Talent.objects.filter(zone=zone).count() != args.talents:
        data.fill(zone, args.talents)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Talent._meta.db_table}")

    search.register(Talent, fields=SPEC.search_fields)
    SearchDocument.objects.filter(model=Talent._meta.label_lower).delete()  # the backfill is timed from nothing
    started = time.perf_counter()
    seen, written, _ = search.reindex(Talent, batch=2000)
    backfill_s = time.perf_counter() - started
    started = time.perf_counter()
    _, rewritten, _ = search.reindex(Talent, batch=2000)
    again_s = time.perf_counter() - started
    with connection.cursor() as cursor:  # rewritten without the dead rows of the documents deleted above, so the
        cursor.execute("VACUUM FULL ANALYZE core_searchdocument")  # layout and sizes are a first backfill's
    print(f"backfill: {seen:,} rows, {written:,} written in {backfill_s:.1f} s; again {rewritten} in {again_s:.1f} s",
          flush=True)

    def icontains(q: str) -> Q:
        condition = Q()
        for name in SPEC.search_fields:
            condition |= Q(**{f"{name}__icontains": q})
        if SPEC.extra_search:
            condition |= SPEC.extra_search(q)
        return condition

    rows = []
    base = Talent.objects.filter(zone=zone)
    for q, filters in QUERIES:
        listed = base.filter(**filters)
        old = listed.filter(icontains(q))
        lookup_ms, indexed = _timed(lambda q=q: search.condition(Talent, q, fields=SPEC.search_fields), args.repeat)
        assert indexed is not None, q
        new = listed.filter(indexed)
        old_pks = set(old.values_list("pk", flat=True))
        new_pks = set(new.values_list("pk", flat=True))
        statements = _statements(new, args.repeat)
        statements["lookup"] = lookup_ms
        statements["total"] += lookup_ms
        row = {"q": q, "filters": filters, "old": _statements(old, args.repeat), "new": statements,
               "old_rows": len(old_pks), "new_rows": len(new_pks), "missed": len(old_pks - new_pks),
               "extra": len(new_pks - old_pks), "plan": _plan(new)}
        rows.append(row)
        print(f"{q} {filters or ''}: icontains {row['old']['total']:.1f} ms {row['old_rows']:,} rows; "
              f"index {row['new']['total']:.1f} ms {row['new_rows']:,} rows; missed {row['missed']}", flush=True)
    _write(args, rows, seen, written, backfill_s, rewritten, again_s, _size("core_searchdocument"),
           _size("core_searchdocument_vector_gin"), _size(Talent._meta.db_table))


def _write(args: Any, rows: list[dict[str, Any]], seen: int, written: int, backfill_s: float, rewritten: int,
           again_s: float, table_size: str, gin_size: str, talent_size: str) -> None:
    from rencai.core.search import LITERAL_IDS as LITERAL  # noqa: N811

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,  # noqa: S607
                            cwd=ROOT, check=False).stdout.strip()
    load = os.getloadavg()
    lines = [
        "# Search: icontains over 8 columns against the search index (rencai.core.search)",
        "",
        f"`bench/lists/search_bench.py --talents {args.talents} --repeat {args.repeat}` — "
        f"{datetime.now(UTC):%Y-%m-%dT%H:%M:%S+00:00}, commit {commit} (with uncommitted changes), "
        f"database {loadenv.database_name(args.database_url)}.",
        f"{seen:,} talents in one zone on PostgreSQL (bench/load/data.py's generated register), the talent list's "
        "search fields (name, name_key, research_directions, employer, major, discipline, title, achievements). "
        "Each figure is the median of the statement's wall time in this process (psycopg over loopback), after one "
        "warm-up; a list page runs the three (bounded count, tier counts, first page of 30 by -updated_at).",
        f"Machine: 2 cores, shared with other work (load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} at "
        "the end).",
        "",
        f"Backfill (`search.reindex`, batches of 2,000): {written:,} documents written in {backfill_s:.0f} s "
        f"({seen / max(backfill_s, 1e-9):,.0f} rows/s); run again: {rewritten:,} written in {again_s:.0f} s "
        f"(every document up to date). Sizes: core_searchdocument {table_size} of which the GIN index {gin_size}; "
        f"the talent table {talent_size}.",
        "",
        "| query | filter | icontains count / tiers / page ms | index lookup / count / tiers / page ms | "
        "icontains page ms | "
        "index page ms | icontains ÷ index | rows icontains | rows index | missed | extra |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        o, n = r["old"], r["new"]
        lines.append(
            f"| {r['q']} | {', '.join(f'{k}={v}' for k, v in r['filters'].items()) or '—'} "
            f"| {o['count']:.1f} / {o['tiers']:.1f} / {o['page']:.1f} | {n['lookup']:.1f} / {n['count']:.1f} / "
            f"{n['tiers']:.1f} / "
            f"{n['page']:.1f} | {o['total']:.1f} | {n['total']:.1f} | {o['total'] / max(n['total'], 1e-9):.1f}× "
            f"| {r['old_rows']:,} | {r['new_rows']:,} | {r['missed']} | {r['extra']:,} |")
    lines += [
        "",
        "`lookup`: `search.condition()`, once per page: reads the matching keys when there are at most "
        f"{LITERAL} (then the three statements fetch those rows by primary key), else builds the subquery. "
        "`missed`: rows icontains finds that the index does not (must be 0). `extra`: rows the index finds that "
        "icontains does not — a Traditional/Simplified or full-width variant, the words of a multi-word search in "
        "any order and field (教授 钕铁硼), or all of a long term's bigrams present but apart.",
        "",
        "Plans of the index's count (top nodes):",
        "",
        *[f"- {r['q']}: {r['plan']}" for r in rows],
        "",
    ]
    out = loadenv.RESULTS / "search.md"
    out.write_text("\n".join(lines))
    print(f"wrote {out}", flush=True)


if __name__ == "__main__":
    main()
