"""Nightly work: the 免申即享 scan. Idempotent: a second run the same night creates nothing new."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django_tasks import task

from rencai.policies.autogrant import scan_all


@task()
def policies_nightly(today: str | None = None) -> dict[str, int]:
    return scan_all(date.fromisoformat(today) if today else timezone.localdate())


def nightly_job(today: date) -> dict[str, Any]:
    """The registered job (see rencai.core.schedule): the 免申即享 scan, counted per policy."""
    by_policy = scan_all(today)
    return {"created": sum(by_policy.values()), "by_policy": by_policy}


def describe_nightly(summary: dict[str, Any]) -> str:
    from rencai.policies.models import Policy

    counts = {code: n for code, n in (summary.get("by_policy") or {}).items() if n}
    titles = dict(Policy.objects.filter(code__in=counts).values_list("code", "title"))
    text = f"新增待确认 {summary.get('created', 0)} 人（家）"
    if counts:
        text += "：" + "、".join(f"{titles.get(code, code)} {n}" for code, n in counts.items())
    return text
