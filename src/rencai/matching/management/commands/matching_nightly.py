"""`rencai matching_nightly`: run the scheduled job now — unfinished rounds, then relearning the ranking weights.

`rencai scheduler` runs it every night by itself; this command is for running it by hand (recorded as manual).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from rencai.core.schedule import get_job, run_job_inline


class Command(BaseCommand):
    help = ("运行未完成的匹配批次，并根据对接结果重新学习排序权重"
            "（不优于默认权重时保持默认；rencai scheduler 每晚自动运行）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            run = run_job_inline("matching_nightly")
        except Exception as exc:
            raise CommandError(f"运行失败：{exc}") from exc
        self.stdout.write(get_job("matching_nightly").summary_text(run.summary))
