"""Print what a backup must preserve: every table's row count and every money column's total, as JSON.

The restore drill (deploy/restore-drill.sh) runs it against the live database when the dump is taken and
against the restored copy, and compares the two: the ledger totals and the audit log must come back exact.
Generic over all installed models, so core names no domain app.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import models


def fingerprint() -> dict[str, Any]:
    tables: dict[str, Any] = {}
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        if model._meta.proxy or not model._meta.managed:
            continue
        money = [f.name for f in model._meta.concrete_fields if isinstance(f, models.DecimalField)]
        sums = model._base_manager.aggregate(**{f: models.Sum(f) for f in money}) if money else {}
        tables[model._meta.label] = {
            "rows": model._base_manager.count(),
            **{f"sum:{k}": str((v or Decimal(0)).quantize(Decimal("0.01"))) for k, v in sorted(sums.items())},
        }
    return tables


class Command(BaseCommand):
    help = "打印每张表的行数和每个金额列的合计（JSON），供备份恢复演练比对"

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(json.dumps(fingerprint(), ensure_ascii=False, indent=1, sort_keys=True))
