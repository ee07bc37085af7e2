"""人才码: signed, short-lived, verifiable with the public key alone; redemption against a quota, once per code."""

from __future__ import annotations

import base64
import json
import time

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.exceptions import PermissionDenied
from django.test import Client

from rencai.core.models import AuditEvent
from rencai.onestop import cardtoken, services
from rencai.onestop.models import Redemption
from rencai.talents.models import Tier
from tests.onestop.builders import item, venue

pytestmark = pytest.mark.django_db


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@pytest.fixture
def card_world(world):  # type: ignore[no-untyped-def]
    city = world.zone_a.city
    world.talent.tier = Tier.B
    world.talent.save()
    health = item(city, "health", "健康体检", bureaus=[world.bureau], without_application=True, card_quota=2,
                  tiers=["A", "B"])
    lounge = item(city, "lounge", "机场贵宾通道", bureaus=[world.bureau], without_application=True, card_quota=5,
                  tiers=["A"])
    hospital = venue(city, "包头市中心医院", [health, lounge], [world.partner_user])
    card = services.card_issue(talent=world.talent, by=world.admin)
    return {"world": world, "health": health, "lounge": lounge, "venue": hospital, "card": card}


def test_verify_with_the_public_key_alone(card_world, django_assert_num_queries):  # type: ignore[no-untyped-def]
    token = services.card_token(card_world["card"])
    published = json.loads(Client().get("/services/card/public-key/").content)  # anonymous, as a partner's tool
    public_key = published["keys"][0]["public_key"]
    prefix, body, signature = token.split(".")
    with django_assert_num_queries(0):  # no database: only the published key and the code
        Ed25519PublicKey.from_public_bytes(_b64d(public_key)).verify(_b64d(signature), _b64d(body))
        claims = cardtoken.verify(token, public_key)
    assert prefix == "RC1"
    assert claims["n"] == "王**" and claims["t"] == "B" and claims["e"] == ["health"]  # masked; A-only lounge absent
    assert "王建国" not in token and card_world["world"].talent.name not in json.dumps(claims, ensure_ascii=False)


def test_a_tampered_code_is_refused(card_world):  # type: ignore[no-untyped-def]
    token = services.card_token(card_world["card"])
    prefix, body, signature = token.split(".")
    claims = json.loads(_b64d(body))
    claims["e"] = ["health", "lounge"]
    forged_body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    forged = f"{prefix}.{forged_body}.{signature}"
    with pytest.raises(cardtoken.CardRefused, match="签名"):
        services.card_verify(forged)
    public_key = services.signing_key().public_key
    with pytest.raises(InvalidSignature):
        Ed25519PublicKey.from_public_bytes(_b64d(public_key)).verify(_b64d(signature), _b64d(forged_body))
    with pytest.raises(cardtoken.CardRefused):
        services.card_verify(token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"))


def test_a_code_signed_by_another_key_is_refused(card_world):  # type: ignore[no-untyped-def]
    private, _public = cardtoken.new_key_pair()
    claims = {"kid": services.signing_key().kid, "cid": card_world["card"].number, "jti": "x", "n": "王**", "t": "A",
              "e": ["health"], "iat": int(time.time()), "exp": int(time.time()) + 300}
    with pytest.raises(cardtoken.CardRefused, match="签名"):
        services.card_verify(cardtoken.sign(claims, private))


def test_an_expired_code_is_refused(card_world):  # type: ignore[no-untyped-def]
    issued = time.time() - cardtoken.LIFETIME_SECONDS - 1
    token = services.card_token(card_world["card"], now=issued)
    with pytest.raises(cardtoken.CardRefused, match="过期"):
        services.card_verify(token)
    assert services.card_verify(token, now=issued + 10)["cid"] == card_world["card"].number


def test_a_suspended_card_is_refused(card_world):  # type: ignore[no-untyped-def]
    w = card_world["world"]
    token = services.card_token(card_world["card"])
    services.card_suspend(card=card_world["card"], by=w.admin, reason="人才已离开本市")
    with pytest.raises(cardtoken.CardRefused, match="暂停"):
        services.card_verify(token)


def test_redemption_past_the_quota_is_refused(card_world):  # type: ignore[no-untyped-def]
    w, health, place = card_world["world"], card_world["health"], card_world["venue"]
    for _ in range(2):
        services.redeem(token=services.card_token(card_world["card"]), item=health, venue=place, by=w.partner_user)
    assert services.quota_left(card_world["card"], health) == 0
    with pytest.raises(cardtoken.CardRefused, match="次数已用完"):
        services.redeem(token=services.card_token(card_world["card"]), item=health, venue=place, by=w.partner_user)
    assert Redemption.objects.count() == 2
    assert AuditEvent.objects.filter(object_type="onestop.redemption", action="create").count() == 2


def test_one_code_redeems_once_and_only_what_the_talent_has(card_world):  # type: ignore[no-untyped-def]
    w, place = card_world["world"], card_world["venue"]
    token = services.card_token(card_world["card"])
    services.redeem(token=token, item=card_world["health"], venue=place, by=w.partner_user)
    with pytest.raises(cardtoken.CardRefused, match="已核销过"):
        services.redeem(token=token, item=card_world["health"], venue=place, by=w.partner_user)
    with pytest.raises(cardtoken.CardRefused, match="不享有"):
        services.redeem(token=services.card_token(card_world["card"]), item=card_world["lounge"], venue=place,
                        by=w.partner_user)


def test_only_the_venues_own_staff_redeem(card_world):  # type: ignore[no-untyped-def]
    from tests.factories import UserFactory

    other = UserFactory(username="partner_other", role="partner")
    with pytest.raises(PermissionDenied):
        services.redeem(token=services.card_token(card_world["card"]), item=card_world["health"],
                        venue=card_world["venue"], by=other)


def test_the_api_verifies_a_code_for_a_partner(card_world):  # type: ignore[no-untyped-def]
    from rest_framework.authtoken.models import Token

    w = card_world["world"]
    client = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=w.partner_user)[0].key}")
    good = client.post("/api/v1/onestop/cards/verify/", {"token": services.card_token(card_world["card"])},
                       content_type="application/json")
    assert good.status_code == 200 and good.json()["claims"]["n"] == "王**"
    bad = client.post("/api/v1/onestop/cards/verify/", {"token": "RC1.e30.AAAA"}, content_type="application/json")
    assert bad.status_code == 400 and not bad.json()["valid"]
    talent_client = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=w.talent_user)[0].key}")
    assert talent_client.post("/api/v1/onestop/cards/verify/", {"token": "x"},
                              content_type="application/json").status_code == 400
    evaluator = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=w.evaluator)[0].key}")
    assert evaluator.post("/api/v1/onestop/cards/verify/", {"token": "x"},
                          content_type="application/json").status_code == 403
