"""The office admin's day, in a real browser: log in, import a messy spreadsheet, find a talent, reveal an ID."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from rencai.core.models import AuditEvent
from rencai.core.roles import Role
from rencai.core.validators import id_number_check_char
from rencai.talents.models import Talent
from tests.browser.conftest import Web, give_authenticator, give_password, log_in
from tests.factories import CityFactory, UserFactory, ZoneFactory, make_id_number

pytestmark = pytest.mark.browser

GOOD_ID = make_id_number(birth=date(1986, 3, 21), seq=417)
LOST_DIGITS_ID = float(make_id_number(birth=date(1990, 7, 8), seq=215)[:15] + "000")  # what Excel keeps
_first17 = make_id_number(birth=date(1979, 11, 2), seq=633)[:17]
BAD_CHECK_ID = _first17 + ("0" if id_number_check_char(_first17) != "0" else "1")
GOOD_NAMES = ["苏明远", "高丽华", "周海燕"]
REASON = "核对博士服务协议"


def write_sheet(path: Path) -> Path:
    """A sheet as offices send it: a merged title, a 序号 column, one ID typed as a number, one mistyped."""
    book = Workbook()
    sheet = book.active
    sheet["A1"] = "2026年稀土高新区引进人才信息登记表"
    sheet.merge_cells("A1:G1")
    sheet.append(["序号", "姓名", "性别", "身份证号", "最高学历", "研究方向", "工作单位"])
    sheet.append([1, "苏明远", "男", GOOD_ID, "博士研究生", "稀土永磁材料；晶界扩散", "内蒙古科技大学"])
    sheet.append([2, "高丽华", "女", None, "硕士研究生", "乳制品发酵工艺", "内蒙古农业大学"])
    sheet.append([3, "周海燕", "女", "", "博士研究生", "储氢合金", "包头稀土研究院"])
    sheet.append([4, "刘德胜", "男", LOST_DIGITS_ID, "博士研究生", "煤化工催化剂", "内蒙古工业大学"])
    sheet.append([5, "马晓东", "男", BAD_CHECK_ID, "大学本科", "汽车零部件", "包头北奔重汽"])
    book.save(path)
    return path


def test_office_admin_imports_sheet_then_reveals_an_id_number_and_sees_it_audited(web: Web, tmp_path: Path):
    from playwright.sync_api import expect

    page = web.page
    zone = ZoneFactory(city=CityFactory(name="包头市"), name="稀土高新区", code="xitu")
    admin = UserFactory(username="renliban_wang", display_name="王丽（人才办）", role=Role.OFFICE_ADMIN,
                        zone=zone, city=zone.city)
    give_password(admin)
    device = give_authenticator(admin)

    # 1. Log in with password and the authenticator's code.
    log_in(page, admin, device)

    # 2. 人才库 → 导入表格, upload the sheet.
    nav = page.get_by_role("navigation", name="功能区")
    nav.get_by_role("link", name="人才库", exact=True).click()
    page.get_by_role("link", name="导入表格").click()
    expect(page.get_by_role("heading", name="导入人才信息")).to_be_visible()
    page.get_by_label("表格文件").set_input_files(write_sheet(tmp_path / "引进人才登记表.xlsx"))
    page.get_by_role("button", name="上传并检查").click()

    # 3. The preview: counts and every refused row with its Excel row number, column and reason.
    job = page.locator("#job")
    expect(job.locator(".status")).to_have_text("待确认", timeout=30_000)
    expect(job.locator("dd.created")).to_have_text("3")
    expect(job.locator("dd.refused")).to_have_text("2")
    expect(job.get_by_text("将新建")).to_be_visible()
    refused = [[cell.strip() for cell in row.locator("td").all_inner_texts()]
               for row in job.locator("table.refused-rows tbody tr").all()]
    assert [(row, column) for row, column, _ in refused] == [("第 6 行", "身份证号"), ("第 7 行", "身份证号")]
    assert "存成了数字" in refused[0][2] and "丢失" in refused[0][2]
    assert "校验位" in refused[1][2]
    assert all(re.search(r"[\u4e00-\u9fff]{4}", reason) for _, _, reason in refused)

    # 4. Nothing is written before the admin confirms.
    assert not Talent.objects.filter(name__in=[*GOOD_NAMES, "刘德胜", "马晓东"]).exists()
    job.get_by_role("button", name="确认导入").click()
    expect(page.get_by_text("导入完成")).to_be_visible(timeout=30_000)
    expect(page.locator("#job dd.created")).to_have_text("3")
    assert sorted(Talent.objects.filter(zone=zone).values_list("name", flat=True)) == sorted(GOOD_NAMES)
    talent = Talent.objects.get(name="苏明远")
    assert talent.id_number == GOOD_ID

    # 5. Find the talent by typing in the search box; htmx narrows the table without a page load.
    nav.get_by_role("link", name="人才库", exact=True).click()
    results = page.locator("#results")
    expect(results).to_contain_text("高丽华")
    page.get_by_role("searchbox", name="搜索").press_sequentially("苏明远", delay=30)
    expect(results).not_to_contain_text("高丽华")
    expect(page).to_have_url(re.compile(r"[?&]q="))
    results.get_by_role("link", name="苏明远").click()
    expect(page.get_by_role("heading", name=re.compile("苏明远"))).to_be_visible()

    masked = GOOD_ID[:6] + "*" * 8 + GOOD_ID[-4:]
    id_cell = page.locator(f"span.sensitive[id$='-{talent.pk}-id_number']")
    expect(id_cell.locator(".masked")).to_have_text(masked)
    expect(page.locator("main")).not_to_contain_text(GOOD_ID)
    id_cell.get_by_placeholder("查看原因").fill(REASON)
    id_cell.get_by_role("button", name="查看完整").click()
    expect(id_cell.locator("strong")).to_have_text(GOOD_ID)
    expect(id_cell).to_contain_text("已记入审计日志")

    # 6. The reveal is in the audit log, on the page and in the database.
    nav.get_by_role("link", name="审计日志", exact=True).click()
    entry = page.locator("table.list tbody tr", has_text=f"原因：{REASON}")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("查看敏感信息")
    expect(entry).to_contain_text(admin.username)
    expect(entry).to_contain_text("苏明远")
    event = AuditEvent.objects.get(action=AuditEvent.Action.REVEAL)
    assert (event.user, event.object_type, event.object_id) == (admin, "talents.talent", str(talent.pk))
    assert event.detail == {"field": "id_number", "reason": REASON}
    assert event.allowed

    assert web.problems() == []
