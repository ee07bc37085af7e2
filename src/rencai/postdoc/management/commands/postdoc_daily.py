"""`rencai postdoc_daily [--today YYYY-MM-DD]`: send today's postdoc deadline reminders (for cron)."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from rencai.postdoc.reminders import send_reminders


class Command(BaseCommand):
    help = "生成博士后开题、中期评估、出站期限的提醒（可每天由 cron 运行，重复运行不会重复提醒）。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--today", help="按哪一天计算，默认今天（YYYY-MM-DD）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = date.fromisoformat(options["today"]) if options["today"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError("日期格式应为 YYYY-MM-DD") from exc
        created = send_reminders(today)
        self.stdout.write(f"{today:%Y-%m-%d}：新增提醒 {created} 条")
