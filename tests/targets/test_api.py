"""The targets API as a program uses it: scoped reads per role, writes refused for the pages' reasons, in Chinese."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from rencai.core.models import User
from rencai.core.roles import Role
from rencai.targets import services
from rencai.targets.models import Adjustment, Period, Target
from tests.factories import TalentFactory, UserFactory
from tests.targets.helpers import D, arrivals

pytestmark = pytest.mark.django_db
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def api(user: User) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")


def post(user: User, url: str, data: dict) -> object:  # type: ignore[type-arg]
    return api(user).post(url, data=json.dumps(data), content_type="application/json")


def messages(response) -> str:  # noqa: ANN001
    return json.dumps(response.json(), ensure_ascii=False)


@pytest.fixture
def setup(world):
    city = world.zone_a.city
    ind = arrivals()
    services.target_set(indicator=ind, year=2025, city=city, value=30, by=world.city_admin)
    services.target_set(indicator=ind, year=2025, city=city, zone=world.zone_a, value=20, by=world.city_admin)
    services.target_set(indicator=ind, year=2025, city=city, zone=world.zone_b, value=10, by=world.city_admin)
    for i, zone in enumerate((world.zone_a, world.zone_a, world.zone_b)):
        t = TalentFactory(zone=zone, name=f"博士{i}", degree="博士")
        services.stay_record(talent=t, zone=zone, arrived_on=D(2025, 3 + i, 1), by=None)
    adj_a = services.adjustment_propose(indicator=ind, year=2025, city=city, zone=world.zone_a, delta=1,
                                        reason="补录甲区到岗材料", by=world.admin)
    adj_b = services.adjustment_propose(indicator=ind, year=2025, city=city, zone=world.zone_b, delta=1,
                                        reason="补录乙区到岗材料", by=world.city_admin)
    services.period_for(city, 2025)
    return ind, adj_a, adj_b


def test_the_schema_documents_every_targets_endpoint(db):
    paths = json.loads(Client().get("/api/v1/schema/", {"format": "json"}).content)["paths"]
    for prefix in ("target-indicators", "targets", "target-progress", "target-adjustments", "target-periods"):
        assert f"/api/v1/{prefix}/" in paths and f"/api/v1/{prefix}/{{id}}/" in paths, prefix
    assert "post" in paths["/api/v1/target-adjustments/{id}/move/"]
    assert "post" in paths["/api/v1/target-periods/move/"]
    assert "patch" in paths["/api/v1/targets/{id}/"]


def test_zone_staff_see_the_city_and_their_zone_and_city_staff_every_zone(world, setup):
    ind, adj_a, adj_b = setup
    zone_targets = {(t["zone"], t["value"]) for t in api(world.admin).get("/api/v1/targets/").json()["results"]}
    assert zone_targets == {(None, 30), (world.zone_a.pk, 20)}  # the city's own target, not the other zone's
    city_targets = {(t["zone"], t["value"]) for t in api(world.city_admin).get("/api/v1/targets/").json()["results"]}
    assert city_targets == {(None, 30), (world.zone_a.pk, 20), (world.zone_b.pk, 10)}
    adjustments = [a["id"] for a in api(world.reviewer).get("/api/v1/target-adjustments/").json()["results"]]
    assert adjustments == [adj_a.pk]
    assert api(world.reviewer).get(f"/api/v1/target-adjustments/{adj_b.pk}/").status_code == 404


def test_progress_is_live_at_the_users_level(world, setup):
    ind, _a, _b = setup
    city_row = api(world.city_admin).get(f"/api/v1/target-progress/{ind.pk}/", {"year": 2025}).json()
    assert (city_row["code"], city_row["target"], city_row["actual"]) == ("phd_in", 30, 3)
    assert city_row["percent"] == 10 and city_row["rag"] == "red"
    assert len(city_row["series"]) == 12 and city_row["series"][-1] == 3
    zone_rows = api(world.admin).get("/api/v1/target-progress/", {"year": 2025}).json()["results"]
    assert [(r["target"], r["actual"]) for r in zone_rows] == [(20, 2)]
    # a record added now is counted at once: nothing is stored
    t = TalentFactory(zone=world.zone_a, name="新到博士", degree="博士")
    services.stay_record(talent=t, zone=world.zone_a, arrived_on=D(2025, 11, 1), by=None)
    assert api(world.admin).get(f"/api/v1/target-progress/{ind.pk}/", {"year": 2025}).json()["actual"] == 3


@pytest.mark.parametrize("persona", ["enterprise_user", "talent_user", "liaison", "bureau_user", "expert",
                                     "partner_user", "evaluator"])
def test_roles_outside_the_office_are_refused(world, setup, persona):
    client = api(getattr(world, persona))
    for url in ("/api/v1/target-indicators/", "/api/v1/targets/", "/api/v1/target-progress/",
                "/api/v1/target-adjustments/", "/api/v1/target-periods/"):
        assert client.get(url).status_code == 403, url


def test_finance_reads_but_may_not_write(world, setup):
    ind, adj_a, _b = setup
    assert api(world.finance).get("/api/v1/targets/").status_code == 200
    response = post(world.finance, "/api/v1/targets/", {"indicator": ind.pk, "year": 2025,
                                                         "zone": world.zone_a.pk, "value": 99})
    assert response.status_code == 403 and CHINESE.search(messages(response))
    assert post(world.finance, f"/api/v1/target-adjustments/{adj_a.pk}/move/", {"move": "approve"}).status_code == 403
    assert Target.objects.get(indicator=ind, zone=world.zone_a).value == 20


def test_a_target_is_set_and_changed_through_services(world, setup):
    ind, _a, _b = setup
    response = post(world.admin, "/api/v1/targets/", {"indicator": ind.pk, "year": 2026, "zone": world.zone_a.pk,
                                                       "value": 12})
    assert response.status_code == 201, response.content
    target = Target.objects.get(indicator=ind, year=2026, zone=world.zone_a)
    assert target.value == 12 and target.set_by == world.admin
    # the same level again updates the one target instead of refusing a duplicate
    again = post(world.admin, "/api/v1/targets/", {"indicator": ind.pk, "year": 2026, "zone": world.zone_a.pk,
                                                    "value": 14})
    assert again.status_code == 201 and again.json()["id"] == target.pk
    patched = api(world.admin).patch(f"/api/v1/targets/{target.pk}/", data=json.dumps({"value": 15}),
                                     content_type="application/json")
    assert patched.status_code == 200 and patched.json()["value"] == 15
    moved = api(world.admin).patch(f"/api/v1/targets/{target.pk}/", data=json.dumps({"year": 2027}),
                                   content_type="application/json")
    assert moved.status_code == 400 and "只能修改目标值" in messages(moved)


def test_zone_staff_may_not_set_the_citys_or_another_zones_target(world, setup):
    ind, _a, _b = setup
    city_level = post(world.admin, "/api/v1/targets/", {"indicator": ind.pk, "year": 2026, "value": 50})
    assert city_level.status_code == 400 and "只能设置本旗区的目标" in messages(city_level)
    other = post(world.admin, "/api/v1/targets/", {"indicator": ind.pk, "year": 2026, "zone": world.zone_b.pk,
                                                    "value": 5})
    assert other.status_code == 400 and "不在您的管辖范围内" in messages(other)
    assert not Target.objects.filter(year=2026).exists()


def test_a_locked_period_refuses_targets_and_adjustments(world, setup):
    ind, adj_a, _b = setup
    locked = post(world.city_admin, "/api/v1/target-periods/move/", {"year": 2025, "move": "lock"})
    assert locked.status_code == 200 and locked.json()["status"] == "locked"
    target = Target.objects.get(indicator=ind, year=2025, zone=world.zone_a)
    for response in (
        post(world.admin, "/api/v1/targets/", {"indicator": ind.pk, "year": 2025, "zone": world.zone_a.pk,
                                                "value": 25}),
        api(world.admin).patch(f"/api/v1/targets/{target.pk}/", data=json.dumps({"value": 25}),
                               content_type="application/json"),
        post(world.admin, "/api/v1/target-adjustments/", {"indicator": ind.pk, "year": 2025, "delta": 1,
                                                           "reason": "补录"}),
        post(world.reviewer, f"/api/v1/target-adjustments/{adj_a.pk}/move/", {"move": "approve"}),
    ):
        assert response.status_code == 400 and "2025年考核期已锁定" in messages(response)
    target.refresh_from_db()
    adj_a.refresh_from_db()
    assert target.value == 20 and adj_a.status == Adjustment.Status.PROPOSED
    reopen = post(world.city_admin, "/api/v1/target-periods/move/", {"year": 2025, "move": "reopen"})
    assert reopen.status_code == 400 and "必须填写原因" in messages(reopen)


def test_only_city_level_office_admins_lock_a_period(world, setup):
    zone_admin = post(world.admin, "/api/v1/target-periods/move/", {"year": 2025, "move": "lock"})
    assert zone_admin.status_code == 400 and "须由市级人才办工作人员" in messages(zone_admin)
    city_reviewer = UserFactory(username="reviewer_city", role=Role.REVIEWER, city=world.zone_a.city)
    by_reviewer = post(city_reviewer, "/api/v1/target-periods/move/", {"year": 2025, "move": "lock"})
    assert by_reviewer.status_code == 400 and "不能对考核期" in messages(by_reviewer)
    assert Period.objects.get(city=world.zone_a.city, year=2025).status == Period.Status.OPEN
    missing = post(world.city_admin, "/api/v1/target-periods/move/", {"move": "lock"})
    assert missing.status_code == 400 and "须填写年度" in messages(missing)


def test_an_adjustment_needs_a_reason_and_a_second_person(world, setup):
    ind, _a, _b = setup
    no_reason = post(world.admin, "/api/v1/target-adjustments/", {"indicator": ind.pk, "year": 2025, "delta": 2})
    assert no_reason.status_code == 400 and "必须填写原因" in messages(no_reason)
    made = post(world.admin, "/api/v1/target-adjustments/", {"indicator": ind.pk, "year": 2025, "delta": 2,
                                                              "reason": "两名博士的到岗材料补录"})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["zone"] == world.zone_a.pk and body["status"] == "proposed" and body["moves"] == []
    own = post(world.admin, f"/api/v1/target-adjustments/{body['id']}/move/", {"move": "approve"})
    assert own.status_code == 400 and "第二人" in messages(own)
    assert Adjustment.objects.get(pk=body["id"]).status == Adjustment.Status.PROPOSED
    listed = api(world.reviewer).get(f"/api/v1/target-adjustments/{body['id']}/").json()
    assert set(listed["moves"]) == {"approve", "reject"}
    reject = post(world.reviewer, f"/api/v1/target-adjustments/{body['id']}/move/", {"move": "reject"})
    assert reject.status_code == 400 and "必须填写原因" in messages(reject)
    approved = post(world.reviewer, f"/api/v1/target-adjustments/{body['id']}/move/", {"move": "approve"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["decided_by"] == world.reviewer.pk
    row = api(world.admin).get(f"/api/v1/target-progress/{ind.pk}/", {"year": 2025}).json()
    assert row["actual"] == 2 + 2  # two arrivals in zone A plus the approved adjustment (the other still proposed)


def test_zone_staff_may_not_adjust_another_zone(world, setup):
    ind, _a, _b = setup
    response = post(world.admin, "/api/v1/target-adjustments/", {"indicator": ind.pk, "year": 2025,
                                                                  "zone": world.zone_b.pk, "delta": 1,
                                                                  "reason": "外区"})
    assert response.status_code == 400 and "不在您的管辖范围内" in messages(response)


def test_invalid_input_is_refused_in_chinese(world, setup):
    ind, _a, _b = setup
    response = post(world.admin, "/api/v1/targets/", {"indicator": "x", "year": 1800, "value": "多"})
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"indicator", "year", "value"}
    assert all(CHINESE.search(m) for field in errors.values() for m in field)
    zero = post(world.admin, "/api/v1/target-adjustments/", {"indicator": ind.pk, "year": 2025, "delta": 0,
                                                              "reason": "补录"})
    assert zero.status_code == 400 and "调整数不能为 0" in messages(zero)
    unknown = post(world.city_admin, "/api/v1/target-periods/move/", {"year": timezone.localdate().year,
                                                                      "move": "destroy"})
    assert unknown.status_code == 400 and "没有“destroy”这一操作" in messages(unknown)
    plain = post(world.city_admin, "/api/v1/target-periods/", {"year": 2025})
    assert plain.status_code == 400 and CHINESE.search(messages(plain))
