"""Probing is visible to the office: out-of-scope lookups and CSRF failures leave allowed=false audit rows.

Found by an outside test: 0 of 749 refusals by 404 (another zone's talent by API, a reveal of another
zone's record) and 0 of 6 CSRF refusals were in the audit log; only role refusals were.
"""

from __future__ import annotations

from django.test import Client
from rest_framework.authtoken.models import Token

from rencai.core.models import AuditEvent
from tests.conftest import verified_client


def _refusals(**filters):
    return AuditEvent.objects.filter(allowed=False, action="denied", **filters)


def test_another_zones_talent_by_api_is_refused_and_audited(world):
    key = Token.objects.get_or_create(user=world.reviewer)[0].key
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get(f"/api/v1/talents/{world.talent_b.pk}/")
    assert response.status_code == 404
    row = _refusals(user=world.reviewer).get()
    assert row.object_type == "talents.talent" and row.object_id == str(world.talent_b.pk)
    assert row.path == f"/api/v1/talents/{world.talent_b.pk}/"


def test_another_zones_talent_page_is_refused_and_audited(world):
    response = verified_client(world.reviewer).get(f"/talents/{world.talent_b.pk}/", REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 404
    row = _refusals(user=world.reviewer).get()  # once, whether the scoped fetch or the catch-all wrote it
    assert row.path == f"/talents/{world.talent_b.pk}/" and row.ip == "198.51.100.9"


def test_reveal_of_another_zones_record_is_refused_and_audited(world):
    url = f"/reveal/talents.talent/{world.talent_b.pk}/id_number/"
    response = verified_client(world.admin).post(url, {"reason": "核对身份"})
    assert response.status_code == 404
    row = _refusals(user=world.admin).get()
    assert row.path == url
    assert world.talent_b.id_number not in str(row.detail)


def test_a_page_post_without_csrf_token_is_refused_and_audited(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.talent_user)
    response = client.post("/logout/")
    assert response.status_code == 403
    assert "安全校验" in response.content.decode()
    row = _refusals(user=world.talent_user).get()
    assert row.path == "/logout/" and "CSRF" in row.detail["reason"]


def test_an_api_post_with_session_but_without_csrf_token_is_refused_and_audited(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.enterprise_user)
    response = client.post("/api/v1/needs/", data={}, content_type="application/json")
    assert response.status_code == 403
    row = _refusals(user=world.enterprise_user).get()
    assert "CSRF" in row.detail["reason"]


def test_a_refusal_is_audited_once_even_when_the_view_audits_it_itself(world):
    key = Token.objects.get_or_create(user=world.enterprise_user)[0].key
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    client.get(f"/api/v1/enterprises/{world.enterprise_b.pk}/")
    assert _refusals(user=world.enterprise_user).count() == 1
