"""A partner desk scans the talent's 人才码 with the phone's camera: the code read by the browser's BarcodeDetector
goes into the field and is verified. Chromium here has no camera, so the page is given a camera (a canvas stream)
and a detector that reads the QR image the talent's page shows; without a detector the scan button stays hidden."""

from __future__ import annotations

from typing import Any

import pytest

from rencai.core.roles import Role
from rencai.onestop import services
from rencai.onestop.models import PartnerVenue, ServiceItem
from tests.browser.conftest import Web, give_password, log_in
from tests.factories import CityFactory, TalentFactory, UserFactory, ZoneFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

# A camera (a canvas's stream) and a BarcodeDetector that "reads" the code it is handed through window.__code.
FAKE_CAMERA = """
window.BarcodeDetector = class { constructor() {} async detect() {
  return window.__code ? [{ rawValue: window.__code, format: "qr_code" }] : []; } };
navigator.mediaDevices.getUserMedia = async () => {
  const canvas = document.createElement("canvas"); canvas.width = 64; canvas.height = 64;
  canvas.getContext("2d").fillRect(0, 0, 64, 64);
  return canvas.captureStream(5);
};
"""


def _desk(chromium: Any, base_url: str, web: Web, *, camera: bool) -> Any:
    context = chromium.new_context(base_url=base_url, locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    if camera:
        context.add_init_script(FAKE_CAMERA)
    page = context.new_page()
    page.on("pageerror", lambda error: web.script_errors.append(str(error)))
    return page


def test_a_partner_scans_a_card_with_the_camera_and_it_is_verified(web: Web, chromium: Any,
                                                                   live_server: Any) -> None:
    from playwright.sync_api import expect

    city = CityFactory(name="包头市")
    zone = ZoneFactory(city=city, name="稀土高新区", code="xitu")
    health = ServiceItem.objects.create(city=city, code="health", name="健康体检", without_application=True,
                                        card_quota=1, tiers=["B"])
    talent = TalentFactory(zone=zone, name="王建国", tier="B")
    partner_user = UserFactory(username="hospital_desk", role=Role.PARTNER)
    hospital = PartnerVenue.objects.create(city=city, name="包头市中心医院", kind="医院")
    hospital.items.set([health])
    hospital.members.set([partner_user])
    office = UserFactory(username="admin_x", role=Role.OFFICE_ADMIN, zone=zone, city=city)
    card = services.card_issue(talent=talent, by=office)
    give_password(partner_user)
    token = services.card_token(card)

    plain = _desk(chromium, live_server.url, web, camera=False)
    log_in(plain, partner_user)
    plain.goto("/services/partner/")
    expect(plain.get_by_role("button", name="用摄像头扫码")).to_be_hidden()  # no detector: gun or paste only
    expect(plain.get_by_label("人才码")).to_be_focused()  # a scanner gun types straight into the field

    desk = _desk(chromium, live_server.url, web, camera=True)
    log_in(desk, partner_user)
    desk.goto("/services/partner/")
    desk.get_by_role("button", name="用摄像头扫码").click()
    expect(desk.locator("video.scan-video")).to_be_visible()
    desk.evaluate("code => { window.__code = code; }", token)  # the camera now sees the talent's code
    expect(desk.get_by_test_id("verified")).to_contain_text("王**")
    expect(desk.get_by_role("button", name="核销一次")).to_be_enabled()
    assert not web.script_errors, web.script_errors
