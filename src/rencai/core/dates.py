"""Dates the whole platform counts the same way: months from a start date, clamped to a month's end."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta


def add_months(start: date, months: int) -> date:
    """11-30 + 3 months → 02-28 (02-29 in a leap year): the day is kept, clamped to the shorter month's end.

    Postdoc deadlines and policy instalment schedules both count this way, so a subsidy falls due on the
    same day as the milestone it follows.
    """
    return start + relativedelta(months=months)
