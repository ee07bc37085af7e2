"""Who sees what: an enterprise user only intentions for its own posts; office staff by zone."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rencai.recruitment.models import Candidate, Intention
from tests.conftest import verified_client
from tests.recruitment.builders import capture, make_campaign, make_event, make_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(world):
    campaign = make_campaign(world, zone=None, city=world.zone_a.city)
    event = make_event(world, campaign)
    mine = capture(make_post(world, campaign, world.enterprise, "磁材工程师"), event, name="甲", phone="13900000001")
    theirs = capture(make_post(world, campaign, world.enterprise_b, "乳品研发员"), event, name="乙",
                     phone="13900000002")
    return mine, theirs


def test_enterprise_user_sees_only_intentions_for_its_own_posts(world, two):
    mine, theirs = two
    assert list(Intention.objects.visible_to(world.enterprise_user)) == [mine]
    assert list(Intention.objects.visible_to(world.enterprise_b_user)) == [theirs]
    assert list(Candidate.objects.visible_to(world.enterprise_user)) == [mine.candidate]
    client = verified_client(world.enterprise_user)
    assert client.get(reverse("recruitment:intention", args=[mine.pk])).status_code == 200
    assert client.get(reverse("recruitment:intention", args=[theirs.pk])).status_code == 404
    page = client.get(reverse("recruitment:pipeline")).content.decode()
    assert "磁材工程师" in page and "乳品研发员" not in page
    from django.test import Client
    from rest_framework.authtoken.models import Token

    token = Token.objects.get_or_create(user=world.enterprise_user)[0].key
    api_client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    api = api_client.get("/api/v1/recruitment/intentions/").json()
    rows = api["results"] if isinstance(api, dict) else api
    assert [r["id"] for r in rows] == [mine.pk] and rows[0]["phone_masked"] != "13900000001"
    funnel = client.get(reverse("recruitment:funnel_json")).json()
    assert funnel["total"] == 1
    campaign = mine.post.campaign_id
    assert api_client.get(f"/api/v1/recruitment/campaigns/{campaign}/funnel/").json()["total"] == 1


def test_office_staff_see_their_zone_and_city_staff_all(world, two):
    mine, theirs = two
    assert set(Intention.objects.visible_to(world.admin)) == {mine}
    assert set(Intention.objects.visible_to(world.city_admin)) == {mine, theirs}
    assert not Intention.objects.visible_to(world.talent_user).exists()


def test_enterprise_user_moves_its_own_and_not_anothers(world, two):
    mine, theirs = two
    client = verified_client(world.enterprise_user)
    client.post(reverse("recruitment:move", args=[mine.pk]), {"move": "contact"})
    assert client.post(reverse("recruitment:move", args=[theirs.pk]), {"move": "contact"}).status_code == 404
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.stage == "contacted" and theirs.stage == "captured"


def test_contract_download_checks_scope(world, two):
    from rencai.recruitment import services
    from tests.recruitment.builders import contract_file

    mine, _ = two
    services.contract_upload(intention=mine, file=contract_file(), by=world.enterprise_user)
    own = verified_client(world.enterprise_user).get(reverse("recruitment:contract", args=[mine.pk]))
    assert own.status_code == 200 and b"".join(own.streaming_content).startswith(b"%PDF")
    other = verified_client(world.enterprise_b_user).get(reverse("recruitment:contract", args=[mine.pk]))
    assert other.status_code == 404
