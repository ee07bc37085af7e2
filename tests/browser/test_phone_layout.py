"""On a phone (390 px), talents and enterprises use every page of their navigation without the page itself
scrolling sideways: the navigation is one row that scrolls, wide tables scroll inside their own box.

Found on the walk: the header squeezed the navigation into a column of two-character lines covering half the
screen, and list tables pushed the whole page wider than the phone."""

from __future__ import annotations

from typing import Any

import pytest

from rencai.core.roles import Role
from tests.browser.conftest import Web, give_password, log_in
from tests.factories import (
    AgreementFactory,
    CityFactory,
    EnterpriseFactory,
    InstitutionFactory,
    TalentFactory,
    UserFactory,
    ZoneFactory,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _overflowing(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1"))


def test_talent_and_enterprise_pages_fit_a_phone(web: Web, chromium: Any, live_server: Any) -> None:
    zone = ZoneFactory(city=CityFactory(name="包头市"), name="稀土高新区", code="xitu")
    host = EnterpriseFactory(zone=zone, name="包头钕鑫新材料科技股份有限公司")
    boss = UserFactory(username="nx_hr", display_name="钕鑫人事部", role=Role.ENTERPRISE)
    host.members.add(boss)
    doctor_user = UserFactory(username="wang_sy", display_name="王思雨", role=Role.TALENT)
    doctor = TalentFactory(zone=zone, name="王思雨", user=doctor_user,
                           institution=InstitutionFactory(name="内蒙古科技大学"))
    AgreementFactory(talent=doctor, enterprise=host, institution=doctor.institution)
    wide = []
    for user in (doctor_user, boss):
        give_password(user)
        context = chromium.new_context(base_url=live_server.url, locale="zh-CN", viewport=PHONE, is_mobile=True,
                                       has_touch=True)
        page = context.new_page()
        log_in(page, user)
        links = page.eval_on_selector_all("nav.areas a", "els => els.map(e => e.getAttribute('href'))")
        assert len(links) >= 4
        nav_height = page.evaluate("document.querySelector('nav.areas').getBoundingClientRect().height")
        assert nav_height < 60, f"the navigation takes {nav_height}px of a {PHONE['height']}px phone"
        for href in links:
            page.goto(href)
            if _overflowing(page):
                wide.append(f"{user.username} {href}")
        context.close()
    assert wide == []
    assert web.problems() == []
