"""The list benchmark end to end, baseline and change in the same run (the machine is shared: compare ratios).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rencai_lists .venv/bin/python bench/lists/run.py

1. seed.py (once): 100,000 talents in one zone, 20,000 in another;
2. baseline: the talent list's indexes migrated away (talents back to 0002) and core.listing as it was;
3. change: the indexes migrated back (talents 0003_list_indexes), VACUUM ANALYZE, core.listing now and the
   tier counts through facet_counts;
then prints the table of bench/results/list_indexes.md from the two JSON files.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from common import DEFAULT_URL, RESULTS, ROOT

HERE = Path(__file__).resolve().parent
ENV = {**os.environ, "DATABASE_URL": os.environ.get("DATABASE_URL", DEFAULT_URL),
       "DJANGO_SETTINGS_MODULE": "rencai.config.settings.test"}
VACUUM = ("import sys; sys.path.insert(0, 'src'); import django; django.setup(); "
          "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE talents_talent')")


def _call(*argv: str) -> None:
    subprocess.run(argv, check=True, cwd=ROOT, env=ENV)  # noqa: S603  (our own commands, no input)


def main() -> None:
    python, rencai = sys.executable, str(Path(sys.executable).parent / "rencai")
    _call(python, str(HERE / "seed.py"))
    _call(rencai, "migrate", "talents", "0002", "-v0")
    _call(python, "-c", VACUUM)
    _call(python, str(HERE / "page_bench.py"), "before", "--baseline")
    _call(rencai, "migrate", "talents", "-v0")
    _call(python, "-c", VACUUM)
    _call(python, str(HERE / "page_bench.py"), "after", "--facets")
    before = json.loads((RESULTS / "list_indexes-before.json").read_text())["pages"]
    after = json.loads((RESULTS / "list_indexes-after.json").read_text())["pages"]
    print("| page | before median / p95 (ms) | after median / p95 (ms) | SQL before → after (ms) | after / before |")
    print("| --- | --- | --- | --- | --- |")
    for name, b in before.items():
        a = after[name]
        print(f"| {name} | {b['median_ms']} / {b['p95_ms']} | {a['median_ms']} / {a['p95_ms']} | "
              f"{b['sql_ms']} → {a['sql_ms']} | {a['median_ms'] / b['median_ms']:.2f} |")


if __name__ == "__main__":
    main()
