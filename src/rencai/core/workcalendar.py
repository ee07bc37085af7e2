"""Working days as offices count them: weekends off, official holidays off, 调休 Saturdays and Sundays on.

公示 periods, 办结时限 and every other deadline "in working days" count through `add_working_days`. The days
that differ from the plain week are rows of `CalendarDay`, seeded from the `chinese-calendar` package (which
knows the State Council's holidays only up to 2026) and edited by the office on the 工作日历 page as each
year's notice is published, so the calendar never stops at the package's last year.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.http import HttpRequest

from rencai.core.audit import audit_record
from rencai.core.models import CalendarDay, User

NAMES = {"New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
         "Dragon Boat Festival": "端午节", "National Day": "国庆节", "Mid-autumn Festival": "中秋节",
         "Anti-Fascist 70th Day": "抗战胜利纪念日"}


def special_days(start: date, end: date) -> dict[date, bool]:
    """{day: is it a working day} for the days between start and end that are not as the plain week says."""
    rows = CalendarDay.objects.filter(day__gte=start, day__lte=end).values_list("day", "kind")
    return {day: kind == CalendarDay.Kind.WORKDAY for day, kind in rows}


def is_working_day(day: date, special: dict[date, bool] | None = None) -> bool:
    special = special_days(day, day) if special is None else special
    return special.get(day, day.weekday() < 5)


def add_working_days(start: date, days: int) -> date:
    """The last day of a period of `days` working days beginning on `start` (which counts if it is one).

    With no period (0), the period is over before it starts: the day before `start`.
    """
    if days <= 0:
        return start - timedelta(days=1)
    # Long holidays stretch a period; a year of look-ahead covers any period an office sets.
    special = special_days(start, start + timedelta(days=days * 2 + 370))
    day, counted = start, 0
    while True:
        if is_working_day(day, special):
            counted += 1
            if counted == days:
                return day
        day += timedelta(days=1)


def working_days_between(start: date, end: date) -> int:
    """Working days from start to end, both counted (0 if end is before start)."""
    if end < start:
        return 0
    special = special_days(start, end)
    return sum(is_working_day(start + timedelta(days=i), special) for i in range((end - start).days + 1))


@transaction.atomic
def calendar_seed(*, by: User | None = None) -> int:
    """Add the official holidays and 调休 workdays the `chinese-calendar` package knows; keeps the office's edits."""
    import chinese_calendar

    known = set(CalendarDay.objects.values_list("day", flat=True))
    rows = [CalendarDay(day=day, kind=CalendarDay.Kind.HOLIDAY, name=NAMES.get(name, name or "法定节假日"))
            for day, name in chinese_calendar.holidays.items() if day.year >= 2020 and day not in known]
    rows += [CalendarDay(day=day, kind=CalendarDay.Kind.WORKDAY, name=f"{NAMES.get(name, name)}调休上班")
             for day, name in chinese_calendar.workdays.items() if day.year >= 2020 and day not in known]
    CalendarDay.objects.bulk_create(rows)
    audit_record(action="update", user=by, object_type="core.calendarday", object_repr="导入法定节假日",
                 detail={"added": len(rows)})
    return len(rows)


@transaction.atomic
def calendar_day_set(*, day: date, kind: str, name: str, by: User,
                     request: HttpRequest | None = None) -> CalendarDay | None:
    """Mark a day a holiday or a 调休 working day; kind "" puts it back to the plain week."""
    CalendarDay.objects.filter(day=day).delete()
    entry = None
    if kind:
        entry = CalendarDay(day=day, kind=kind, name=name.strip(), updated_by=by)
        entry.full_clean()
        entry.save()
    audit_record(action="update", request=request, user=by, object_type="core.calendarday", object_id=day.isoformat(),
                 object_repr=f"{day:%Y-%m-%d} {name}", detail={"kind": kind, "name": name})
    return entry
