"""The contract other apps use: grant, approve, stop, and find entitlements by source."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from rencai.funds.models import AccountKind
from rencai.policies.models import Entitlement, Instalment
from rencai.policies.services import (
    entitlement_approve,
    entitlement_grant,
    entitlement_stop,
    entitlements_for_source,
    instalment_pay,
)
from tests.policies.conftest import TODAY, confirm_bank


def grant_living_subsidy(world, source: str = "postdoc:1") -> Entitlement:
    return entitlement_grant(policy_code="postdoc_living_subsidy", beneficiary=world.talent, source=source,
                             by=world.reviewer, today=TODAY)


def test_living_subsidy_is_300000_in_four_instalments_shared_by_three_levels(world):
    ent = grant_living_subsidy(world)
    assert ent.status == Entitlement.Status.PENDING
    assert ent.amount == Decimal("300000.00")
    instalments = list(ent.instalments.order_by("seq"))
    assert [i.amount for i in instalments] == [Decimal("75000.00")] * 4
    assert [i.due_on for i in instalments] == [date(2026, 3, 2), date(2026, 9, 2), date(2027, 3, 2), date(2027, 9, 2)]
    shares = {s.level: s.amount for s in instalments[0].shares.all()}
    assert shares == {"region": Decimal("30000.00"), "city": Decimal("22500.00"), "district": Decimal("22500.00")}
    assert ent.version.number == 1


def test_granting_twice_for_the_same_source_returns_the_same_entitlement(world):
    first = grant_living_subsidy(world)
    again = grant_living_subsidy(world)
    assert again.pk == first.pk
    assert Entitlement.objects.count() == 1
    other = grant_living_subsidy(world, source="postdoc:2")
    assert other.pk != first.pk


def test_grant_reserves_no_money_until_approved(world, funds):
    grant_living_subsidy(world)
    assert funds["region"].balance(AccountKind.COMMITTED) == 0


def test_station_setup_grant_is_one_instalment_of_100000(world):
    ent = entitlement_grant(policy_code="postdoc_station_setup", beneficiary=world.enterprise, source="station:7",
                            by=world.reviewer, today=TODAY)
    assert [(i.seq, i.amount) for i in ent.instalments.all()] == [(1, Decimal("100000.00"))]


def test_explicit_amount_and_schedule_override_the_policy(world):
    plan = [(date(2026, 6, 1), Decimal("1000")), (date(2027, 6, 1), Decimal("2000"))]
    ent = entitlement_grant(policy_code="postdoc_living_subsidy", beneficiary=world.talent, source="x",
                            instalments=plan, by=world.reviewer, today=TODAY)
    assert ent.amount == Decimal("3000.00")
    assert [i.due_on for i in ent.instalments.all()] == [date(2026, 6, 1), date(2027, 6, 1)]


def test_policy_for_talents_refuses_an_enterprise(world):
    with pytest.raises(ValidationError, match="兑现对象是人才"):
        entitlement_grant(policy_code="postdoc_living_subsidy", beneficiary=world.enterprise, source="x",
                          by=world.reviewer, today=TODAY)


def test_approving_reserves_each_levels_share_in_its_fund(world, funds):
    ent = entitlement_approve(entitlement=grant_living_subsidy(world), by=world.admin, today=TODAY)
    assert ent.status == Entitlement.Status.APPROVED
    assert funds["region"].balance(AccountKind.COMMITTED) == Decimal("120000.00")
    assert funds["city"].balance(AccountKind.AVAILABLE) == Decimal("910000.00")
    assert set(ent.instalments.values_list("status", flat=True)) == {Instalment.Status.COMMITTED}


def test_approval_past_the_budget_is_refused_and_reserves_nothing(world):
    from tests.policies.conftest import open_funds

    funds = open_funds(world, budget=Decimal("100000"))
    with pytest.raises(ValidationError, match="不足"):
        entitlement_approve(entitlement=grant_living_subsidy(world), by=world.admin, today=TODAY)
    for fund in funds.values():
        assert fund.balance(AccountKind.COMMITTED) == 0
        assert fund.balance(AccountKind.AVAILABLE) == Decimal("100000.00")
    assert Entitlement.objects.get().status == Entitlement.Status.PENDING


def test_approval_without_a_fund_for_the_year_says_which_is_missing(world):
    with pytest.raises(ValidationError, match="2026年自治区级人才资金尚未设立"):
        entitlement_approve(entitlement=grant_living_subsidy(world), by=world.admin, today=TODAY)


def test_reviewer_cannot_approve_what_they_reviewed(world, funds):
    ent = grant_living_subsidy(world)
    Entitlement.objects.filter(pk=ent.pk).update(reviewed_by=world.admin)
    with pytest.raises(ValidationError, match="审核人不能批准"):
        entitlement_approve(entitlement=ent, by=world.admin, today=TODAY)


def test_stopping_releases_unpaid_instalments_and_keeps_paid_ones(world, funds):
    ent = entitlement_approve(entitlement=grant_living_subsidy(world), by=world.admin, today=TODAY)
    confirm_bank(ent, world)
    first = ent.instalments.get(seq=1)
    instalment_pay(instalment=first, idempotency_key="pay-1", by=world.finance)
    stopped = entitlement_stop(entitlement=ent, reason="提前出站", by=world.admin)
    assert stopped == 3
    ent.refresh_from_db()
    assert ent.status == Entitlement.Status.STOPPED and ent.stop_reason == "提前出站"
    assert funds["region"].balance(AccountKind.COMMITTED) == 0
    assert funds["region"].balance(AccountKind.PAID) == Decimal("30000.00")
    assert funds["region"].balance(AccountKind.AVAILABLE) == Decimal("970000.00")
    assert entitlement_stop(entitlement=ent, reason="再次", by=world.admin) == 0


def test_stop_needs_a_reason(world):
    with pytest.raises(ValidationError, match="原因"):
        entitlement_stop(entitlement=grant_living_subsidy(world), reason=" ", by=world.admin)


def test_entitlements_for_source_lists_only_that_source(world):
    grant_living_subsidy(world, source="postdoc:1")
    entitlement_grant(policy_code="postdoc_station_setup", beneficiary=world.enterprise, source="postdoc:1",
                      by=world.reviewer, today=TODAY)
    grant_living_subsidy(world, source="postdoc:2")
    assert [e.policy.code for e in entitlements_for_source("postdoc:1")] == [
        "postdoc_living_subsidy", "postdoc_station_setup"]
