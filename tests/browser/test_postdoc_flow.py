"""The office approves a station, enters a postdoc, records the proposal, and sees the next deadline and the
subsidy schedule: in Chromium."""

from __future__ import annotations

import importlib
import re
from datetime import date

import pytest
from django.apps import apps

from rencai.core.roles import Role
from rencai.postdoc.models import Postdoc, Stage, Station
from rencai.postdoc.services import station_create, station_transition
from tests.browser.conftest import Web, give_authenticator, give_password, log_in
from tests.factories import CityFactory, EnterpriseFactory, TalentFactory, UserFactory, ZoneFactory

pytestmark = pytest.mark.browser


def _shipped_policies() -> None:
    """Earlier browser tests flush the database, taking the policies the data migration shipped with them."""
    importlib.import_module("rencai.policies.migrations.0002_example_policies").forwards(apps, None)


def test_office_approves_a_station_enters_a_postdoc_and_sees_the_next_deadline_and_subsidy(web: Web) -> None:
    from playwright.sync_api import expect

    _shipped_policies()
    zone = ZoneFactory(city=CityFactory(name="包头市"), name="稀土高新区", code="xitu")
    enterprise = EnterpriseFactory(zone=zone, name="包头天和磁材科技股份有限公司")
    admin = UserFactory(username="rcb_wang", display_name="王主任", role=Role.OFFICE_ADMIN, zone=zone, city=zone.city)
    TalentFactory(zone=zone, name="陈博士", degree="博士")
    station = station_create(station=Station(enterprise=enterprise, name="天和磁材博士后科研工作站"), by=admin)
    for to in (Stage.EVALUATION, Stage.APPLICATION):
        station_transition(station=station, to=to, on=date(2025, 10, 1), by=admin)
    give_password(admin)
    device = give_authenticator(admin)

    page = web.page
    log_in(page, admin, device)
    page.get_by_role("navigation", name="功能区").get_by_role("link", name="博士后工作站").click()
    page.get_by_role("link", name="天和磁材博士后科研工作站").click()

    # 1. Approval, with its date and document number; the set-up grant appears.
    page.get_by_label("获批设站日期").fill("2025-11-20")
    page.get_by_label("批准文号").fill("人社厅函〔2025〕88号")
    page.get_by_role("button", name="获批设站").click()
    expect(page.get_by_text("已改为获批设站")).to_be_visible()
    expect(page.locator("#subsidy")).to_contain_text("100000.00")

    # 2. Entry on 30 November: the proposal falls due at the end of February.
    page.get_by_role("link", name="博士后进站").click()
    page.get_by_label("博士后（人才库中的人员）").select_option(label="陈博士")
    page.get_by_label("进站日期").fill("2025-11-30")
    page.get_by_label("研究课题").fill("高矫顽力钕铁硼晶界扩散")
    page.get_by_label("企业导师").fill("李总工")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("开题截止 2026-02-28")).to_be_visible()
    expect(page.locator("#next-deadline")).to_contain_text("下一期限：开题 2026-02-28")

    # 3. The proposal, passed: the next deadline is the mid-term, twelve months from entry.
    page.get_by_label("事项").select_option("开题")
    page.locator("#id_on").fill("2026-02-10")
    page.get_by_label("评审结果").select_option("通过")
    page.get_by_label("材料").fill("开题报告、专家评审意见表")
    page.get_by_role("button", name="记录", exact=True).click()
    expect(page.get_by_text("已记录开题（通过）")).to_be_visible()
    expect(page.locator("#next-deadline")).to_contain_text("下一期限：中期评估 2026-11-30")
    expect(page.locator("ol.timeline")).to_contain_text("2026-02-10 开题")

    # 4. The living subsidy's schedule: four instalments from entry, each shared by three levels.
    schedule = page.locator("#subsidy")
    expect(schedule).to_contain_text("博士后生活补贴")
    rows = schedule.locator("tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.first).to_contain_text(re.compile(r"2025-11-30.*75000\.00.*自治区 30000\.00", re.S))
    expect(rows.last).to_contain_text("2027-05-30")

    # 5. The whole picture draws from what was just recorded.
    page.goto("/postdoc/stats/")
    expect(page.locator('.chart[data-series="postdocs_by_zone"][data-rendered="1"]')).to_be_visible()
    expect(page.locator(".widget").filter(has_text="在站博士后")).to_contain_text("1")
    assert not web.problems(), web.problems()
    postdoc = Postdoc.objects.get()
    assert (postdoc.stage, postdoc.midterm_due) == ("proposed", date(2026, 11, 30))
