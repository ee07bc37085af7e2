from __future__ import annotations

from decimal import Decimal

import pytest

from rencai.core.roles import Role
from rencai.funds.models import Fund, Level
from rencai.funds.services import fund_open
from tests.factories import CityFactory, UserFactory, ZoneFactory


@pytest.fixture
def clerk(db):
    zone = ZoneFactory(city=CityFactory(), code="ledger")
    return UserFactory(username="fin_ledger", role=Role.FINANCE, zone=zone, city=zone.city)


@pytest.fixture
def fund(clerk) -> Fund:
    return fund_open(year=2026, level=Level.DISTRICT, zone=clerk.zone, budget=Decimal("10000"), by=clerk)
