"""A talent applies for the housing subsidy, two reviewers and an approver act, the notice list prints,
finance pays and the reconciliation page shows it: in Chromium."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from rencai.core.roles import Role
from rencai.funds.models import Level
from rencai.funds.services import fund_open
from rencai.policies.examples import load_examples
from rencai.policies.models import Application, Policy, PolicyVersion
from tests.browser.conftest import Web, give_authenticator, give_password, log_in
from tests.factories import CityFactory, TalentFactory, UserFactory, ZoneFactory

pytestmark = pytest.mark.browser


def _as(chromium: Any, web: Web, base: str, user: Any, device: Any = None) -> Any:
    """A separate browser for each person, logged in through the real pages."""
    context = chromium.new_context(base_url=base, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.on("response", lambda r: r.status >= 500 and web.server_errors.append(f"{r.status} {r.url}"))
    page.on("pageerror", lambda error: web.script_errors.append(str(error)))
    log_in(page, user, device)
    return page


def test_talent_applies_office_reviews_and_approves_finance_pays_and_reconciliation_shows_it(
        web: Web, chromium: Any, live_server: Any, tmp_path: Any) -> None:
    from playwright.sync_api import expect

    load_examples(Policy, PolicyVersion)  # a flush by an earlier browser test empties them
    zone = ZoneFactory(city=CityFactory(name="包头市"), name="稀土高新区", code="xitu")
    talent_user = UserFactory(username="wang_jg", display_name="王建国", role=Role.TALENT)
    TalentFactory(zone=zone, name="王建国", user=talent_user, degree="博士", employer="包头稀土研究院")
    staff = {name: UserFactory(username=name, display_name=label, role=role, zone=zone, city=zone.city)
             for name, label, role in [("chushen", "初审张", Role.REVIEWER), ("fushen", "复审刘", Role.REVIEWER),
                                       ("pizhun", "批准赵", Role.OFFICE_ADMIN), ("caiwu", "财务钱", Role.FINANCE)]}
    fund_open(year=timezone.localdate().year, level=Level.DISTRICT, zone=zone, budget=Decimal("10000000"),
              by=staff["pizhun"])
    devices = {}
    for user in [talent_user, *staff.values()]:
        give_password(user)
        if user.role != Role.TALENT:
            devices[user.username] = give_authenticator(user)

    # 1. The talent applies, with the purchase contract attached.
    page = web.page
    log_in(page, talent_user)
    page.get_by_role("navigation", name="功能区").get_by_role("link", name="政策兑现").click()
    page.get_by_role("link", name="人才购房补贴").click()
    page.get_by_role("link", name="申请").click()
    page.get_by_label("申请说明").fill("2025年在区内首次购房")
    contract = tmp_path / "购房合同.pdf"
    contract.write_bytes(b"%PDF-1.4 contract")
    page.get_by_label("申请材料").set_input_files(str(contract))
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("#status")).to_have_text("待初审")
    app = Application.objects.get()

    # 2. First and second review by two different reviewers; the second starts the public notice.
    for name, after in [("chushen", "待复审"), ("fushen", "待公示")]:
        office = _as(chromium, web, live_server.url, staff[name], devices[name])
        office.goto(f"/policies/applications/{app.pk}/")
        office.get_by_label("意见/理由").fill("材料齐全，符合第二条")
        office.get_by_role("button", name="审核通过").click()
        expect(office.locator("#status")).to_have_text(after)
    office.get_by_role("button", name="发起公示").click()
    expect(office.locator("#status")).to_have_text("公示中")

    # 3. The notice list prints.
    office.goto("/policies/notice/")
    expect(office.locator("#notice")).to_contain_text("王建国")
    expect(office.locator("#notice")).to_contain_text("人才购房补贴")
    office.emulate_media(media="print")
    expect(office.get_by_role("button", name="打印")).to_be_hidden()
    assert office.pdf()[:4] == b"%PDF"

    # 4. The notice period runs out; a reviewer may not approve, the approver does.
    Application.objects.filter(pk=app.pk).update(notice_until=timezone.localdate() - timedelta(days=1))
    approver = _as(chromium, web, live_server.url, staff["pizhun"], devices["pizhun"])
    approver.goto(f"/policies/applications/{app.pk}/")
    approver.get_by_label("依据条款").fill("第二条")
    approver.get_by_role("button", name="公示期满，批准").click()
    expect(approver.locator("#status")).to_have_text("已批准")

    # 4b. The talent confirms where the money goes (typed with spaces, as on the bank card); until then
    #     finance is not offered the instalment.
    page.goto("/policies/mine/")
    page.get_by_role("link", name="确认收款账户").click()
    page.get_by_label("开户行").fill("中国银行包头分行")
    page.get_by_label("银行账号").fill("6216 6100 0000 1234 567")
    page.get_by_role("button", name="确认").click()
    expect(page.locator("main")).to_contain_text("已确认")

    # 5. Finance pays it in a batch, then sees it on the reconciliation page.
    finance = _as(chromium, web, live_server.url, staff["caiwu"], devices["caiwu"])
    finance.goto("/policies/payments/")
    finance.get_by_label("选择 王建国").check()
    finance.get_by_role("button", name="支付所选并生成国库批次").click()
    expect(finance.locator("#batch")).to_contain_text("150000.00")
    finance.get_by_role("navigation", name="功能区").get_by_role("link", name="资金对账").click()
    expect(finance.locator("#by-policy")).to_contain_text("人才购房补贴")
    expect(finance.locator("#by-policy")).to_contain_text("150,000.00")
    expect(finance.locator("#by-fund")).to_contain_text("9,850,000.00")
    assert not web.problems(), web.problems()
    for other in (office, approver, finance):
        other.context.close()
