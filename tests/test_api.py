"""The HTTP API as a program uses it: token authentication, the schema, validation in Chinese, masked output."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from rencai.core.crypto import lookup_hash
from rencai.core.models import AuditEvent, User
from rencai.talents.models import Talent
from tests.factories import make_id_number

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def api_client(user: User) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")


def post_json(client: Client, url: str, data: dict) -> object:  # type: ignore[type-arg]
    return client.post(url, data=json.dumps(data), content_type="application/json")


def wrong_check_char(id_number: str) -> str:
    last = "0" if id_number[-1] != "0" else "1"
    return id_number[:17] + last


# --- schema and authentication --------------------------------------------------------------------------------


def test_schema_is_served_and_lists_the_registers(db):
    response = Client().get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = json.loads(response.content)["paths"]
    for register in ("talents", "enterprises", "institutions"):
        assert f"/api/v1/{register}/" in paths
        assert f"/api/v1/{register}/{{id}}/" in paths


def test_schema_describes_token_authentication(db):
    schema = json.loads(Client().get("/api/v1/schema/", {"format": "json"}).content)
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("type") == "apiKey" and s.get("name") == "Authorization" for s in schemes.values())


def test_unknown_token_is_refused(world):
    response = Client(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000").get("/api/v1/talents/")
    assert response.status_code == 401


def test_no_token_is_refused(world):
    assert Client().get("/api/v1/talents/").status_code == 401


# --- creating a talent ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [
    "wrong check character",
    "15020319880512",  # what Excel leaves of an ID number stored as a number
    "1502031988051212AB",
])
def test_invalid_id_number_is_refused_with_a_chinese_message(world, bad):
    id_number = wrong_check_char(make_id_number(seq=321)) if bad == "wrong check character" else bad
    response = post_json(api_client(world.reviewer), "/api/v1/talents/",
                         {"name": "张三", "zone": world.zone_a.pk, "id_number": id_number})
    assert response.status_code == 400
    message = response.json()["id_number"][0]
    assert CHINESE.search(message), message
    assert not Talent.objects.filter(name="张三").exists()


def test_invalid_phone_is_refused_with_a_chinese_message(world):
    response = post_json(api_client(world.reviewer), "/api/v1/talents/",
                         {"name": "张三", "zone": world.zone_a.pk, "phone": "1381234"})
    assert response.status_code == 400
    assert CHINESE.search(response.json()["phone"][0])


@pytest.mark.parametrize(("facts", "tier", "rule"), [
    ({"title": "教授", "degree": "博士"}, "C", "正高级职称博士"),
    ({"achievements": "中国工程院院士，稀土永磁材料"}, "A", "两院院士等顶尖人才"),
    ({"degree": "硕士"}, "E", "博士、硕士"),
])
def test_reviewer_creates_a_talent_and_the_rules_give_the_tier(world, facts, tier, rule):
    id_number = make_id_number(seq=654)
    response = post_json(api_client(world.reviewer), "/api/v1/talents/",
                         {"name": "孙立新", "zone": world.zone_a.pk, "id_number": id_number,
                          "phone": "13987654321", **facts})
    assert response.status_code == 201, response.content.decode()
    body = response.content.decode()
    assert id_number not in body and "13987654321" not in body
    data = response.json()
    assert data["tier"] == tier
    assert data["id_number_masked"] == f"{id_number[:6]}********{id_number[-4:]}"
    talent = Talent.objects.get(pk=data["id"])
    assert talent.id_number == id_number and talent.tier == tier and talent.tier_rule.name == rule
    assert not talent.tier_manual
    assert AuditEvent.objects.filter(action="create", user=world.reviewer, object_id=str(talent.pk)).exists()


def test_created_talent_is_found_by_the_keyed_hash(world):
    id_number = make_id_number(seq=987)
    post_json(api_client(world.admin), "/api/v1/talents/",
              {"name": "周敏", "zone": world.zone_a.pk, "id_number": id_number})
    assert Talent.objects.get(id_number_hash=lookup_hash(id_number)).name == "周敏"


def test_reviewer_cannot_create_a_talent_in_another_zone(world):
    response = post_json(api_client(world.reviewer), "/api/v1/talents/", {"name": "钱七", "zone": world.zone_b.pk})
    assert response.status_code == 400
    assert CHINESE.search(response.json()["zone"][0])


def test_responses_never_contain_full_id_numbers(world):
    client = api_client(world.city_admin)
    for url in ("/api/v1/talents/", f"/api/v1/talents/{world.talent.pk}/", f"/api/v1/talents/{world.talent_b.pk}/"):
        body = client.get(url).content.decode()
        for talent in (world.talent, world.talent_b):
            assert talent.id_number not in body
        assert world.talent.phone not in body
    listed = client.get("/api/v1/talents/").json()["results"]
    assert all("id_number" not in item and "phone" not in item for item in listed)


def test_patch_updates_without_echoing_the_new_id_number(world):
    new_id = make_id_number(seq=111)
    response = api_client(world.admin).patch(f"/api/v1/talents/{world.talent.pk}/",
                                             data=json.dumps({"id_number": new_id}), content_type="application/json")
    assert response.status_code == 200
    assert new_id not in response.content.decode()
    world.talent.refresh_from_db()
    assert world.talent.id_number == new_id


def test_enterprise_credit_code_is_checked_in_chinese(world):
    response = post_json(api_client(world.admin), "/api/v1/enterprises/",
                         {"name": "测试企业", "zone": world.zone_a.pk, "credit_code": "91150200ABCDEFGHI1"})
    assert response.status_code == 400
    assert CHINESE.search(response.json()["credit_code"][0])
