"""Staff run a match round for two needs, pin a candidate and publish; the enterprise accepts: in Chromium."""

from __future__ import annotations

from typing import Any

import pytest

from rencai.core.roles import Role
from rencai.matching.models import Pairing, PairingStatus, RoundPin
from rencai.needs.models import Need, Status
from tests.browser.conftest import Web, give_authenticator, give_password, log_in
from tests.factories import CityFactory, EnterpriseFactory, InstitutionFactory, TalentFactory, UserFactory, ZoneFactory

pytestmark = pytest.mark.browser


def test_staff_pin_and_publish_then_enterprise_accepts(web: Web, chromium: Any) -> None:
    from playwright.sync_api import expect

    zone = ZoneFactory(city=CityFactory(name="包头市"), name="稀土高新区", code="xitu")
    enterprise = EnterpriseFactory(zone=zone, name="包头天和磁材科技股份有限公司")
    boss = UserFactory(username="tianhe_hr", display_name="天和人事部", role=Role.ENTERPRISE)
    enterprise.members.add(boss)
    admin = UserFactory(username="admin_wang", display_name="王管理", role=Role.OFFICE_ADMIN, zone=zone,
                        city=zone.city)
    institution = InstitutionFactory(name="内蒙古科技大学")
    TalentFactory(zone=zone, name="刘晶界", research_directions="烧结钕铁硼晶界扩散；重稀土减量",
                  institution=institution)
    chosen = TalentFactory(zone=zone, name="陈磁材", research_directions="稀土永磁材料；矫顽力提升",
                           institution=institution)
    for title, text in (("晶界扩散工艺优化", "烧结钕铁硼晶界扩散，降低重稀土用量"),
                        ("永磁体矫顽力提升", "提高稀土永磁材料矫顽力")):
        Need.objects.create(enterprise=enterprise, title=title, description=text, status=Status.PUBLISHED)
    for user in (boss, admin):
        give_password(user)
    device = give_authenticator(admin)

    # 1. The office creates a round for the two needs; it runs right away.
    page = web.page
    log_in(page, admin, device)
    page.get_by_role("navigation", name="功能区").get_by_role("link", name="匹配批次").click()
    page.get_by_role("link", name="新建批次").click()
    page.get_by_label("批次名称").fill("2026年第一批")
    page.get_by_label("旗区/园区").select_option(label="稀土高新区")
    page.get_by_label("包头天和磁材科技股份有限公司 · 晶界扩散工艺优化").check()
    page.get_by_label("包头天和磁材科技股份有限公司 · 永磁体矫顽力提升").check()
    page.get_by_label("最低分").fill("0.05")
    page.get_by_role("button", name="创建并运行").click()
    expect(page.locator("#round-status")).to_have_text("已运行")

    # 2. Side by side: pin 陈磁材 to the diffusion need, which re-plans; then publish.
    need = Need.objects.get(title="晶界扩散工艺优化")
    card = page.locator(f"#need-{need.pk} .cand[data-talent='陈磁材']")
    card.get_by_role("button", name="固定配对").click()
    expect(page.locator(f"#need-{need.pk} .cand[data-talent='陈磁材']")).to_contain_text("已固定")
    assert RoundPin.objects.filter(need=need, talent=chosen, kind="pin").exists()
    assert Pairing.objects.filter(need=need, talent=chosen).exists()
    page.get_by_role("button", name="发布配对并通知双方").click()
    expect(page.locator("#round-status")).to_have_text("已发布")

    # 3. The enterprise logs in, sees the proposed expert and accepts.
    other = chromium.new_context(base_url=page.url.split("/matching")[0], locale="zh-CN", timezone_id="Asia/Shanghai")
    try:
        host = other.new_page()
        host.on("response", lambda r: r.status >= 500 and web.server_errors.append(f"{r.status} {r.url}"))
        log_in(host, boss)
        host.get_by_role("navigation", name="功能区").get_by_role("link", name="为我推荐").click()
        expect(host.get_by_role("heading", name="为我推荐的专家")).to_be_visible()
        pairing = Pairing.objects.get(need=need, talent=chosen)
        section = host.locator(f"#pairing-{pairing.pk}")
        expect(section).to_contain_text("陈磁材")
        section.get_by_role("button", name="接受").click()
        expect(host.locator(f"#pairing-{pairing.pk}")).to_contain_text("企业答复：接受")
    finally:
        other.close()
    pairing.refresh_from_db()
    assert (pairing.status, pairing.enterprise_answer) == (PairingStatus.PUBLISHED, "accept")
    assert not web.problems()
