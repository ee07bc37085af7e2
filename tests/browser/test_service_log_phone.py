"""On a phone: a talent logs a visit, the host confirms it, and the agreement's compliance moves off 落后."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from rencai.core.roles import Role
from rencai.engagements.models import Agreement, ServiceVisit, VisitStatus
from rencai.engagements.services import agreement_create
from tests.browser.conftest import Web, give_password, log_in
from tests.factories import CityFactory, EnterpriseFactory, InstitutionFactory, TalentFactory, UserFactory, ZoneFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _phone(chromium: Any, base_url: str, web: Web) -> Any:
    context = chromium.new_context(base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE,
                                   is_mobile=True, has_touch=True)
    page = context.new_page()
    page.on("response", lambda r: r.status >= 500 and web.server_errors.append(f"{r.status} {r.url}"))
    page.on("pageerror", lambda error: web.script_errors.append(str(error)))
    return page


def test_talent_logs_a_visit_on_a_phone_and_the_host_confirms_it(web: Web, chromium: Any, live_server: Any) -> None:
    from playwright.sync_api import expect

    zone = ZoneFactory(city=CityFactory(name="包头市"), name="稀土高新区", code="xitu")
    host = EnterpriseFactory(zone=zone, name="包头天和磁材科技股份有限公司")
    boss = UserFactory(username="tianhe_hr", display_name="天和人事部", role=Role.ENTERPRISE)
    host.members.add(boss)
    doctor_user = UserFactory(username="wang_bs", display_name="王博士", role=Role.TALENT)
    doctor = TalentFactory(zone=zone, name="王建国", user=doctor_user,
                           institution=InstitutionFactory(name="内蒙古科技大学"))
    office = UserFactory(username="admin_x", role=Role.OFFICE_ADMIN, zone=zone, city=zone.city)
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    agreement = agreement_create(agreement=Agreement(talent=doctor, enterprise=host, starts_on=last_month),
                                 by=office)
    for user in (boss, doctor_user):
        give_password(user)

    # 1. The doctor, on a phone, sees last month closed without a visit: behind.
    page = _phone(chromium, live_server.url, web)
    log_in(page, doctor_user)
    page.goto(f"/engagements/{agreement.pk}/")
    expect(page.get_by_test_id("compliance")).to_have_text("落后")
    page.get_by_role("link", name="填报服务").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the form scrolls sideways"
    page.get_by_label("到岗日期").fill((last_month + timedelta(days=14)).isoformat())
    page.get_by_label("离开日期").fill(today.isoformat())
    page.get_by_label("服务内容").fill("驻企指导晶界扩散产线调试")
    page.get_by_role("button", name="提交，等待企业确认").click()
    expect(page.get_by_text("已提交服务记录，等待企业确认")).to_be_visible()
    expect(page.get_by_test_id("compliance")).to_have_text("落后")  # not counted until the host confirms
    visit = ServiceVisit.objects.get()
    assert (visit.agreement, visit.status) == (agreement, VisitStatus.PENDING)

    # 2. The host, on its own phone, confirms the visit; the status moves to on track.
    host_page = _phone(chromium, live_server.url, web)
    log_in(host_page, boss)
    host_page.goto(f"/engagements/{agreement.pk}/")
    host_page.locator(f'tr[data-visit="{visit.pk}"]').get_by_role("button", name="确认").click()
    expect(host_page.locator(f'tr[data-visit="{visit.pk}"]').get_by_text("已确认", exact=True)).to_be_visible()
    expect(host_page.get_by_test_id("compliance")).to_have_text("正常")

    # 3. The doctor sees the days counted.
    page.reload()
    expect(page.get_by_test_id("compliance")).to_have_text("正常")
    expect(page.get_by_test_id("days")).to_have_text(str(visit.days))
    assert not web.problems(), web.problems()
