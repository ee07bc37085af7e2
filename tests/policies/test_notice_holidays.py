"""公示 counts working days as the office does (issue 11): 国庆 2026-10-01..07 off, 调休 Saturday 2026-10-10 worked."""

from __future__ import annotations

from datetime import date

import pytest

from rencai.core.models import CalendarDay
from rencai.core.roles import Role
from rencai.core.workcalendar import calendar_day_set
from rencai.policies.autogrant import autogrant_check, scan_policy
from rencai.policies.models import Entitlement, Policy
from rencai.policies.review import application_review, application_submit, notice_start
from tests.factories import TalentFactory, UserFactory

NATIONAL_DAY_EVE = date(2026, 9, 30)  # a Wednesday; 10-01..10-07 off, Saturday 10-10 worked
# 5 working days: 9-30, 10-08, 10-09, 10-10 (调休), 10-12 — counting weekdays only would end on 10-06
AFTER_HOLIDAY = date(2026, 10, 12)


def test_an_applications_notice_skips_national_day_and_counts_the_adjusted_saturday(world):
    second = UserFactory(username="reviewer_n2", role=Role.REVIEWER, zone=world.zone_a, city=world.zone_a.city)
    app = application_submit(policy=Policy.objects.get(code="housing_subsidy"), beneficiary=world.talent,
                             by=world.talent_user, statement="首次购房")
    app = application_review(application=app, by=world.reviewer, passed=True)
    app = application_review(application=app, by=second, passed=True)
    [app] = notice_start(applications=[app], by=world.reviewer, start=NATIONAL_DAY_EVE)
    assert (app.notice_from, app.notice_until) == (NATIONAL_DAY_EVE, AFTER_HOLIDAY)


def test_the_auto_grant_notice_skips_national_day_and_counts_the_adjusted_saturday(world):
    TalentFactory(zone=world.zone_a, degree="博士", talent_type="全职引进", birth_date=date(1995, 1, 1))
    found = scan_policy(Policy.objects.get(code="doctor_living_subsidy"), NATIONAL_DAY_EVE)
    checked, problems = autogrant_check(entitlements=found, by=world.reviewer, start=NATIONAL_DAY_EVE)
    assert not problems and checked
    assert Entitlement.objects.get(pk=found[0].pk).notice_until == AFTER_HOLIDAY


@pytest.mark.django_db
def test_a_holiday_the_office_adds_lengthens_the_notice(world):
    from rencai.policies.review import add_working_days

    assert add_working_days(date(2027, 10, 4), 1) == date(2027, 10, 4)
    calendar_day_set(day=date(2027, 10, 4), kind=CalendarDay.Kind.HOLIDAY, name="国庆节", by=world.city_admin)
    assert add_working_days(date(2027, 10, 4), 1) == date(2027, 10, 5)
