"""`rencai policies_nightly [--today YYYY-MM-DD]`: run the 免申即享 scan now and print what it found.

`rencai scheduler` runs it every night by itself; this command is for running it by hand (recorded as manual).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from rencai.core.schedule import get_job, run_job_inline


class Command(BaseCommand):
    help = "免申即享：从平台数据中找出符合条件且尚未兑现的人才和企业，生成待确认名单（rencai scheduler 每晚自动运行）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--today", type=date.fromisoformat, default=None, help="按哪一天计算（YYYY-MM-DD）")

    def handle(self, *args: Any, today: date | None = None, **options: Any) -> None:
        try:
            run = run_job_inline("policies_nightly", day=today)
        except Exception as exc:
            raise CommandError(f"运行失败：{exc}") from exc
        self.stdout.write(f"{run.day:%Y-%m-%d}：{get_job('policies_nightly').summary_text(run.summary)}")
