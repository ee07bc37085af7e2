"""`rencai matching_nightly`: rerun unfinished rounds and relearn the ranking weights, for cron."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from rencai.matching.tasks import matching_nightly


class Command(BaseCommand):
    help = "运行未完成的匹配批次，并根据对接结果重新学习排序权重（不优于默认权重时保持默认）"

    def handle(self, *args: Any, **options: Any) -> None:
        result = matching_nightly.call()
        self.stdout.write(f"运行批次 {result['rounds']} 个；反馈 {result['feedback']} 条；当前使用：{result['used']}")
