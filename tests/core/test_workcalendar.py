"""Working days as offices count them: holidays off, 调休 weekends on, and the office's own edits."""

from __future__ import annotations

from datetime import date

import pytest

from rencai.core.models import CalendarDay, City
from rencai.core.office import document_number
from rencai.core.workcalendar import add_working_days, calendar_day_set, is_working_day, working_days_between


@pytest.mark.django_db
def test_national_day_week_is_off_and_the_adjusted_saturday_is_worked():
    # 2026: 10-01..10-07 off; Saturday 10-10 worked (chinese-calendar, seeded by the migration)
    assert not is_working_day(date(2026, 10, 1))
    assert is_working_day(date(2026, 10, 10))
    # 5 working days of 公示 from Wednesday 30 September: 9-30, then 10-08, 10-09, 10-10 (调休), 10-12
    assert add_working_days(date(2026, 9, 30), 5) == date(2026, 10, 12)
    assert working_days_between(date(2026, 9, 28), date(2026, 10, 11)) == 6


@pytest.mark.django_db
def test_a_plain_week_counts_weekdays_only():
    assert add_working_days(date(2026, 11, 2), 5) == date(2026, 11, 6)  # Monday to Friday
    assert add_working_days(date(2026, 11, 6), 2) == date(2026, 11, 9)  # Friday, then Monday
    assert add_working_days(date(2026, 11, 2), 0) == date(2026, 11, 1)


@pytest.mark.django_db
def test_the_office_adds_next_years_holidays_the_package_does_not_know(world):
    assert is_working_day(date(2027, 10, 4))  # a Monday; chinese-calendar stops at 2026
    calendar_day_set(day=date(2027, 10, 4), kind=CalendarDay.Kind.HOLIDAY, name="国庆节", by=world.city_admin)
    assert not is_working_day(date(2027, 10, 4))
    assert add_working_days(date(2027, 10, 4), 1) == date(2027, 10, 5)
    calendar_day_set(day=date(2027, 10, 4), kind="", name="", by=world.city_admin)
    assert is_working_day(date(2027, 10, 4))


@pytest.mark.django_db
def test_document_numbers_run_per_year_without_gaps():
    city = City.objects.create(name="包头市")
    numbers = [document_number(city=city, key="assessment_letter", year=2026, prefix="包人才办") for _ in range(3)]
    assert numbers == ["包人才办〔2026〕1号", "包人才办〔2026〕2号", "包人才办〔2026〕3号"]
    assert document_number(city=city, key="assessment_letter", year=2027) == "包人才办〔2027〕1号"
