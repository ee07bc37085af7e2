"""A reviewer sends a need back for revision with a reason; the enterprise reads it, edits and resubmits."""

from __future__ import annotations

from typing import Any

import pytest

from rencai.core.lifecycle import history_for
from rencai.core.roles import Role
from rencai.needs.models import Need
from rencai.needs.services import need_create
from tests.browser.conftest import Web, give_authenticator, give_password, log_in
from tests.factories import CityFactory, EnterpriseFactory, UserFactory, ZoneFactory

pytestmark = pytest.mark.browser


def test_reviewer_returns_a_need_and_the_enterprise_resubmits_it(web: Web, chromium: Any) -> None:
    from playwright.sync_api import expect

    zone = ZoneFactory(city=CityFactory(name="包头市"), name="稀土高新区", code="xitu")
    enterprise = EnterpriseFactory(zone=zone, name="包头天和磁材科技股份有限公司", industry_code="32")
    boss = UserFactory(username="tianhe_hr", display_name="天和人事部", role=Role.ENTERPRISE)
    enterprise.members.add(boss)
    reviewer = UserFactory(username="shenhe_li", display_name="李审核", role=Role.REVIEWER, zone=zone,
                           city=zone.city)
    for user in (boss, reviewer):
        give_password(user)
    device = give_authenticator(reviewer)
    need = need_create(need=Need(enterprise=enterprise, title="晶界扩散工艺博士", description="降镝"), by=boss)

    # 1. The reviewer sends it back: without a reason the browser will not submit, with one it goes.
    office = web.page
    log_in(office, reviewer, device)
    office.goto(f"/needs/{need.pk}/")
    office.get_by_label("退回修改原因").fill("请补充岗位薪酬待遇和到岗时间")
    office.get_by_role("button", name="退回修改").click()
    expect(office.get_by_text("已改为退回修改")).to_be_visible()
    expect(office.get_by_role("button", name="审核通过并发布")).to_have_count(0)

    # 2. The enterprise reads the reason in the history, edits the need and resubmits it.
    second = chromium.new_context(base_url=office.url.split("/needs")[0], locale="zh-CN", timezone_id="Asia/Shanghai")
    try:
        page = second.new_page()
        page.on("response", lambda r: r.status >= 500 and web.server_errors.append(f"{r.status} {r.url}"))
        log_in(page, boss)
        page.goto(f"/needs/{need.pk}/")
        history = page.locator("section.history")
        expect(history).to_contain_text("退回修改")
        expect(history).to_contain_text("请补充岗位薪酬待遇和到岗时间")
        expect(history).to_contain_text("李审核")
        page.goto(f"/needs/{need.pk}/edit/")
        page.get_by_label("需求描述").fill("降镝；年薪30万元起，2027年3月前到岗")
        page.get_by_role("button", name="保存").click()
        page.get_by_role("button", name="修改后重新提交").click()
        expect(page.get_by_text("已改为待审核")).to_be_visible()
    finally:
        second.close()

    need.refresh_from_db()
    assert (need.status, need.description) == ("pending", "降镝；年薪30万元起，2027年3月前到岗")
    assert [h.move for h in history_for(need)] == ["create", "return", "resubmit"]

    # 3. Back in the reviewer's hands.
    office.goto(f"/needs/{need.pk}/")
    expect(office.get_by_role("button", name="审核通过并发布")).to_be_visible()
    assert not web.server_errors and not web.script_errors, (web.server_errors, web.script_errors)
