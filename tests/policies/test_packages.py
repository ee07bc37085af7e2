"""一人一策: a negotiated package is approved by a second officer and booked in the same ledger."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from rencai.funds.models import AccountKind
from rencai.policies.models import Policy
from rencai.policies.packages import Item, package_create
from rencai.policies.services import entitlement_approve
from tests.policies.conftest import TODAY

ITEMS = [Item("科研启动经费", date(2026, 4, 1), Decimal("500000")),
         Item("团队建设经费", date(2027, 4, 1), Decimal("300000"))]


def test_a_package_is_its_own_policy_that_nobody_else_can_apply_for(world):
    ent = package_create(talent=world.talent, title="稀土永磁团队", basis="领导小组会议纪要〔2026〕3号", items=ITEMS,
                         level_shares={"city": "0.5", "district": "0.5"}, by=world.admin)
    assert ent.amount == Decimal("800000.00")
    assert [i.due_on for i in ent.instalments.all()] == [date(2026, 4, 1), date(2027, 4, 1)]
    assert not Policy.objects.get(pk=ent.policy_id).active
    assert "科研启动经费：500000 元" in ent.version.clauses


def test_the_officer_who_drew_it_up_cannot_approve_it_but_a_colleague_can(world, funds):
    ent = package_create(talent=world.talent, title="团队", basis="纪要", items=ITEMS,
                         level_shares={"district": "1"}, by=world.admin)
    with pytest.raises(ValidationError, match="审核人不能批准"):
        entitlement_approve(entitlement=ent, by=world.admin, today=TODAY)
    entitlement_approve(entitlement=ent, by=world.city_admin, today=TODAY)
    assert funds["district"].balance(AccountKind.COMMITTED) == Decimal("800000.00")


def test_a_package_needs_items_with_amounts(world):
    with pytest.raises(ValidationError, match="至少要有一项"):
        package_create(talent=world.talent, title="空", basis="纪要", items=[], level_shares={"district": "1"},
                       by=world.admin)
