"""Personal data: masked on the page, revealed one value at a time with a reason, encrypted in the database."""

from __future__ import annotations

import pytest
from django.db import connection

from rencai.core.crypto import decrypt
from rencai.core.models import AuditEvent
from rencai.orgs.models import EnterpriseContact
from tests.conftest import verified_client
from tests.factories import make_id_number


def masked_id(value: str) -> str:
    return f"{value[:6]}{'*' * 8}{value[-4:]}"


def masked_phone(value: str) -> str:
    return f"{value[:3]}****{value[-4:]}"


def reveal_url(obj, field: str, model: str = "talents.talent") -> str:  # type: ignore[no-untyped-def]
    return f"/reveal/{model}/{obj.pk}/{field}/"


# --- masked by default ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "reviewer", "finance", "liaison", "talent_user"])
def test_talent_page_shows_id_number_and_phone_masked(world, who):
    page = verified_client(getattr(world, who)).get(f"/talents/{world.talent.pk}/").content.decode()
    assert masked_id(world.talent.id_number) in page
    assert masked_phone(world.talent.phone) in page
    assert world.talent.id_number not in page
    assert world.talent.phone not in page


def test_the_expected_masks_look_as_offices_print_them(world):
    assert masked_id(world.talent.id_number).startswith("150203********")
    assert masked_phone(world.talent.phone) == "138****5678"


def test_reveal_button_is_offered_only_to_who_may_reveal(world):
    form = f'hx-post="{reveal_url(world.talent, "id_number")}"'
    assert form in verified_client(world.admin).get(f"/talents/{world.talent.pk}/").content.decode()
    assert form in verified_client(world.talent_user).get(f"/talents/{world.talent.pk}/").content.decode()
    assert form not in verified_client(world.reviewer).get(f"/talents/{world.talent.pk}/").content.decode()


# --- reveal with a reason --------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["id_number", "phone"])
def test_office_admin_reveals_a_value_with_a_reason_and_it_is_audited(world, field):
    response = verified_client(world.admin).post(reveal_url(world.talent, field), {"reason": "核对落户补贴材料"})
    assert response.status_code == 200
    assert getattr(world.talent, field) in response.content.decode()
    event = AuditEvent.objects.get(action="reveal", user=world.admin)
    assert event.allowed
    assert event.object_type == "talents.talent" and event.object_id == str(world.talent.pk)
    assert event.detail == {"field": field, "reason": "核对落户补贴材料"}


@pytest.mark.parametrize("reason", [None, "", "x"])
def test_reveal_without_a_reason_shows_nothing(world, reason):
    data = {} if reason is None else {"reason": reason}
    response = verified_client(world.admin).post(reveal_url(world.talent, "id_number"), data)
    page = response.content.decode()
    assert world.talent.id_number not in page
    assert "请填写查看原因" in page
    assert not AuditEvent.objects.filter(action="reveal").exists()


@pytest.mark.parametrize("who", ["reviewer", "finance", "liaison"])
def test_roles_that_may_only_see_masked_values_are_refused_and_audited(world, who):
    user = getattr(world, who)
    response = verified_client(user).post(reveal_url(world.talent, "id_number"), {"reason": "想看看"})
    assert response.status_code == 403
    assert world.talent.id_number not in response.content.decode()
    assert not AuditEvent.objects.filter(action="reveal").exists()
    denied = AuditEvent.objects.get(action="denied", user=user)
    assert not denied.allowed
    assert denied.object_id == str(world.talent.pk) and denied.detail["field"] == "id_number"


def test_talent_reveals_own_profile_values(world):
    client = verified_client(world.talent_user)
    for field in ("id_number", "phone"):
        response = client.post(reveal_url(world.talent, field), {"reason": "核对本人信息"})
        assert response.status_code == 200
        assert getattr(world.talent, field) in response.content.decode()
    assert AuditEvent.objects.filter(action="reveal", user=world.talent_user).count() == 2


def test_city_level_admin_reveals_in_every_zone(world):
    response = verified_client(world.city_admin).post(reveal_url(world.talent_b, "id_number"), {"reason": "市级核查"})
    assert world.talent_b.id_number in response.content.decode()


@pytest.mark.parametrize(("who", "whose"), [
    ("admin", "talent_b"),  # another zone
    ("reviewer", "talent_b"),
    ("talent_user", "colleague"),  # someone else's profile
    ("liaison", "talent_b"),  # another institution's doctor
    ("enterprise_user", "talent"),  # enterprises see no talent records at all
])
def test_nobody_reveals_outside_their_scope(world, who, whose):
    talent = getattr(world, whose)
    if not talent.id_number:
        talent.id_number = make_id_number(seq=789)
        talent.save()
    response = verified_client(getattr(world, who)).post(reveal_url(talent, "id_number"), {"reason": "越权尝试"})
    assert response.status_code == 404
    assert talent.id_number not in response.content.decode()
    assert not AuditEvent.objects.filter(action="reveal").exists()


@pytest.mark.parametrize("target", [
    "talents.talent/{pk}/name",  # not a sensitive field
    "core.user/{admin}/password",  # a model without sensitive fields
    "nosuch.model/1/id_number",
])
def test_reveal_only_knows_declared_sensitive_fields(world, target):
    url = "/reveal/" + target.format(pk=world.talent.pk, admin=world.admin.pk) + "/"
    assert verified_client(world.admin).post(url, {"reason": "测试"}).status_code == 404


def test_office_admin_reveals_an_enterprise_contacts_phone(world):
    contact = EnterpriseContact.objects.create(enterprise=world.enterprise, name="张经理", phone="13900001111")
    client = verified_client(world.admin)
    page = client.get(f"/orgs/enterprises/{world.enterprise.pk}/").content.decode()
    assert masked_phone("13900001111") in page and "13900001111" not in page
    response = client.post(reveal_url(contact, "phone", model="orgs.enterprisecontact"), {"reason": "联系企业"})
    assert response.status_code == 200
    assert "13900001111" in response.content.decode()
    other = EnterpriseContact.objects.create(enterprise=world.enterprise_b, name="刘经理", phone="13900002222")
    outside = client.post(reveal_url(other, "phone", model="orgs.enterprisecontact"), {"reason": "联系企业"})
    assert outside.status_code == 404


# --- at rest ---------------------------------------------------------------------------------------------------


def test_database_holds_ciphertext_not_the_id_number(world):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone, id_number_hash FROM talents_talent WHERE id = %s", [world.talent.pk])
        stored_id, stored_phone, stored_hash = cursor.fetchone()
    clear_id, clear_phone = world.talent.id_number, world.talent.phone
    for stored, clear in ((stored_id, clear_id), (stored_phone, clear_phone)):
        assert clear not in stored and clear[-8:] not in stored
        assert decrypt(stored) == clear
    assert clear_id not in stored_hash and len(stored_hash) == 64


@pytest.mark.parametrize("query", ["id_number", "phone"])
def test_exact_id_number_or_phone_finds_the_talent_through_the_keyed_hash(world, query):
    page = verified_client(world.admin).get("/talents/", {"q": getattr(world.talent, query)}).content.decode()
    assert world.talent.name in page
    assert world.colleague.name not in page


def test_id_number_search_stays_within_scope(world):
    page = verified_client(world.reviewer).get("/talents/", {"q": world.talent_b.id_number}).content.decode()
    assert world.talent_b.name not in page
    city = verified_client(world.city_admin).get("/talents/", {"q": world.talent_b.id_number}).content.decode()
    assert world.talent_b.name in city
