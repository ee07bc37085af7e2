"""Service compliance (服务履约): the one set of rules every page, the daily reminder and the assessment use.

Plain dataclasses in, statuses out; no database. The rules, as the office applies them:

* **Only confirmed visits count.** A visit the host has not confirmed yet, or has disputed, adds nothing
  until it is confirmed (its days are shown apart as "pending").
* **Days are calendar days on site**, start and end included. A visit spanning two months counts its days
  in each month by calendar day (31 Jan–1 Feb: one day in January, one in February).
* **A visit counts as a visit in every month it has days in**, provided the visit as a whole lasts at
  least the minimum days per visit (31 Jan–1 Feb with a 2-day minimum satisfies both months' visit).
  A shorter visit still adds its days, but is not a qualifying visit.
* **Months are the agreement's calendar months clipped to the term.** A clipped month (a term starting
  mid-month, ending mid-month, or ended early) keeps its monthly obligation only if it covers at least
  half of its calendar month; otherwise the month is waived (免考核) — days served in it still count
  toward the year. We waive rather than pro-rate because visits are whole numbers.
* **An agreement ended early stops counting at its end date**: days after it are ignored, and months after
  it do not exist.
* **The year obligation is pro-rated** by the term's length against one year from its start date
  (365 or 366 days, so leap years are exact), rounding up: a half-year term owes 15 of 30 days.
* **Month status**: a closed month is on track if it has its qualifying visits, else behind. An open
  month with its visits is on track; without them it is at risk when 7 or fewer days are left in it
  (today included), or
  when the days left in it cannot fit the missing visits at the minimum days per visit; otherwise on
  track. Months not begun are upcoming.
* **Year status**: after the term, on track if the required days were served, else behind. During the
  term: behind if the days still owed exceed the days left in the term; at risk if below the straight-line
  pace (required × elapsed ÷ term days, rounded down); otherwise on track.
* **Overall status** is the worst of the year status and every month begun so far.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

CLOSING_SOON_DAYS = 7


class Status(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BEHIND = "behind"
    UPCOMING = "upcoming"
    WAIVED = "waived"

    @property
    def label(self) -> str:
        return LABELS[self]

    @property
    def severity(self) -> int:
        return {Status.BEHIND: 2, Status.AT_RISK: 1}.get(self, 0)


LABELS = {Status.ON_TRACK: "正常", Status.AT_RISK: "有风险", Status.BEHIND: "落后",
          Status.UPCOMING: "未开始", Status.WAIVED: "免考核"}


@dataclass(frozen=True)
class Obligations:
    visits_per_month: int = 1
    days_per_visit: int = 2
    days_per_year: int = 30


@dataclass(frozen=True)
class Term:
    start: date
    end: date  # last day of the agreed term, included
    ended_on: date | None = None  # last day served when ended early

    @property
    def last(self) -> date:
        return min(self.end, self.ended_on) if self.ended_on else self.end

    @property
    def days(self) -> int:
        return max((self.last - self.start).days + 1, 0)


@dataclass(frozen=True)
class VisitSpan:
    start: date
    end: date
    confirmed: bool


@dataclass(frozen=True)
class MonthReport:
    year: int
    month: int
    first: date
    last: date
    required_visits: int
    visits: int
    days: int
    pending_days: int
    status: Status

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"


@dataclass(frozen=True)
class Report:
    months: list[MonthReport]
    required_days: int
    expected_days_by_now: int
    days: int
    pending_days: int
    visits: int
    year_status: Status
    status: Status
    behind_months: int = field(default=0)

    def month_of(self, day: date) -> MonthReport | None:
        return next((m for m in self.months if m.first <= day <= m.last), None)


def days_in(span_start: date, span_end: date, first: date, last: date) -> int:
    """Calendar days of [span_start, span_end] inside [first, last], both ends included."""
    lo, hi = max(span_start, first), min(span_end, last)
    return max((hi - lo).days + 1, 0)


def month_windows(term: Term) -> list[tuple[date, date]]:
    """The term's calendar months, the first and last clipped to the term."""
    windows = []
    cursor = term.start
    while cursor <= term.last:
        month_end = cursor.replace(day=calendar.monthrange(cursor.year, cursor.month)[1])
        windows.append((cursor, min(month_end, term.last)))
        cursor = month_end + timedelta(days=1)
    return windows


def one_year_days(start: date) -> int:
    try:
        anniversary = start.replace(year=start.year + 1)
    except ValueError:  # 29 February: the year runs to 1 March
        anniversary = date(start.year + 1, 3, 1)
    return (anniversary - start).days


def required_year_days(term: Term, obligations: Obligations) -> int:
    return math.ceil(obligations.days_per_year * term.days / one_year_days(term.start))


def _monthly_required(first: date, last: date, obligations: Obligations) -> int:
    full = calendar.monthrange(first.year, first.month)[1]
    covered = (last - first).days + 1
    return obligations.visits_per_month if covered * 2 >= full else 0


def _month_status(first: date, last: date, required: int, visits: int, obligations: Obligations,
                  today: date) -> Status:
    if today < first:
        return Status.UPCOMING
    if required == 0:
        return Status.WAIVED
    if visits >= required:
        return Status.ON_TRACK
    if today > last:
        return Status.BEHIND
    left = (last - today).days + 1
    if left <= CLOSING_SOON_DAYS or left < (required - visits) * obligations.days_per_visit:
        return Status.AT_RISK
    return Status.ON_TRACK


def _year_status(term: Term, required: int, days: int, today: date) -> tuple[Status, int]:
    if today > term.last:
        return (Status.ON_TRACK if days >= required else Status.BEHIND), required
    elapsed = days_in(term.start, today, term.start, term.last)
    expected = required * elapsed // term.days if term.days else 0
    if days >= required:
        return Status.ON_TRACK, expected
    left = days_in(today, term.last, term.start, term.last)
    if required - days > left:
        return Status.BEHIND, expected
    return (Status.AT_RISK if days < expected else Status.ON_TRACK), expected


def worst(statuses: Iterable[Status]) -> Status:
    return max(statuses, key=lambda s: s.severity, default=Status.ON_TRACK)


def evaluate(term: Term, obligations: Obligations, visits: Sequence[VisitSpan], today: date) -> Report:
    """Compliance of one agreement as of `today`."""
    confirmed = [v for v in visits if v.confirmed]
    pending = [v for v in visits if not v.confirmed]
    qualifying = [v for v in confirmed
                  if days_in(v.start, v.end, term.start, term.last) >= obligations.days_per_visit]
    months = []
    for first, last in month_windows(term):
        required = _monthly_required(first, last, obligations)
        visit_count = sum(1 for v in qualifying if days_in(v.start, v.end, first, last) > 0)
        months.append(MonthReport(
            year=first.year, month=first.month, first=first, last=last, required_visits=required,
            visits=visit_count,
            days=sum(days_in(v.start, v.end, first, last) for v in confirmed),
            pending_days=sum(days_in(v.start, v.end, first, last) for v in pending),
            status=_month_status(first, last, required, visit_count, obligations, today)))
    days = sum(m.days for m in months)
    required_days = required_year_days(term, obligations)
    year_status, expected = _year_status(term, required_days, days, today)
    return Report(
        months=months, required_days=required_days, expected_days_by_now=expected, days=days,
        pending_days=sum(m.pending_days for m in months),
        visits=sum(1 for v in confirmed if days_in(v.start, v.end, term.start, term.last) > 0),
        year_status=year_status, status=worst([year_status, *(m.status for m in months)]),
        behind_months=sum(1 for m in months if m.status == Status.BEHIND))
