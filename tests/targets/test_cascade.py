"""Targets cascade city → zone → bureau; zones' targets and actuals add up to the city's."""

import pytest

from rencai.targets import services
from rencai.targets.indicators import Where, actual, reconcile
from tests.factories import TalentFactory
from tests.targets.helpers import D, arrivals

pytestmark = pytest.mark.django_db


def test_zones_targets_and_actuals_add_up_to_the_citys(world):
    city = world.zone_a.city
    ind = arrivals()
    services.target_set(indicator=ind, year=2025, city=city, value=30, by=world.city_admin)
    services.target_set(indicator=ind, year=2025, city=city, zone=world.zone_a, value=20, by=world.city_admin)
    check = services.cascade_check(ind, 2025, city)
    assert (check["city"], check["zones"], check["zones_match"], check["gap"]) == (30, 20, False, 10)
    services.target_set(indicator=ind, year=2025, city=city, zone=world.zone_b, value=10, by=world.city_admin)
    assert services.cascade_check(ind, 2025, city)["zones_match"] is True
    for i, z in enumerate([world.zone_a] * 3 + [world.zone_b] * 2):
        services.stay_record(talent=TalentFactory(zone=z), zone=z, arrived_on=D(2025, 1 + i, 5), by=None)
    rec = reconcile(ind, 2025, city, [world.zone_a, world.zone_b], [])
    assert rec["zones"] == {world.zone_a.name: 3, world.zone_b.name: 2}
    assert rec["zone_sum"] == rec["whole"] == actual(ind, 2025, Where(city)) == 5
    assert rec["zones_match"] is True


def test_a_zone_adjustment_keeps_the_cascade_reconciled(world):
    city = world.zone_a.city
    ind = arrivals()
    adj = services.adjustment_propose(indicator=ind, year=2025, city=city, zone=world.zone_b, delta=3,
                                      reason="外区转入补录", by=world.city_admin)
    services.adjustment_decide(adjustment=adj, move="approve", by=world.reviewer)
    rec = reconcile(ind, 2025, city, [world.zone_a, world.zone_b], [])
    assert rec["whole"] == rec["zone_sum"] == 3
