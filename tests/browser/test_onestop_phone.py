"""On a phone (390×844): a talent asks for schooling, two bureaus finish their tasks, the talent rates it; a partner
verifies the talent's 人才码 and redeems one use."""

from __future__ import annotations

from typing import Any

import pytest

from rencai.core.models import Bureau
from rencai.core.roles import Role
from rencai.onestop import services
from rencai.onestop.models import PartnerVenue, Redemption, ServiceItem, ServiceRequest
from tests.browser.conftest import Web, give_password, log_in
from tests.factories import CityFactory, TalentFactory, UserFactory, ZoneFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _phone(chromium: Any, base_url: str, web: Web) -> Any:
    context = chromium.new_context(base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE,
                                   is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("response", lambda r: r.status >= 500 and web.server_errors.append(f"{r.status} {r.url}"))
    page.on("pageerror", lambda error: web.script_errors.append(str(error)))
    return page


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def test_schooling_two_bureaus_rating_and_a_card_redeemed_on_phones(web: Web, chromium: Any,
                                                                    live_server: Any) -> None:
    from playwright.sync_api import expect

    city = CityFactory(name="包头市")
    zone = ZoneFactory(city=city, name="稀土高新区", code="xitu")
    edu = Bureau.objects.create(city=city, name="包头市教育局", code="edu")
    hr = Bureau.objects.create(city=city, name="包头市人社局", code="hrss")
    school = ServiceItem.objects.create(city=city, code="school", name="子女入学", documents="户口簿",
                                        time_limit_days=15, task_limit_days=10)
    school.bureaus.set([edu, hr])
    health = ServiceItem.objects.create(city=city, code="health", name="健康体检", without_application=True,
                                        card_quota=1, tiers=["A", "B"])
    health.bureaus.set([hr])
    talent_user = UserFactory(username="wang_js", display_name="王教授", role=Role.TALENT)
    talent = TalentFactory(zone=zone, name="王建国", tier="B", user=talent_user)
    edu_user = UserFactory(username="edu_li", display_name="教育局李科长", role=Role.BUREAU, city=city, bureau=edu)
    hr_user = UserFactory(username="hr_zhao", display_name="人社局赵科长", role=Role.BUREAU, city=city, bureau=hr)
    partner_user = UserFactory(username="hospital_desk", display_name="中心医院服务台", role=Role.PARTNER)
    hospital = PartnerVenue.objects.create(city=city, name="包头市中心医院", kind="医院")
    hospital.items.set([health])
    hospital.members.set([partner_user])
    office = UserFactory(username="admin_x", role=Role.OFFICE_ADMIN, zone=zone, city=city)
    services.card_issue(talent=talent, by=office)
    for user in (talent_user, edu_user, hr_user, partner_user):
        give_password(user)

    # 1. The talent asks for schooling from the phone page.
    page = _phone(chromium, live_server.url, web)
    log_in(page, talent_user)
    page.goto("/services/mine/")
    expect(page.get_by_test_id("free-entitlements")).to_contain_text("健康体检")
    expect(page.get_by_test_id("card-qr")).to_be_visible()
    _no_sideways_scroll(page)
    page.get_by_test_id("entitled").get_by_role("link", name="子女入学").click()
    page.get_by_label("具体诉求").fill("女儿今年9月上小学一年级，希望就近入学")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_test_id("request-status")).to_have_text("办理中")
    _no_sideways_scroll(page)
    request = ServiceRequest.objects.get()
    assert request.tasks.count() == 2

    # 2. Each bureau, on its own phone, finishes its task.
    for user, code in ((edu_user, "edu"), (hr_user, "hrss")):
        bureau_page = _phone(chromium, live_server.url, web)
        log_in(bureau_page, user)
        bureau_page.goto("/services/tasks/")
        bureau_page.get_by_role("link", name="子女入学").click()
        _no_sideways_scroll(bureau_page)
        bureau_page.get_by_label("办理结果").fill("已办理" if code == "hrss" else "已安排至稀土路小学")
        bureau_page.get_by_role("button", name="办结", exact=True).click()
        expect(bureau_page.get_by_test_id("task-status")).to_have_text("已办结")
        bureau_page.context.close()

    # 3. The talent sees it done and rates it.
    page.reload()
    expect(page.get_by_test_id("request-status")).to_have_text("已办结")
    page.get_by_label("满意", exact=True).check()
    page.get_by_label("办事快").check()
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_test_id("rating")).to_have_text("4")
    expect(page.get_by_test_id("request-status")).to_have_text("已评价")

    # 4. At the hospital the talent shows the card; the desk verifies it and redeems one use.
    page.goto("/services/mine/")
    page.get_by_text("无法扫码时，出示码内容").click()
    token = page.get_by_test_id("card-token").inner_text().strip()
    desk = _phone(chromium, live_server.url, web)
    log_in(desk, partner_user)
    desk.goto("/services/partner/")
    desk.get_by_label("人才码").fill(token)
    desk.get_by_role("button", name="验证").click()
    expect(desk.get_by_test_id("verified")).to_contain_text("王**")
    _no_sideways_scroll(desk)
    desk.get_by_role("button", name="核销一次").click()
    expect(desk.get_by_text("已核销：健康体检")).to_be_visible()
    assert Redemption.objects.count() == 1
    # the same code again: the quota of one is used up, the button is off and nothing more is recorded
    desk.get_by_label("人才码").fill(token)
    desk.get_by_role("button", name="验证").click()
    expect(desk.get_by_role("button", name="核销一次")).to_be_disabled()
    assert Redemption.objects.count() == 1
    assert not web.problems(), web.problems()
