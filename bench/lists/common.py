"""Shared set-up of the list benchmarks: Django on the PostgreSQL database of bench/lists (DATABASE_URL)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/rencai_lists"


def setup() -> None:
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ["DJANGO_SETTINGS_MODULE"] = "rencai.config.settings.test"
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    import django

    django.setup()
