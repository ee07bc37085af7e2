"""On a phone (390×844): a candidate scans the QR code and registers, staff move them to signed and arrived,
the bureau's insurance file marks them insured, and the funnel shows it."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from rencai.core.roles import Role
from rencai.recruitment import services
from rencai.recruitment.models import Intention, Stage
from tests.browser.conftest import Web, give_authenticator, give_password, log_in
from tests.factories import CityFactory, EnterpriseFactory, UserFactory, ZoneFactory, make_id_number

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
ID = make_id_number(birth=date(1995, 8, 8), seq=808)


def _phone(chromium: Any, base_url: str, web: Web) -> Any:
    context = chromium.new_context(base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE,
                                   is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("response", lambda r: r.status >= 500 and web.server_errors.append(f"{r.status} {r.url}"))
    page.on("pageerror", lambda error: web.script_errors.append(str(error)))
    return page


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"


def _sheet(path: Path, month: str) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号", "缴费月份", "参保单位"])
    sheet.append(["陈思远", ID, month, "包头稀土永磁材料有限公司"])
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_candidate_to_insured_on_a_phone(web: Web, chromium: Any, live_server: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    from rencai.policies.examples import load_examples
    from rencai.policies.models import Policy, PolicyVersion

    load_examples(Policy, PolicyVersion)  # the introduction reward: a flush by an earlier browser test empties them
    zone = ZoneFactory(city=CityFactory(name="包头市"), name="稀土高新区", code="xitu")
    enterprise = EnterpriseFactory(zone=zone, name="包头稀土永磁材料有限公司")
    admin = UserFactory(username="renliban_li", display_name="李娜（人才办）", role=Role.OFFICE_ADMIN, zone=zone,
                        city=zone.city)
    give_password(admin)
    device = give_authenticator(admin)
    campaign = services.campaign_create(by=admin, name="名校引才专项行动", zone=zone, city=zone.city,
                                        starts_on=date(2026, 3, 1), ends_on=date(2026, 8, 31))
    event = services.event_add(campaign=campaign, by=admin, held_on=date(2026, 3, 15), university="清华大学",
                               city_name="北京")
    services.post_add(campaign=campaign, by=admin, enterprise=enterprise, title="稀土永磁材料研发工程师",
                      field_text="新材料")

    # 1. The candidate scans the code: no log-in; a wrong check digit is refused, then consent is required.
    candidate = _phone(chromium, live_server.url, web)
    candidate.goto(f"/recruitment/join/{event.public_token}/")
    expect(candidate.get_by_role("heading", name="求职意向登记")).to_be_visible()
    _no_sideways_scroll(candidate)
    candidate.get_by_label("姓名").fill("陈思远")
    candidate.get_by_label("手机号").fill("13912345678")
    bad = ID[:-1] + ("0" if ID[-1] != "0" else "1")
    candidate.get_by_label("身份证号").fill(bad)
    candidate.get_by_label("学位").select_option("博士")
    candidate.get_by_label("意向岗位").select_option(label="包头稀土永磁材料有限公司 · 稀土永磁材料研发工程师")
    candidate.get_by_role("button", name="提交").click()
    expect(candidate.get_by_role("alert").first).to_contain_text("校验")
    assert not Intention.objects.exists()
    candidate.get_by_label("身份证号").fill(ID)
    candidate.get_by_role("button", name="提交").click()
    expect(candidate.get_by_role("alert").first).to_contain_text("须同意个人信息处理规则")
    assert not Intention.objects.exists()
    candidate.get_by_label("我已阅读并同意", exact=False).check()
    candidate.get_by_role("button", name="提交").click()
    expect(candidate.get_by_role("heading", name="登记成功")).to_be_visible()
    intention = Intention.objects.get()

    # 2. Staff, on a phone, follow the intention up to signed, upload the contract and register the arrival.
    staff = _phone(chromium, live_server.url, web)
    log_in(staff, admin, device)
    staff.goto(f"/recruitment/funnel/?campaign={campaign.pk}")
    expect(staff.locator("#total")).to_have_text("1")
    expect(staff.locator("#insured")).to_have_text("0")
    staff.goto(f"/recruitment/pipeline/?campaign={campaign.pk}")
    staff.get_by_role("link", name="陈思远").click()
    _no_sideways_scroll(staff)
    for button, stage in (("已联系", "已联系"), ("安排面试", "面试中"), ("发出录用", "已发录用"), ("签约", "已签约")):
        staff.get_by_role("button", name=button, exact=True).click()
        expect(staff.locator("dd.stage")).to_have_text(stage)
    contract = tmp_path / "劳动合同.pdf"
    contract.write_bytes(b"%PDF-1.4 contract")
    staff.get_by_label("签约合同").set_input_files(contract)
    staff.get_by_role("button", name="上传").click()
    expect(staff.get_by_role("link", name="下载合同")).to_be_visible()
    staff.get_by_role("button", name="登记到岗").click()
    expect(staff.locator("dd.stage")).to_have_text("已到岗")

    # 3. The bureau's insurance file, through the usual preview: the hire is insured and offered the reward.
    staff.goto("/import/social_insurance/")
    staff.get_by_label("表格文件").set_input_files(_sheet(tmp_path / "社保缴纳.xlsx", date.today().strftime("%Y-%m")))
    staff.get_by_role("button", name="上传并检查").click()
    job = staff.locator("#job")
    expect(job.locator(".status")).to_have_text("待确认", timeout=30_000)
    expect(job.locator("dd.created")).to_have_text("1")
    job.get_by_role("button", name="确认导入").click()
    expect(staff.get_by_text("导入完成")).to_be_visible(timeout=30_000)
    intention.refresh_from_db()
    assert intention.stage == Stage.INSURED and intention.entitlement is not None

    # 4. The funnel page counts the insured hire.
    staff.goto(f"/recruitment/funnel/?campaign={campaign.pk}")
    expect(staff.locator("#signed")).to_have_text("1")
    expect(staff.locator("#insured")).to_have_text("1")
    _no_sideways_scroll(staff)
    assert not web.problems(), web.problems()
