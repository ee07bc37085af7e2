"""Deadlines counted in calendar months from entry, clamped to the month's end (11-30 + 3 months → 02-28)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rencai.core.dates import add_months


@dataclass(frozen=True)
class Terms:
    proposal_months: int
    midterm_months: int
    exit_months: int


@dataclass(frozen=True)
class Deadlines:
    proposal: date
    midterm: date
    exit: date


def deadlines_from(entered_on: date, terms: Terms, extension_months: int = 0) -> Deadlines:
    """Each deadline from the entry date itself, so an extension never drifts by an earlier clamp."""
    return Deadlines(proposal=add_months(entered_on, terms.proposal_months),
                     midterm=add_months(entered_on, terms.midterm_months),
                     exit=add_months(entered_on, terms.exit_months + extension_months))


def reminder_step(due: date, today: date, days: list[int]) -> int | None:
    """Which reminder is due today: the most urgent of `days` already reached, or -1 once overdue.

    If the daily job missed a day, only the current step is sent, not every one skipped.
    """
    if today > due:
        return -1
    left = (due - today).days
    reached = [d for d in days if left <= d]
    return min(reached) if reached else None
