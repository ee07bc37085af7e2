"""On a phone (390×844): the enterprise's recruiter opens their booth, finds a candidate, records a new one, and
adds a post from a published need; the pages never scroll sideways."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from rencai.core.roles import Role
from rencai.needs.models import Kind, Need
from rencai.needs.services import need_create, need_transition
from rencai.recruitment import services
from rencai.recruitment.models import Intention
from tests.browser.conftest import Web, chromium, give_authenticator, give_password, log_in  # noqa: F401
from tests.factories import CityFactory, EnterpriseFactory, UserFactory, ZoneFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _phone(chromium: Any, base_url: str, web: Web) -> Any:  # noqa: F811
    context = chromium.new_context(base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE,
                                   is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("response", lambda r: r.status >= 500 and web.server_errors.append(f"{r.status} {r.url}"))
    page.on("pageerror", lambda error: web.script_errors.append(str(error)))
    return page


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"


def test_recruiter_works_the_booth_on_a_phone(chromium, live_server, transactional_db):  # noqa: F811
    from playwright.sync_api import expect

    city = CityFactory()
    zone = ZoneFactory(city=city, name="稀土高新区", code="xitu")
    admin = UserFactory(username="admin_booth", role=Role.OFFICE_ADMIN, zone=zone, city=city)
    recruiter = UserFactory(username="hr_booth", role=Role.ENTERPRISE)
    enterprise = EnterpriseFactory(zone=zone, name="包头稀土永磁材料有限公司")
    enterprise.members.add(recruiter)
    campaign = services.campaign_create(by=admin, name="名校引才专项行动", zone=zone, city=city,
                                        starts_on=date(2026, 1, 1), ends_on=date(2099, 12, 31))
    event = services.event_add(campaign=campaign, by=admin, held_on=date(2026, 3, 15), university="清华大学",
                               city_name="北京")
    post = services.post_add(campaign=campaign, by=admin, enterprise=enterprise, title="磁材工程师")
    services.event_update(event=event, booth_staff=[recruiter], by=admin)
    services.intention_capture(post=post, event=event, consent=True, source="qr", by=None, name="陈思远",
                               phone="13912345678")
    need = need_create(need=Need(enterprise=enterprise, title="科研助理（磁性材料检测）", kind=Kind.ASSISTANT,
                                 description="检测", discipline_code="0805", headcount=2), by=recruiter)
    need_transition(need=need, by=admin, move="publish")
    give_password(recruiter)
    web = Web(page=None)
    page = _phone(chromium, live_server.url, web)
    log_in(page, recruiter)

    page.goto(f"/recruitment/events/{event.pk}/booth/")
    expect(page.get_by_role("heading", name="展位 · 清华大学")).to_be_visible()
    _no_sideways_scroll(page)
    page.get_by_label("姓名、手机号或身份证号").fill("陈思远")
    page.get_by_role("button", name="查找").click()
    expect(page.locator(".found")).to_contain_text("139****5678")
    page.locator("#id_name").fill("钱多多")
    page.locator("#id_phone").fill("13600000002")
    page.locator("#id_post").select_option(str(post.pk))
    page.locator("#id_consent").check()
    page.get_by_role("button", name="登记").click()
    expect(page.locator(".found")).to_contain_text("钱多多")
    _no_sideways_scroll(page)
    assert Intention.objects.get(candidate__name="钱多多").event == event

    page.goto("/recruitment/open/")
    _no_sideways_scroll(page)
    page.get_by_role("link", name="添加岗位").first.click()
    page.locator("#id_need").select_option(str(need.pk))
    page.get_by_role("button", name="添加").click()
    expect(page.get_by_role("heading", name="名校引才专项行动")).to_be_visible()
    _no_sideways_scroll(page)
    assert campaign.posts.filter(need=need, enterprise=enterprise).exists()
    assert not web.problems(), web.problems()
