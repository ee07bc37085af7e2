"""The leaders' dashboard in Chromium at 1366×900 and in full-screen mode: every chart drawn from live data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.utils import timezone

from rencai.core.roles import Role
from rencai.targets import services
from rencai.targets.models import Indicator, Measure
from tests.browser.conftest import Web, give_authenticator, give_password, log_in
from tests.factories import CityFactory, TalentFactory, UserFactory, ZoneFactory

pytestmark = pytest.mark.browser


def test_dashboard_draws_live_figures_at_1366_and_full_screen(web: Web, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    city = CityFactory(name="包头市")
    xitu = ZoneFactory(city=city, name="稀土高新区", code="xitu")
    kun = ZoneFactory(city=city, name="昆都仑区", code="kundulun")
    admin = UserFactory(username="rcb_city", role=Role.OFFICE_ADMIN, zone=None, city=city)
    ind = Indicator.objects.create(code="phd_in", name="引进博士", source="stays.arrivals", measure=Measure.FLOW,
                                   filters={"talent__degree": "博士"})
    today = timezone.localdate()
    services.target_set(indicator=ind, year=today.year, city=city, value=40, by=admin)
    for i in range(7):
        zone = xitu if i < 5 else kun
        t = TalentFactory(zone=zone, name=f"博士{i}", degree="博士", tier="B" if i % 2 else "C")
        services.stay_record(talent=t, zone=zone, arrived_on=today.replace(month=1, day=1 + i), by=None)
    give_password(admin)
    device = give_authenticator(admin)

    page = web.page
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, admin, device)
    page.goto(web.page.url.split("/", 3)[0] + "//" + web.page.url.split("/", 3)[2] + "/targets/")
    expect(page.locator("#cockpit[data-loaded='1']")).to_have_count(1)
    charts = page.locator(".cchart")
    assert charts.count() == 8
    assert page.locator(".cchart[data-rendered='1']").count() == 8
    # the figures drawn are the live ones: 7 doctorates arrived (5 + 2 by zone), against a target of 40
    zone_chart = page.locator(".cchart[data-series='pool_by_zone']")
    expect(zone_chart).to_contain_text("5")
    expect(zone_chart).to_contain_text("2")
    assert zone_chart.get_attribute("data-empty") == "0"
    progress = page.locator(".cchart[data-kind='progress']")
    expect(progress).to_contain_text("引进博士")
    expect(page.locator("#progress-table")).to_contain_text("7")
    out = Path(os.environ.get("RENCAI_SCREENSHOT_DIR", str(tmp_path)))
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / "targets-dashboard-1366x900.png"), full_page=True)

    page.get_by_role("button", name="全屏展示").click()
    expect(page.locator("#cockpit.wall")).to_have_count(1)
    page.wait_for_timeout(500)
    page.screenshot(path=str(out / "targets-dashboard-fullscreen.png"))
    assert (out / "targets-dashboard-fullscreen.png").stat().st_size > 10_000
    assert not web.problems(), web.problems()
