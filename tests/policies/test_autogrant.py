"""免申即享 and 'what if': found from the register's own data, each with the conditions that held."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.management import call_command

from rencai.funds.models import AccountKind, Transfer
from rencai.policies.autogrant import AUTO_SOURCE, confirm_in_bulk, scan_policy
from rencai.policies.models import Entitlement, Policy
from rencai.policies.tasks import policies_nightly
from rencai.policies.whatif import Scenario, simulate
from rencai.talents.models import Talent
from tests.factories import TalentFactory
from tests.policies.conftest import TODAY


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


def test_bulk_confirmation_reserves_money_and_reports_what_the_budget_refused(world):
    from tests.policies.conftest import open_funds

    funds = open_funds(world, budget=Decimal("50000"))  # approval reserves all 48,000 of a doctor's subsidy
    young_doctors(world, 2)
    found = scan_policy(Policy.objects.get(code="doctor_living_subsidy"), TODAY)
    done, problems = confirm_in_bulk(entitlements=found, by=world.admin, today=TODAY)
    assert (done, len(problems)) == (1, 1)
    assert "不足" in problems[0]
    assert funds["district"].balance(AccountKind.COMMITTED) == Decimal("48000.00")


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
