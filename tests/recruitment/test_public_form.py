"""The candidate's QR form: no log-in, clear Chinese refusals, nothing stored without consent, throttled."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from rencai.core.models import AuditEvent
from rencai.recruitment.models import Candidate, Intention, Source
from tests.factories import make_id_number
from tests.recruitment.builders import make_campaign, make_event, make_post

pytestmark = pytest.mark.django_db

GOOD_ID = make_id_number(birth=date(1996, 2, 3), seq=55)


@pytest.fixture
def setting(world):
    cache.clear()
    campaign = make_campaign(world)
    return make_event(world, campaign), make_post(world, campaign)


def _submit(event, post, **fields):
    data = {"name": "陈思远", "phone": "13912345678", "id_number": "", "degree": "博士", "university": "清华大学",
            "major": "材料", "post": post.pk, "consent": "on"} | fields
    return Client().post(reverse("recruitment:join", args=[event.public_token]), {k: v for k, v in data.items()
                                                                                  if v is not None})


def test_the_form_opens_without_log_in(setting):
    event, post = setting
    page = Client().get(reverse("recruitment:join", args=[event.public_token]))
    assert page.status_code == 200
    assert "求职意向登记" in page.content.decode() and post.title in page.content.decode()
    assert Client().get(reverse("recruitment:join", args=["not-a-token"])).status_code == 404


def test_a_good_submission_is_stored_with_its_source(setting):
    event, post = setting
    response = _submit(event, post, id_number=GOOD_ID)
    assert response.status_code == 200 and "登记成功" in response.content.decode()
    intention = Intention.objects.get()
    assert intention.source == Source.QR and intention.event == event and intention.created_by is None
    assert intention.candidate.id_number == GOOD_ID and intention.candidate.consent_at is not None
    assert intention.candidate.birth_date == date(1996, 2, 3)


def test_without_consent_nothing_is_stored(setting):
    event, post = setting
    before = AuditEvent.objects.count()
    response = _submit(event, post, consent=None)
    body = response.content.decode()
    assert "须同意个人信息处理规则" in body
    assert not Candidate.objects.exists() and not Intention.objects.exists()
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(("fields", "message"), [
    ({"id_number": GOOD_ID[:-1] + ("0" if GOOD_ID[-1] != "0" else "1")}, "校验"),
    ({"phone": "12345"}, "手机号"),
    ({"phone": "23912345678"}, "手机号"),
])
def test_bad_id_or_phone_is_refused_with_a_clear_message(setting, fields, message):
    event, post = setting
    response = _submit(event, post, **fields)
    body = response.content.decode()
    assert response.status_code == 200 and message in body and 'role="alert"' in body
    assert not Candidate.objects.exists()


def test_submissions_are_throttled(setting, settings):
    from rencai.recruitment.views import public

    event, post = setting
    for n in range(public.LIMIT):
        assert _submit(event, post, name=f"候选人{n}", phone=f"139000000{n:02d}").status_code == 200
    response = _submit(event, post, name="多一个", phone="13800000000")
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert not Candidate.objects.filter(name="多一个").exists()
