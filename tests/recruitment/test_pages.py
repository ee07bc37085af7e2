"""The pages as staff use them: create a campaign, add events and posts, enter an intention, read the funnel."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from rencai.recruitment.models import Campaign, Intention
from tests.conftest import verified_client
from tests.recruitment.builders import capture, make_campaign, make_event, make_post

pytestmark = pytest.mark.django_db


def test_staff_create_a_campaign_with_an_event_and_a_post(world):
    client = verified_client(world.admin)
    response = client.post(reverse("recruitment:campaign_new"), {
        "name": "名校引才专项行动", "zone": world.zone_a.pk, "starts_on": "2026-03-01", "ends_on": "2026-08-31",
        "target_hires": 50, "reward_policy_code": "graduate_intro_reward"})
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and campaign.city == world.zone_a.city and campaign.created_by == world.admin
    client.post(reverse("recruitment:event_add", args=[campaign.pk]),
                {"held_on": "2026-03-15", "university": "清华大学", "city_name": "北京"})
    client.post(reverse("recruitment:post_add", args=[campaign.pk]),
                {"enterprise": world.enterprise.pk, "title": "磁材工程师", "headcount": 2})
    page = client.get(reverse("recruitment:campaign", args=[campaign.pk])).content.decode()
    assert "清华大学" in page and "磁材工程师" in page and "登记页" in page
    entry = client.post(reverse("recruitment:entry", args=[campaign.pk]), {
        "name": "陈思远", "phone": "13912345678", "post": campaign.posts.get().pk, "consent": "on",
        "event": campaign.events.get().pk})
    intention = Intention.objects.get()
    assert entry.status_code == 302 and intention.source == "staff" and intention.created_by == world.admin


def test_funnel_page_and_workbook(world):
    campaign = make_campaign(world)
    capture(make_post(world, campaign), make_event(world, campaign), name="陈思远")
    client = verified_client(world.admin)
    page = client.get(reverse("recruitment:funnel"), {"campaign": campaign.pk})
    assert page.status_code == 200 and 'id="total">1<' in page.content.decode()
    workbook = client.get(reverse("recruitment:funnel_xlsx"), {"campaign": campaign.pk})
    import io

    book = load_workbook(io.BytesIO(workbook.content))
    assert "漏斗" in book.sheetnames and "按高校" in book.sheetnames
    assert [c.value for c in book["漏斗"][2]] == ["已登记意向", 1]


def test_intention_page_shows_masked_data_and_moves(world):
    campaign = make_campaign(world)
    intention = capture(make_post(world, campaign), name="陈思远", phone="13912345678",
                        birth_date=date(1995, 1, 1))
    page = verified_client(world.enterprise_user).get(reverse("recruitment:intention", args=[intention.pk]))
    body = page.content.decode()
    assert "13912345678" not in body and "已联系" in body and "登记流失" in body
