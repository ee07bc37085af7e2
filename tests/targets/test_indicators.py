"""Indicators computed live by their counting rules, with the edge cases offices argue about."""

import pytest
from django.core.exceptions import ValidationError

from rencai.targets import services
from rencai.targets.indicators import Where, actual, drilldown, reconcile
from rencai.targets.models import Adjustment
from tests.factories import BureauFactory, TalentFactory
from tests.targets.helpers import D, arrivals, stock

pytestmark = pytest.mark.django_db


def test_arrived_in_december_left_in_january_counts_as_an_arrival_once_and_in_one_years_stock(world):
    city = world.zone_a.city
    t = TalentFactory(zone=world.zone_a, name="张十二月")
    services.stay_record(talent=t, zone=world.zone_a, arrived_on=D(2025, 12, 10), left_on=D(2026, 1, 15), by=None)
    flow, st = arrivals(), stock()
    assert actual(flow, 2025, Where(city)) == 1
    assert actual(flow, 2026, Where(city)) == 0
    assert actual(st, 2025, Where(city)) == 1  # still there on 31 December
    assert actual(st, 2026, Where(city)) == 0
    assert actual(st, 2026, Where(city), upto=D(2026, 1, 14)) == 1  # there until the day they left
    assert actual(flow, 2025, Where(city, zone=world.zone_b)) == 0


def test_a_master_is_not_counted_by_the_doctorate_rule_and_a_second_stay_does_not_count_twice(world):
    city = world.zone_a.city
    phd = TalentFactory(zone=world.zone_a)
    master = TalentFactory(zone=world.zone_a, degree="硕士")
    services.stay_record(talent=phd, zone=world.zone_a, arrived_on=D(2025, 3, 1), left_on=D(2025, 5, 1), by=None)
    services.stay_record(talent=phd, zone=world.zone_a, arrived_on=D(2025, 9, 1), by=None)
    services.stay_record(talent=master, zone=world.zone_a, arrived_on=D(2025, 3, 1), by=None)
    assert actual(arrivals(), 2025, Where(city)) == 1


def test_two_bureaus_claiming_the_same_talent_each_count_it_but_the_city_counts_it_once(world):
    city = world.zone_a.city
    health = BureauFactory(city=city, name="包头市卫健委", code="health")
    t = TalentFactory(zone=world.zone_a, name="刘双认")
    services.stay_record(talent=t, zone=world.zone_a, arrived_on=D(2025, 4, 1), by=None)
    services.claim_add(talent=t, bureau=world.bureau, year=2025, by=None)
    services.claim_add(talent=t, bureau=health, year=2025, by=None)
    ind = arrivals()
    assert actual(ind, 2025, Where(city, bureau=world.bureau)) == 1
    assert actual(ind, 2025, Where(city, bureau=health)) == 1
    assert actual(ind, 2025, Where(city)) == 1
    rec = reconcile(ind, 2025, city, [world.zone_a, world.zone_b], [world.bureau, health])
    assert rec["bureau_sum"] == 2 and rec["whole"] == 1
    assert rec["claimed_twice"] == ["刘*认"]


def test_an_adjustment_without_a_second_person_is_refused_and_counts_only_once_approved(world):
    city = world.zone_a.city
    ind = arrivals()
    with pytest.raises(ValidationError, match="原因"):
        services.adjustment_propose(indicator=ind, year=2025, city=city, zone=world.zone_a, delta=2, reason=" ",
                                    by=world.admin)
    adj = services.adjustment_propose(indicator=ind, year=2025, city=city, zone=world.zone_a, delta=2,
                                      reason="两名博士的到岗材料补录", by=world.admin)
    assert actual(ind, 2025, Where(city)) == 0  # proposed only
    with pytest.raises(ValidationError, match="第二人"):
        services.adjustment_decide(adjustment=adj, move="approve", by=world.admin)
    adj.refresh_from_db()
    assert adj.status == Adjustment.Status.PROPOSED
    services.adjustment_decide(adjustment=adj, move="approve", by=world.reviewer)
    assert actual(ind, 2025, Where(city)) == 2
    assert actual(ind, 2025, Where(city, zone=world.zone_a)) == 2


def test_a_locked_period_refuses_new_adjustments_and_targets(world):
    city = world.zone_a.city
    ind = arrivals()
    period = services.period_for(city, 2025)
    services.period_move(period=period, move="lock", by=world.city_admin)
    with pytest.raises(ValidationError, match="已锁定"):
        services.adjustment_propose(indicator=ind, year=2025, city=city, delta=1, reason="补录", by=world.admin)
    with pytest.raises(ValidationError, match="已锁定"):
        services.target_set(indicator=ind, year=2025, city=city, value=10, by=world.city_admin)


def test_drilldown_lists_the_records_masked_and_only_those_the_user_may_see(world):
    city = world.zone_a.city
    a = TalentFactory(zone=world.zone_a, name="欧阳明月")
    b = TalentFactory(zone=world.zone_b, name="李晓梅")
    for t, z in ((a, world.zone_a), (b, world.zone_b)):
        services.stay_record(talent=t, zone=z, arrived_on=D(2025, 6, 1), by=None)
    ind = arrivals()
    headers, body, hidden = drilldown(ind, 2025, Where(city), world.admin)  # zone A staff
    assert headers[0] == "姓名"
    assert [row[0] for row in body] == ["欧**月"]
    assert hidden == 1
    _, body_city, hidden_city = drilldown(ind, 2025, Where(city), world.city_admin)
    assert sorted(row[0] for row in body_city) == ["李*梅", "欧**月"] and hidden_city == 0


def test_a_filter_the_source_does_not_allow_is_refused(world):
    ind = arrivals(code="bad", **{"talent__id_number": "x"})
    with pytest.raises(ValueError, match="不是来源"):
        actual(ind, 2025, Where(world.zone_a.city))
