from datetime import date

import pytest

from rencai.core.dates import add_months
from rencai.postdoc.deadlines import Terms, deadlines_from, reminder_step
from rencai.postdoc.models import PostdocSettings
from tests.postdoc.conftest import make_postdoc


@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2025, 11, 30), 3, date(2026, 2, 28)),
    (date(2023, 11, 30), 3, date(2024, 2, 29)),  # leap year
    (date(2024, 2, 29), 12, date(2025, 2, 28)),
    (date(2024, 2, 29), 48, date(2028, 2, 29)),
    (date(2025, 1, 31), 1, date(2025, 2, 28)),
    (date(2025, 8, 31), 3, date(2025, 11, 30)),
    (date(2025, 3, 15), 24, date(2027, 3, 15)),
])
def test_deadlines_count_calendar_months_and_clamp_to_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_an_extension_counts_from_entry_not_from_a_clamped_deadline():
    terms = Terms(proposal_months=3, midterm_months=12, exit_months=24)
    # 2024-01-31 + 25 months = 2026-02-28; + 1 more from there would drift to 03-28, from entry it is 03-31.
    assert deadlines_from(date(2024, 1, 31), terms, extension_months=2).exit == date(2026, 3, 31)


@pytest.mark.parametrize(("today", "step"), [
    (date(2025, 5, 31), None), (date(2025, 6, 1), 30), (date(2025, 6, 23), 30), (date(2025, 6, 24), 7),
    (date(2025, 7, 1), 7), (date(2025, 7, 2), -1),
])
def test_reminder_steps_follow_the_days_before_the_deadline(today, step):
    assert reminder_step(date(2025, 7, 1), today, [30, 7]) == step


def test_postdoc_entering_on_november_30_has_proposal_due_at_february_end(world, station):
    postdoc = make_postdoc(world, station, entered_on=date(2025, 11, 30))
    assert (postdoc.proposal_due, postdoc.midterm_due, postdoc.exit_due) == (
        date(2026, 2, 28), date(2026, 11, 30), date(2027, 11, 30))


def test_station_months_override_the_office_defaults(world, station):
    settings = PostdocSettings.current()
    settings.proposal_months = 6
    settings.save()
    station.midterm_months = 18
    station.save()
    postdoc = make_postdoc(world, station, entered_on=date(2025, 3, 1))
    assert (postdoc.proposal_due, postdoc.midterm_due, postdoc.exit_due) == (
        date(2025, 9, 1), date(2026, 9, 1), date(2027, 3, 1))
