"""`rencai policies_nightly [--today YYYY-MM-DD]`: run the 免申即享 scan now (schedule it with cron)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from rencai.policies.autogrant import scan_all


class Command(BaseCommand):
    help = "免申即享：从平台数据中找出符合条件且尚未兑现的人才和企业，生成待确认名单"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--today", type=date.fromisoformat, default=None)

    def handle(self, *args: Any, today: date | None = None, **options: Any) -> None:
        counts = scan_all(today or timezone.localdate())
        for code, n in counts.items():
            self.stdout.write(f"{code}: 新增 {n} 人（家）")
