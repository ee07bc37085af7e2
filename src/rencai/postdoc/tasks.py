"""The daily job: reminders before each postdoc deadline (and once overdue). Safe to run twice a day."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django_tasks import task

from rencai.postdoc.reminders import send_reminders


@task()
def postdoc_daily(today: str | None = None) -> int:
    """`today` as YYYY-MM-DD (task arguments must be JSON); the local date when not given."""
    return send_reminders(date.fromisoformat(today) if today else timezone.localdate())


def daily_job(today: date) -> dict[str, int]:
    """The registered job (see rencai.core.schedule): today's deadline reminders."""
    return {"reminders": send_reminders(today)}


def describe_daily(summary: dict[str, int]) -> str:
    return f"新增提醒 {summary.get('reminders', 0)} 条"
