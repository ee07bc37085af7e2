"""An enterprise submits a need, a reviewer publishes it, and the scarce-talent catalog's draft moves: in Chromium."""

from __future__ import annotations

import re
from typing import Any

import pytest

from rencai.core.roles import Role
from rencai.needs.models import Need
from tests.browser.conftest import Web, give_authenticator, give_password, log_in
from tests.factories import CityFactory, EnterpriseFactory, TalentFactory, UserFactory, ZoneFactory

pytestmark = pytest.mark.browser


def _catalog_row(page: Any) -> Any:
    return page.locator('tr[data-key="0805|32|博士"]')


def test_enterprise_need_published_by_reviewer_enters_the_catalog_draft(web: Web, chromium: Any) -> None:
    from playwright.sync_api import expect

    zone = ZoneFactory(city=CityFactory(name="包头市"), name="稀土高新区", code="xitu")
    enterprise = EnterpriseFactory(zone=zone, name="包头天和磁材科技股份有限公司", industry_code="32")
    boss = UserFactory(username="tianhe_hr", display_name="天和人事部", role=Role.ENTERPRISE)
    enterprise.members.add(boss)
    reviewer = UserFactory(username="shenhe_li", display_name="李审核", role=Role.REVIEWER, zone=zone,
                           city=zone.city)
    TalentFactory(zone=zone, discipline_code="0805", degree="博士")
    for user in (boss, reviewer):
        give_password(user)
    device = give_authenticator(reviewer)

    # 1. The enterprise submits its need through the form.
    page = web.page
    log_in(page, boss)
    page.get_by_role("navigation", name="功能区").get_by_role("link", name="我的需求").click()
    page.get_by_role("link", name="提交需求").click()
    page.get_by_label("需求类型").select_option("人才引进")
    page.get_by_label("需求名称").fill("烧结钕铁硼晶界扩散工艺博士")
    page.get_by_label("需求描述").fill("降低重稀土镝、铽用量，提高矫顽力")
    page.get_by_label("所属领域").fill("材料科学与工程")
    page.get_by_label("期望人才").fill("博士，熟悉晶界扩散")
    page.get_by_label("需求人数").fill("3")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("当前状态：待审核")).to_be_visible()
    need = Need.objects.get()
    assert (need.enterprise, need.status, need.industry_code) == (enterprise, "pending", "32")

    # 2. The reviewer sees an empty catalog draft, then the need waiting in the queue, and publishes it.
    second = chromium.new_context(base_url=page.url.split("/needs")[0], locale="zh-CN", timezone_id="Asia/Shanghai")
    try:
        office = second.new_page()
        office.on("response", lambda r: r.status >= 500 and web.server_errors.append(f"{r.status} {r.url}"))
        office.on("pageerror", lambda error: web.script_errors.append(str(error)))
        log_in(office, reviewer, device)
        office.goto("/needs/catalog/")
        expect(office.get_by_text("目前没有待对接的需求，目录为空")).to_be_visible()
        office.goto("/needs/queue/")
        row = office.get_by_role("row").filter(has_text="烧结钕铁硼晶界扩散工艺博士")
        row.get_by_role("button", name="审核通过并发布").click()
        expect(office.get_by_text("已改为已发布")).to_be_visible()

        # 3. The draft now carries the line: 3 doctors of 材料科学与工程 wanted, 1 in the pool, shortage 2.
        office.goto("/needs/catalog/")
        line = _catalog_row(office)
        expect(line).to_contain_text("材料科学与工程")
        cells = [c.strip() for c in line.locator("td").all_inner_texts()]
        assert cells[:7] == ["1", "材料科学与工程", "C32 有色金属冶炼和压延加工业", "博士", "3", "1", "2"], cells
        line.get_by_role("link", name=re.compile("1 项")).click()
        expect(office.get_by_role("link", name="烧结钕铁硼晶界扩散工艺博士")).to_be_visible()
    finally:
        second.close()

    # 4. The enterprise sees where its need stands.
    page.goto(f"/needs/{need.pk}/")
    expect(page.get_by_text("已发布").first).to_be_visible()
    expect(page.get_by_role("cell", name=str(reviewer))).to_be_visible()

    # 5. Its needs picture draws with ECharts, fed by the JSON endpoint.
    page.goto("/needs/stats/")
    expect(page.locator('.chart[data-rendered="1"]')).to_have_count(5)
    expect(page.locator('.chart[data-series="by_kind"] svg')).to_be_visible()
    assert not web.server_errors and not web.script_errors, (web.server_errors, web.script_errors)
