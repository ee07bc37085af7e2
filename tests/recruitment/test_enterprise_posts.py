"""An enterprise user adds posts to a campaign for its own enterprise, from needs the office has published."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from rencai.core.models import AuditEvent
from rencai.needs.models import Kind, Need, Status
from rencai.needs.services import need_create, need_transition
from rencai.recruitment.models import Post
from tests.conftest import verified_client
from tests.recruitment.builders import make_campaign
from tests.recruitment.formdata import form_data

pytestmark = pytest.mark.django_db


def _need(world, title, *, kind=Kind.TALENT, enterprise=None, by=None, publish=True):
    need = Need(enterprise=enterprise or world.enterprise, title=title, kind=kind, description="招聘",
                discipline_code="0805", field_text="新材料", headcount=3)
    need = need_create(need=need, by=by or world.enterprise_user)
    if publish and need.status == Status.PENDING:
        need = need_transition(need=need, by=world.admin, move="publish")
    return need


@pytest.fixture
def running(world):
    return make_campaign(world, starts_on=date(2026, 1, 1), ends_on=date(2099, 12, 31))


def test_enterprise_user_adds_a_post_from_its_published_need(world, running):
    need = _need(world, "稀土永磁研发工程师")
    client = verified_client(world.enterprise_user)
    listing = client.get(reverse("recruitment:enterprise_campaigns")).content.decode()
    assert running.name in listing
    url = reverse("recruitment:enterprise_post_add", args=[running.pk])
    assert "稀土永磁研发工程师" in client.get(url).content.decode()
    response = client.post(url, {"need": need.pk, "headcount": 2})
    assert response.status_code == 302
    post = Post.objects.get()
    assert (post.enterprise, post.need, post.title, post.headcount) == (world.enterprise, need, need.title, 2)
    # now it is a participating enterprise: the campaign page and the public form show the post
    assert "稀土永磁研发工程师" in client.get(reverse("recruitment:campaign", args=[running.pk])).content.decode()


def test_a_need_still_waiting_for_review_cannot_become_a_post(world, running):
    pending = _need(world, "待审核岗位需求", publish=False)
    assert pending.status == Status.PENDING
    client = verified_client(world.enterprise_user)
    url = reverse("recruitment:enterprise_post_add", args=[running.pk])
    assert "待审核岗位需求" not in client.get(url).content.decode()
    assert client.post(url, {"need": pending.pk}).status_code == 200
    assert not Post.objects.exists()
    from django.core.exceptions import ValidationError

    from rencai.recruitment import services

    with pytest.raises(ValidationError, match="须经人才办审核发布"):
        services.post_add(campaign=running, by=world.enterprise_user, need=pending)


def test_enterprise_cannot_add_another_enterprises_need_or_type_a_post(world, running):
    other = _need(world, "乳品研发岗位需求", enterprise=world.enterprise_b, by=world.enterprise_b_user)
    client = verified_client(world.enterprise_user)
    assert client.post(reverse("recruitment:enterprise_post_add", args=[running.pk]),
                       {"need": other.pk}).status_code == 200
    assert client.post(reverse("recruitment:post_add", args=[running.pk]),
                       {"enterprise": world.enterprise.pk, "title": "自填岗位"}).status_code == 403
    assert not Post.objects.exists()


def test_a_campaign_of_another_zone_or_over_is_not_open(world):
    need = _need(world, "稀土永磁研发工程师")
    elsewhere = make_campaign(world, name="昆区引才活动", zone=world.zone_b, ends_on=date(2099, 1, 1))
    over = make_campaign(world, name="去年的活动", starts_on=date(2020, 1, 1), ends_on=date(2020, 6, 30))
    client = verified_client(world.enterprise_user)
    listing = client.get(reverse("recruitment:enterprise_campaigns")).content.decode()
    assert "昆区引才活动" not in listing and "去年的活动" not in listing
    for campaign in (elsewhere, over):
        assert client.post(reverse("recruitment:enterprise_post_add", args=[campaign.pk]),
                           {"need": need.pk}).status_code == 404
    assert not Post.objects.exists()


def test_the_same_need_is_one_post_per_campaign(world, running):
    need = _need(world, "稀土永磁研发工程师")
    client = verified_client(world.enterprise_user)
    url = reverse("recruitment:enterprise_post_add", args=[running.pk])
    client.post(url, {"need": need.pk})
    assert client.post(url, {"need": need.pk}).status_code == 200
    assert Post.objects.count() == 1


def test_enterprise_edits_its_own_post_and_saving_unchanged_changes_nothing(world, running):
    need = _need(world, "稀土永磁研发工程师")
    client = verified_client(world.enterprise_user)
    client.post(reverse("recruitment:enterprise_post_add", args=[running.pk]), {"need": need.pk})
    post = Post.objects.get()
    url = reverse("recruitment:post_edit", args=[post.pk])
    before, audits = Post.objects.filter(pk=post.pk).values().get(), AuditEvent.objects.count()
    assert client.post(url, form_data(client.get(url).content.decode())).status_code == 302
    assert Post.objects.filter(pk=post.pk).values().get() == before and AuditEvent.objects.count() == audits
    client.post(url, form_data(client.get(url).content.decode()) | {"headcount": ["5"]})
    post.refresh_from_db()
    assert post.headcount == 5
    assert verified_client(world.enterprise_b_user).get(url).status_code == 404


def test_campaign_form_saved_unchanged_changes_nothing(world):
    campaign = make_campaign(world, stages=["captured", "contacted", "signed", "arrived", "insured"])
    client = verified_client(world.admin)
    url = reverse("recruitment:campaign_edit", args=[campaign.pk])
    before = type(campaign).objects.filter(pk=campaign.pk).values().get()
    audits = AuditEvent.objects.count()
    assert client.post(url, form_data(client.get(url).content.decode())).status_code == 302
    assert type(campaign).objects.filter(pk=campaign.pk).values().get() == before
    assert AuditEvent.objects.count() == audits
