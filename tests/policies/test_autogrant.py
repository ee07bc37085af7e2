"""免申即享 and 'what if': found from the register's own data, each with the conditions that held."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from rencai.funds.models import AccountKind, Transfer
from rencai.policies.autogrant import AUTO_SOURCE, autogrant_approve, autogrant_check, scan_policy
from rencai.policies.models import Entitlement, Policy
from rencai.policies.tasks import policies_nightly
from rencai.policies.whatif import Scenario, simulate
from rencai.talents.models import Talent
from tests.conftest import verified_client
from tests.factories import TalentFactory
from tests.policies.conftest import TODAY

AFTER_NOTICE = date(2026, 3, 9)  # the notice of 5 working days from Monday 2026-03-02 ends on Friday


def young_doctors(world, n: int = 3) -> list[Talent]:
    return [TalentFactory(zone=world.zone_a, degree="博士", talent_type="全职引进", birth_date=date(1995, 1, 1))
            for _ in range(n)]


def test_nightly_scan_finds_qualifiers_with_a_trace_and_runs_again_without_duplicates(world):
    doctors = young_doctors(world)
    TalentFactory(zone=world.zone_a, degree="博士", talent_type="全职引进", birth_date=date(1980, 1, 1))  # too old
    policy = Policy.objects.get(code="doctor_living_subsidy")
    found = scan_policy(policy, TODAY)
    assert {e.talent_id for e in found} == {t.pk for t in doctors}
    trace = found[0].trace
    assert [t["label"] for t in trace] == ["博士学位", "35周岁以下", "全职引进"]
    assert all(t["held"] and t["version"] == 1 for t in trace)
    assert found[0].status == Entitlement.Status.PENDING and found[0].source == AUTO_SOURCE
    assert scan_policy(policy, TODAY) == []


def test_the_nightly_task_and_command_scan_every_auto_policy(world):
    young_doctors(world, 2)
    counts = policies_nightly.call(today=TODAY.isoformat())
    assert counts["doctor_living_subsidy"] == 2
    call_command("policies_nightly", "--today", TODAY.isoformat())
    assert Entitlement.objects.filter(policy__code="doctor_living_subsidy").count() == 2


def test_bulk_approval_after_check_and_notice_reserves_money_and_reports_what_the_budget_refused(world):
    from tests.policies.conftest import open_funds

    funds = open_funds(world, budget=Decimal("50000"))  # approval reserves all 48,000 of a doctor's subsidy
    young_doctors(world, 2)
    found = scan_policy(Policy.objects.get(code="doctor_living_subsidy"), TODAY)
    checked, _ = autogrant_check(entitlements=found, by=world.reviewer, start=TODAY)
    done, problems = autogrant_approve(entitlements=checked, by=world.admin, today=AFTER_NOTICE)
    assert (done, len(problems)) == (1, 1)
    assert "不足" in problems[0]
    assert funds["district"].balance(AccountKind.COMMITTED) == Decimal("48000.00")


def test_one_admin_cannot_approve_the_nightly_list_without_a_check_and_a_notice(world):
    """Defect 3b: a bulk confirmation by one admin made the whole list 已批准 at once."""
    from tests.policies.conftest import open_funds

    funds = open_funds(world)
    young_doctors(world, 3)
    found = scan_policy(Policy.objects.get(code="doctor_living_subsidy"), TODAY)
    done, problems = autogrant_approve(entitlements=found, by=world.admin, today=TODAY)
    assert done == 0 and len(problems) == 3
    assert "须先由审核人员复核并公示" in problems[0]
    assert funds["district"].balance(AccountKind.COMMITTED) == 0
    assert set(Entitlement.objects.values_list("status", flat=True)) == {Entitlement.Status.PENDING}


def test_the_checked_list_goes_on_notice_for_the_versions_working_days(world):
    young_doctors(world, 2)
    found = scan_policy(Policy.objects.get(code="doctor_living_subsidy"), TODAY)  # 2026-03-02 is a Monday
    checked, problems = autogrant_check(entitlements=found, by=world.reviewer, start=TODAY)
    assert not problems and len(checked) == 2
    ent = Entitlement.objects.get(pk=found[0].pk)
    assert ent.status == Entitlement.Status.NOTICE and ent.reviewed_by == world.reviewer
    assert (ent.notice_from, ent.notice_until) == (TODAY, date(2026, 3, 6))  # 5 working days
    page = verified_client(world.reviewer).get("/policies/notice/").content.decode()
    assert "免申即享" in page and "2026-03-02 至 2026-03-06" in page


def test_approval_waits_for_the_notice_and_a_second_person(world):
    from tests.policies.conftest import open_funds

    open_funds(world)
    young_doctors(world, 1)
    found = scan_policy(Policy.objects.get(code="doctor_living_subsidy"), TODAY)
    checked, _ = autogrant_check(entitlements=found, by=world.admin, start=TODAY)
    _, problems = autogrant_approve(entitlements=checked, by=world.city_admin, today=date(2026, 3, 6))
    assert "公示期至 2026-03-06 结束" in problems[0]
    _, problems = autogrant_approve(entitlements=checked, by=world.admin, today=AFTER_NOTICE)
    assert "审核人不能批准" in problems[0]
    done, _ = autogrant_approve(entitlements=checked, by=world.city_admin, today=AFTER_NOTICE)
    assert done == 1 and Entitlement.objects.get().status == Entitlement.Status.APPROVED


def test_finance_and_talents_cannot_check_the_list(world):
    young_doctors(world, 1)
    found = scan_policy(Policy.objects.get(code="doctor_living_subsidy"), TODAY)
    with pytest.raises(ValidationError, match="不能复核"):
        autogrant_check(entitlements=found, by=world.finance, start=TODAY)


def test_the_pages_walk_check_notice_approve_by_two_people(world):
    from tests.policies.conftest import open_funds

    open_funds(world, year=date.today().year)
    young_doctors(world, 2)
    found = scan_policy(Policy.objects.get(code="doctor_living_subsidy"), date.today())
    ids = [e.pk for e in found]
    reviewer = verified_client(world.reviewer)
    assert "复核所选并公示" in reviewer.get("/policies/entitlements/?source=auto").content.decode()
    assert "批准所选" not in reviewer.get("/policies/entitlements/?source=auto_notice").content.decode()
    reviewer.post("/policies/entitlements/confirm/", {"ids": ids, "step": "check"})
    assert set(Entitlement.objects.values_list("status", flat=True)) == {Entitlement.Status.NOTICE}
    admin = verified_client(world.admin)
    assert "批准所选" in admin.get("/policies/entitlements/?source=auto_notice").content.decode()
    page = admin.post("/policies/entitlements/confirm/", {"ids": ids, "step": "approve"}, follow=True)
    assert "公示期满后才能批准" in page.content.decode()
    Entitlement.objects.update(notice_until=date.today() - timedelta(days=1))
    admin.post("/policies/entitlements/confirm/", {"ids": ids, "step": "approve"})
    assert set(Entitlement.objects.values_list("status", flat=True)) == {Entitlement.Status.APPROVED}


def test_what_if_counts_qualifiers_and_cost_without_touching_the_ledger(world):
    young_doctors(world, 2)
    TalentFactory(zone=world.zone_a, degree="博士", talent_type="全职引进", birth_date=date(1989, 1, 1))  # 37
    before = Transfer.objects.count()
    policy = Policy.objects.get(code="doctor_living_subsidy")
    result = simulate(policy=policy, scenario=Scenario(max_age=40, amount=Decimal("60000")),
                      zones=world.admin.visible_zones(), today=TODAY)
    assert result.current.qualified == 2
    assert result.proposed.qualified == 3
    # 8 quarterly instalments from March: 2026-03, -06, -09, -12 this year, the other four next year
    assert result.current.this_year == Decimal("48000.00")
    assert result.proposed.this_year == Decimal("90000.00")
    assert result.proposed.next_year == Decimal("90000.00")
    assert Transfer.objects.count() == before
    assert not Entitlement.objects.exists()
