"""`rencai postdoc_daily [--today YYYY-MM-DD]`: run the scheduled job "postdoc_daily" now and print what it found.

`rencai scheduler` runs it every day by itself; this command is for running it by hand (recorded as manual).
"""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from rencai.core.schedule import get_job, run_job_inline


class Command(BaseCommand):
    help = "生成博士后开题、中期评估、出站期限的提醒（rencai scheduler 每天自动运行；重复运行不会重复提醒）。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--today", help="按哪一天计算，默认今天（YYYY-MM-DD）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError as exc:
            raise CommandError("日期格式应为 YYYY-MM-DD") from exc
        try:
            run = run_job_inline("postdoc_daily", day=today)
        except Exception as exc:
            raise CommandError(f"运行失败：{exc}") from exc
        self.stdout.write(f"{run.day:%Y-%m-%d}：{get_job('postdoc_daily').summary_text(run.summary)}")
