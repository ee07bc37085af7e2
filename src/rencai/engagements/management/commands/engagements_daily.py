"""`rencai engagements_daily [--date YYYY-MM-DD]`: the daily compliance reminders, for cron."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from rencai.engagements.tasks import compliance_daily


class Command(BaseCommand):
    help = "计算柔性引才履约情况，提醒人才和企业，并把落后名单发给人才办"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--date", default="", help="按哪一天计算，默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["date"] or timezone.localdate().isoformat()
        result = compliance_daily.call(today)
        self.stdout.write(f"{today}：新提醒 {result['reminders']} 条，落后 {result['behind']} 人，"
                          f"期满 {result['completed']} 份")
