"""Funds for zone A this year, at every government level, for the tests of entitlements and payments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from rencai.funds.models import Fund, Level
from rencai.funds.services import fund_open

TODAY = date(2026, 3, 2)


def open_funds(world, budget: Decimal = Decimal("1000000"), year: int = 2026) -> dict[str, Fund]:
    return {lv: fund_open(year=year, level=lv, zone=world.zone_a, budget=budget, by=world.city_admin)
            for lv in Level.values}


@pytest.fixture
def funds(world) -> dict[str, Fund]:
    return open_funds(world)


def confirm_bank(entitlement, world, account: str = "6222 0206 0000 1234 567", bank: str = "工商银行包头分行"):
    """The beneficiary confirms where the money goes, through the service the 我的政策兑现 page uses."""
    from rencai.policies.services import entitlement_bank_confirm

    by = world.talent_user if entitlement.talent_id else world.enterprise_user
    return entitlement_bank_confirm(entitlement=entitlement, bank_name=bank, bank_account=account, by=by)
