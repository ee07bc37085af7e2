"""Nightly work: the 免申即享 scan. Idempotent: a second run the same night creates nothing new."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django_tasks import task

from rencai.policies.autogrant import scan_all


@task()
def policies_nightly(today: str | None = None) -> dict[str, int]:
    return scan_all(date.fromisoformat(today) if today else timezone.localdate())
