"""`rencai engagements_daily [--date YYYY-MM-DD]`: run the scheduled compliance job now and print what it found.

`rencai scheduler` runs it every day by itself; this command is for running it by hand (recorded as manual).
"""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from rencai.core.schedule import get_job, run_job_inline


class Command(BaseCommand):
    help = "计算柔性引才履约情况，提醒人才和企业，并把落后名单发给人才办（rencai scheduler 每天自动运行）"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--date", default="", help="按哪一天计算，默认今天（YYYY-MM-DD）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as exc:
            raise CommandError("日期格式应为 YYYY-MM-DD") from exc
        try:
            run = run_job_inline("engagements_daily", day=day)
        except Exception as exc:
            raise CommandError(f"运行失败：{exc}") from exc
        self.stdout.write(f"{run.day.isoformat()}：{get_job('engagements_daily').summary_text(run.summary)}")
