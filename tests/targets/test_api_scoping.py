"""Every targets API list and detail, for every persona, against the models' declared scope — with rows in both
zones and at the city level (the generated model × persona world holds no targets rows, so this fills that in)."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from rencai.core.models import User
from rencai.core.roles import Role
from rencai.targets import services
from rencai.targets.api import register_api
from rencai.targets.models import Adjustment, Indicator, Period, Target
from tests.factories import CityFactory, UserFactory, ZoneFactory
from tests.targets.helpers import arrivals, stock
from tests.test_scoping_generated import expected_pks

pytestmark = pytest.mark.django_db
ENDPOINTS = {"target-indicators": Indicator, "targets": Target, "target-progress": Indicator,
             "target-adjustments": Adjustment, "target-periods": Period}


def api(user: User) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")


def ids(client: Client, url: str) -> list[int]:
    out: list[int] = []
    while url:
        body = client.get(url).json()
        out += [item["id"] for item in body["results"]]
        url = body["next"]
    return out


@pytest.fixture
def rows(world):
    city = world.zone_a.city
    other_city = CityFactory(name="鄂尔多斯市")
    other_zone = ZoneFactory(city=other_city, name="康巴什区", code="kbs")
    other_admin = UserFactory(username="admin_ordos", role=Role.OFFICE_ADMIN, city=other_city)
    inds = [arrivals(), stock()]
    for ind in inds:
        for c, zones, by in ((city, [world.zone_a, world.zone_b], world.city_admin),
                             (other_city, [other_zone], other_admin)):
            services.target_set(indicator=ind, year=2025, city=c, value=9, by=by)
            for z in zones:
                services.target_set(indicator=ind, year=2025, city=c, zone=z, value=3, by=by)
                services.adjustment_propose(indicator=ind, year=2025, city=c, zone=z, delta=1, reason="补录", by=by)
            services.adjustment_propose(indicator=ind, year=2025, city=c, delta=1, reason="市级补录", by=by)
    for c in (city, other_city):
        services.period_for(c, 2024)
        services.period_for(c, 2025)
    staff_b = UserFactory(username="reviewer_b", role=Role.REVIEWER, zone=world.zone_b, city=city)
    return {**world.personas(), "city_admin": world.city_admin, "reviewer_b": staff_b, "other_city": other_admin}


def test_every_endpoint_of_the_area_is_checked():
    from rest_framework.routers import DefaultRouter

    router = DefaultRouter()
    register_api(router)
    assert {prefix for prefix, _v, _b in router.registry} == set(ENDPOINTS)


@pytest.mark.parametrize("persona", ["office_admin", "city_admin", "reviewer", "reviewer_b", "finance",
                                     "other_city", "enterprise", "talent", "liaison", "bureau", "expert",
                                     "partner", "evaluator"])
def test_lists_give_exactly_the_declared_scope_and_details_404_outside(rows, persona):
    user = rows[persona]
    client = api(user)
    for prefix, model in ENDPOINTS.items():
        url = f"/api/v1/{prefix}/"
        if user.role not in {Role.OFFICE_ADMIN, Role.REVIEWER, Role.FINANCE}:
            assert client.get(url).status_code == 403, (persona, url)
            continue
        want = expected_pks(user, model)
        assert sorted(ids(client, url + "?year=2025")) == sorted(want), (persona, url)
        hidden = set(model._base_manager.values_list("pk", flat=True)) - want
        for pk in sorted(hidden)[:3]:
            assert client.get(f"{url}{pk}/").status_code == 404, (persona, url, pk)
        for pk in sorted(want)[:2]:
            assert client.get(f"{url}{pk}/?year=2025").status_code == 200, (persona, url, pk)


def test_the_scope_is_not_trivial(rows):
    """Zone staff miss the other zone's and the other city's rows; city staff miss only the other city's."""
    zone_staff, city_staff = rows["office_admin"], rows["city_admin"]
    for model in (Target, Adjustment):
        total = model._base_manager.count()
        assert 0 < len(expected_pks(zone_staff, model)) < len(expected_pks(city_staff, model)) < total
    assert len(expected_pks(city_staff, Period)) == 2 < Period.objects.count()
