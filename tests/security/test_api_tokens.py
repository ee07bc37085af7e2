"""API tokens expire, can be revoked, may be read-only, and the 接口令牌 page shows when each was last used.

Found by an outside test: API tokens never expired (and skip the second factor, so a leaked one worked for
ever); there was no way to see whether a token was in use, nor to revoke one without making another.
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from rencai.core.models import AuditEvent, TokenUse
from tests.conftest import verified_client


def _new_token(client: Client, **fields: str) -> str:
    response = client.post("/account/token/", {"action": "create", "days": "30", **fields})
    assert response.status_code == 200
    return re.search(r"<code>([0-9a-f]{40})</code>", response.content.decode())[1]


def _api(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {key}", REMOTE_ADDR="192.0.2.44")


def test_a_new_token_works_until_its_expiry_and_is_refused_after(world):
    key = _new_token(verified_client(world.admin))
    use = TokenUse.objects.get(token__key=key)
    assert timedelta(days=29) < use.expires_at - timezone.now() <= timedelta(days=30)
    assert _api(key).get("/api/v1/talents/").status_code == 200
    use.expires_at = timezone.now() - timedelta(seconds=1)
    use.save()
    response = _api(key).get("/api/v1/talents/")
    assert response.status_code == 401
    assert "过期" in response.json()["detail"]
    assert AuditEvent.objects.filter(action="denied", allowed=False, ip="192.0.2.44").exists()


def test_a_token_made_elsewhere_expires_after_the_default_life(world, settings):
    token = Token.objects.create(user=world.reviewer)
    long_ago = timezone.now() - timedelta(days=settings.RENCAI_API_TOKEN_DAYS + 1)
    Token.objects.filter(pk=token.pk).update(created=long_ago)
    assert _api(token.key).get("/api/v1/talents/").status_code == 401


def test_revoking_a_token_on_the_page_stops_it(world):
    client = verified_client(world.finance)
    key = _new_token(client)
    assert _api(key).get("/api/v1/talents/").status_code == 200
    page = client.post("/account/token/", {"action": "revoke"}).content.decode()
    assert "已作废" in page
    assert _api(key).get("/api/v1/talents/").status_code == 401
    assert AuditEvent.objects.filter(action="delete", object_type="authtoken.token", user=world.finance).exists()


def test_the_page_shows_expiry_and_last_use(world):
    client = verified_client(world.admin)
    key = _new_token(client)
    page = client.get("/account/token/").content.decode()
    assert "有效期至" in page and "尚未使用" in page
    _api(key).get("/api/v1/talents/")
    page = client.get("/account/token/").content.decode()
    assert "192.0.2.44" in page and "尚未使用" not in page
    assert key not in page  # the key is shown once, when made


def test_a_read_only_token_may_read_but_not_write(world):
    key = _new_token(verified_client(world.admin), read_only="on")
    assert _api(key).get("/api/v1/talents/").status_code == 200
    response = _api(key).post("/api/v1/talents/", data={"name": "新人", "zone": world.zone_a.pk},
                              content_type="application/json")
    assert response.status_code == 403 and "只读" in response.json()["detail"]
