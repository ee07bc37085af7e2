"""The booth on a phone: booth staff find and record candidates for that event only; the printed QR code."""

from __future__ import annotations

import io

import pytest
import qrcode
from django.urls import reverse
from PIL import Image

from rencai.core.models import AuditEvent, Notice
from rencai.recruitment.models import Event, Intention, Source
from tests.conftest import verified_client
from tests.factories import UserFactory
from tests.recruitment.builders import capture, make_campaign, make_event, make_post
from tests.recruitment.formdata import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def fair(world):
    """A city-wide campaign, two events; enterprise A's recruiter staffs the Tsinghua booth."""
    campaign = make_campaign(world, zone=None, city=world.zone_a.city)
    tsinghua, ustb = make_event(world, campaign, "清华大学"), make_event(world, campaign, "北京科技大学")
    mine = make_post(world, campaign, world.enterprise, "磁材工程师")
    theirs = make_post(world, campaign, world.enterprise_b, "乳品研发员")
    capture(mine, tsinghua, name="陈思远", phone="13912345678")
    capture(theirs, tsinghua, name="陈思琪", phone="13912345679")
    capture(mine, ustb, name="陈思远", phone="13912345678")
    capture(mine, ustb, name="赵晓东", phone="13700000001")
    return campaign, tsinghua, ustb, mine, theirs


def _assign(world, event, *users):
    client = verified_client(world.admin)
    url = reverse("recruitment:event_edit", args=[event.pk])
    data = form_data(client.get(url).content.decode()) | {"booth_staff": [str(u.pk) for u in users]}
    assert client.post(url, data).status_code == 302


def test_office_assigns_booth_staff_and_they_are_told(world, fair):
    _, tsinghua, *_ = fair
    _assign(world, tsinghua, world.enterprise_user)
    assert list(tsinghua.booth_staff.all()) == [world.enterprise_user]
    notice = Notice.objects.get(recipient=world.enterprise_user, kind="recruitment", text__contains="展位工作人员")
    assert reverse("recruitment:booth", args=[tsinghua.pk]) in notice.url


def test_booth_staff_find_only_their_events_candidates_for_their_posts(world, fair):
    _, tsinghua, ustb, *_ = fair
    _assign(world, tsinghua, world.enterprise_user)
    client = verified_client(world.enterprise_user)
    page = client.get(reverse("recruitment:booth", args=[tsinghua.pk]), {"q": "陈思"})
    body = page.content.decode()
    assert page.status_code == 200 and 'name="viewport"' in body
    assert "陈思远" in body and "陈思琪" not in body  # another enterprise's candidate at the same booth
    assert "13912345678" not in body and "139****5678" in body
    by_phone = client.get(reverse("recruitment:booth", args=[tsinghua.pk]), {"q": "139 1234 5678"}).content.decode()
    assert "陈思远" in by_phone
    # the other event: not their booth
    assert client.get(reverse("recruitment:booth", args=[ustb.pk])).status_code == 404
    assert "赵晓东" not in client.get(reverse("recruitment:booth", args=[tsinghua.pk]), {"q": "赵"}).content.decode()
    booths = client.get(reverse("recruitment:booths")).content.decode()
    assert reverse("recruitment:booth", args=[tsinghua.pk]) in booths


def test_an_enterprise_user_who_is_not_booth_staff_gets_404(world, fair):
    _, tsinghua, *_ = fair
    client = verified_client(world.enterprise_user)
    assert client.get(reverse("recruitment:booth", args=[tsinghua.pk])).status_code == 404


def test_booth_staff_record_a_candidate_for_their_own_post_at_that_event(world, fair):
    _, tsinghua, _, mine, theirs = fair
    _assign(world, tsinghua, world.enterprise_user)
    client = verified_client(world.enterprise_user)
    url = reverse("recruitment:booth", args=[tsinghua.pk])
    page = client.get(url).content.decode()
    assert "磁材工程师" in page and "乳品研发员" not in page
    refused = client.post(url, {"name": "钱多多", "phone": "13600000002", "post": theirs.pk, "consent": "on"})
    assert refused.status_code == 200 and not Intention.objects.filter(candidate__name="钱多多").exists()
    no_consent = client.post(url, {"name": "钱多多", "phone": "13600000002", "post": mine.pk})
    assert "须同意" in no_consent.content.decode() and not Intention.objects.filter(candidate__name="钱多多").exists()
    done = client.post(url, {"name": "钱多多", "phone": "13600000002", "post": mine.pk, "consent": "on"})
    assert done.status_code == 302
    intention = Intention.objects.get(candidate__name="钱多多")
    assert (intention.event, intention.source, intention.created_by) == (tsinghua, Source.STAFF, world.enterprise_user)
    assert "钱多多" in client.get(done["Location"]).content.decode()


def test_office_staff_of_another_zone_cannot_open_a_zone_campaigns_booth(world):
    campaign = make_campaign(world)  # zone A
    event = make_event(world, campaign)
    outsider = UserFactory(username="reviewer_b", role="reviewer", zone=world.zone_b, city=world.zone_b.city)
    client = verified_client(outsider)
    for name in ("booth", "event_qr", "event_poster", "event_edit"):
        assert client.get(reverse(f"recruitment:{name}", args=[event.pk])).status_code == 404, name


def _modules(png: bytes, box: int = 12, border: int = 4) -> list[list[bool]]:
    image = Image.open(io.BytesIO(png)).convert("L")
    size = image.width // box - 2 * border
    return [[image.getpixel(((c + border) * box + box // 2, (r + border) * box + box // 2)) < 128
             for c in range(size)] for r in range(size)]


def test_the_qr_png_encodes_the_public_form_address(world, settings):
    settings.RENCAI_SITE_URL = "https://rencai.baotou.gov.cn"
    campaign = make_campaign(world)
    event = make_event(world, campaign)
    response = verified_client(world.admin).get(reverse("recruitment:event_qr", args=[event.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    url = "https://rencai.baotou.gov.cn" + reverse("recruitment:join", args=[event.public_token])
    expected = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    expected.add_data(url)
    expected.make(fit=True)
    assert _modules(response.content) == expected.get_matrix()


def test_the_poster_page_shows_the_code_and_the_address_to_type(world):
    campaign = make_campaign(world)
    event = make_event(world, campaign)
    page = verified_client(world.admin).get(reverse("recruitment:event_poster", args=[event.pk])).content.decode()
    assert reverse("recruitment:event_qr", args=[event.pk]) in page
    assert f"http://testserver{reverse('recruitment:join', args=[event.public_token])}" in page
    assert "扫码" in page and campaign.name in page
    campaign_page = verified_client(world.admin).get(reverse("recruitment:campaign", args=[campaign.pk]))
    assert reverse("recruitment:event_poster", args=[event.pk]) in campaign_page.content.decode()


def test_event_form_saved_unchanged_changes_nothing(world, fair):
    _, tsinghua, *_ = fair
    _assign(world, tsinghua, world.enterprise_user, world.reviewer)
    client = verified_client(world.admin)
    url = reverse("recruitment:event_edit", args=[tsinghua.pk])
    before = (Event.objects.filter(pk=tsinghua.pk).values().get(), sorted(tsinghua.booth_staff.values_list("pk")))
    audits, notices = AuditEvent.objects.count(), Notice.objects.count()
    assert client.post(url, form_data(client.get(url).content.decode())).status_code == 302
    after = (Event.objects.filter(pk=tsinghua.pk).values().get(), sorted(tsinghua.booth_staff.values_list("pk")))
    assert after == before and AuditEvent.objects.count() == audits and Notice.objects.count() == notices
