"""Printing, in a real browser: the print stylesheet hides navigation and controls; lists print full width."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from rencai.core.roles import Role
from tests.browser.conftest import Web, give_authenticator, give_password, log_in
from tests.factories import CityFactory, TalentFactory, UserFactory, ZoneFactory, make_id_number

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("RENCAI_SCREENSHOTS", "") or tempfile.gettempdir()) / "print-shots"


def test_print_media_hides_navigation_and_controls_and_shows_the_form(web: Web) -> None:
    from playwright.sync_api import expect

    zone = ZoneFactory(city=CityFactory(name="包头市"), name="稀土高新区")
    admin = UserFactory(username="print_admin", role=Role.OFFICE_ADMIN, zone=zone)
    give_password(admin)
    device = give_authenticator(admin)
    talent = TalentFactory(zone=zone, name="苏明远", id_number=make_id_number(seq=417), phone="13900001111",
                           employer="内蒙古科技大学", research_directions="稀土永磁材料；晶界扩散" * 6)
    log_in(web.page, admin, device)
    page = web.page
    SHOTS.mkdir(exist_ok=True)

    page.goto("/talents/")
    nav = page.locator("nav.areas")
    expect(nav).to_be_visible()
    page.emulate_media(media="print")
    expect(nav).to_be_hidden()
    expect(page.locator("form.filters")).to_be_hidden()
    expect(page.locator(".print-stamp")).to_be_visible()
    expect(page.locator(".print-stamp")).to_contain_text("打印时间")
    table = page.locator("table.list").first
    expect(table).to_be_visible()
    assert table.evaluate("t => getComputedStyle(t.querySelector('thead') || t).display") in (
        "table-header-group", "table")
    expect(table.locator(".print-inline").first).to_contain_text("稀土永磁材料；晶界扩散" * 6)  # not truncated
    page.screenshot(path=str(SHOTS / "list-print.png"), full_page=True)

    page.emulate_media(media="screen")
    page.goto(f"/talents/{talent.pk}/form/")
    expect(page.get_by_role("heading", name="人才登记表")).to_be_visible()
    expect(page.get_by_role("button", name="打印")).to_be_visible()
    assert talent.id_number not in page.content()
    page.emulate_media(media="print")
    expect(page.locator("nav.areas")).to_be_hidden()
    expect(page.get_by_role("button", name="打印")).to_be_hidden()
    expect(page.locator("form.reveal").first).to_be_hidden()
    expect(page.locator("table.regform")).to_be_visible()
    page.screenshot(path=str(SHOTS / "form-print.png"), full_page=True)
    assert not web.problems(), web.problems()
