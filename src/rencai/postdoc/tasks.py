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
