"""揭榜挂帅 in Chromium: the office publishes a 榜单, two teams bid, three experts score blind, 公示, the award,
one milestone accepted by the issuer, approved by the office, paid by finance and visible on the reconciliation
page."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from rencai.challenges import services
from rencai.challenges.models import Challenge, Milestone, MilestoneStatus, Status
from rencai.core.roles import Role
from rencai.funds.models import Level
from rencai.funds.services import fund_open
from tests.browser.conftest import Web, give_authenticator, give_password, log_in
from tests.factories import CityFactory, EnterpriseFactory, InstitutionFactory, TalentFactory, UserFactory, ZoneFactory

pytestmark = pytest.mark.browser
TODAY = timezone.localdate()


def _as(chromium: Any, web: Web, base: str, user: Any, device: Any = None) -> Any:
    context = chromium.new_context(base_url=base, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.on("response", lambda r: r.status >= 500 and web.server_errors.append(f"{r.status} {r.url}"))
    page.on("pageerror", lambda error: web.script_errors.append(str(error)))
    log_in(page, user, device)
    return page


def _button(page: Any, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).first.click()


def test_publish_bid_score_blind_notice_award_and_pay_a_milestone(web: Web, chromium: Any, live_server: Any) -> None:
    from playwright.sync_api import expect

    zone = ZoneFactory(city=CityFactory(name="包头市"), name="稀土高新区", code="xitu")
    issuer = EnterpriseFactory(zone=zone, name="包头稀土永磁材料有限公司")
    people = {name: UserFactory(username=name, display_name=label, role=role, zone=zone, city=zone.city)
              for name, label, role in [("fabang", "发榜办刘", Role.OFFICE_ADMIN),
                                        ("pingshen", "评审组织孙", Role.REVIEWER),
                                        ("juece", "决策赵", Role.OFFICE_ADMIN), ("caiwu", "财务钱", Role.FINANCE)]}
    ent_user = UserFactory(username="qiye", display_name="企业联系人", role=Role.ENTERPRISE)
    issuer.members.add(ent_user)
    team1 = UserFactory(username="wang_jg", display_name="王建国", role=Role.TALENT)
    TalentFactory(zone=zone, name="王建国", user=team1, employer="内蒙古科技大学")
    team2 = UserFactory(username="li_xm", display_name="李晓梅", role=Role.TALENT)
    TalentFactory(zone=zone, name="李晓梅", user=team2, employer="包头稀土研究院")
    experts = []
    for i in range(3):
        u = UserFactory(username=f"zhuanjia{i}", display_name=f"专家{i}", role=Role.EXPERT)
        TalentFactory(zone=zone, name=f"评审专家{i}", user=u, employer=f"北方研究院{i}",
                      institution=InstitutionFactory(name=f"外省大学{i}"))
        experts.append(u)
    fund = fund_open(year=TODAY.year, level=Level.DISTRICT, zone=zone, budget=Decimal("10000000"),
                     by=people["fabang"])
    devices = {}
    for user in [*people.values(), ent_user, team1, team2, *experts]:
        give_password(user)
        if user.role in (Role.OFFICE_ADMIN, Role.REVIEWER, Role.FINANCE):
            devices[user.username] = give_authenticator(user)
    challenge = services.challenge_create(challenge=Challenge(
        zone=zone, title="烧结钕铁硼磁体攻关", issuer_kind="enterprise", issuer_enterprise=issuer,
        problem="提升磁能积，降低重稀土用量", acceptance_criteria="第三方检测全部达标",
        kpis=[{"name": "磁能积", "target": "≥52", "unit": "MGOe"}], cap=Decimal("2000000"),
        deadline=TODAY + timedelta(days=20), panel_size=3), by=people["fabang"])
    base = live_server.url

    # 1. The office publishes it; it appears on the public page without log-in.
    office = _as(chromium, web, base, people["fabang"], devices["fabang"])
    office.goto(f"/challenges/{challenge.pk}/")
    _button(office, "发布榜单")
    expect(office.locator("#status")).to_have_text("揭榜中")
    web.page.goto("/challenges/open/")
    expect(web.page.get_by_role("link", name="烧结钕铁硼磁体攻关")).to_be_visible()

    # 2. Two teams bid through the form.
    for user, lead, unit, budget in ((team1, "王建国", "内蒙古科技大学", "1500000"),
                                     (team2, "李晓梅", "包头稀土研究院", "1400000")):
        page = _as(chromium, web, base, user)
        page.goto("/challenges/open/")
        page.get_by_role("link", name="烧结钕铁硼磁体攻关").click()
        page.get_by_role("link", name="我要揭榜").click()
        page.locator("[name=lead_name]").fill(lead)
        page.locator("[name=unit]").fill(unit)
        page.locator("[name=route]").fill(f"{lead}团队的晶界扩散技术路线")
        page.locator("[name=plan_text]").fill("中试样品|2027-06-30|检测报告|40\n批量验证|2027-12-31|验收报告|60")
        page.locator("[name=budget]").fill(budget)
        page.locator("[name=commitment]").fill("按期完成全部指标")
        _button(page, "保存并提交")
        expect(page.locator("#bid-status")).to_have_text("已提交")
        page.context.close()

    # 3. The deadline passes; the reviewer closes, draws the panel and opens the review.
    Challenge.objects.filter(pk=challenge.pk).update(deadline=TODAY - timedelta(days=1))
    reviewer = _as(chromium, web, base, people["pingshen"], devices["pingshen"])
    reviewer.goto(f"/challenges/{challenge.pk}/")
    _button(reviewer, "揭榜截止")
    expect(reviewer.locator("#status")).to_have_text("已截止")
    reviewer.locator("[name=seed]").fill("2026")
    _button(reviewer, "抽取评审专家")
    expect(reviewer.get_by_text("已抽取 3 位专家（随机种子 2026）")).to_be_visible()
    _button(reviewer, "开始评审")
    expect(reviewer.locator("#status")).to_have_text("评审中")

    # 4. Three experts score blind: they never see the teams.
    for expert in experts:
        page = _as(chromium, web, base, expert)
        page.goto("/challenges/review/")
        for code, points in (("A", "90"), ("B", "80")):
            page.get_by_role("link", name=f"方案{code}").click()
            content = page.content()
            assert "王建国" not in content and "李晓梅" not in content and "内蒙古科技大学" not in content
            for field in page.locator("input[name^=item_]").all():
                field.fill(points)
            page.locator("[name=defence]").fill(points)
            _button(page, "保存评分")
            expect(page.get_by_text(f"方案{code}的评分已保存")).to_be_visible()
        page.context.close()

    # 5. 公示: the list is public; the window runs out.
    reviewer.reload()
    _button(reviewer, "发布公示")
    expect(reviewer.locator("#status")).to_have_text("公示中")
    web.page.goto(f"/challenges/open/{challenge.pk}/notice/")
    expect(web.page.locator("#notice")).to_contain_text("王建国")
    Challenge.objects.filter(pk=challenge.pk).update(notice_until=TODAY - timedelta(days=1))

    # 6. An office admin who did not review decides: team A wins, tranches reserved in the fund.
    decider = _as(chromium, web, base, people["juece"], devices["juece"])
    decider.goto(f"/challenges/{challenge.pk}/")
    decider.get_by_role("link", name="决定立项").click()
    a = challenge.bids.get(code="A")
    decider.locator(f"[name=win_{a.pk}]").check()
    decider.locator(f"[name=amount_{a.pk}]").fill("1500000")
    decider.locator("[name=fund]").select_option(str(fund.pk))
    _button(decider, "决定立项")
    expect(decider.locator("#status")).to_have_text("已立项")
    assert Challenge.objects.get(pk=challenge.pk).status == Status.AWARDED

    # 7. The team reports milestone 1, the issuer accepts it, the office approves, finance pays.
    ms = Milestone.objects.get(award__bid=a, seq=1)
    award_url = f"/challenges/awards/{ms.award_id}/"
    page = _as(chromium, web, base, team1 if a.submitted_by_id == team1.pk else team2)
    page.goto(award_url)
    page.locator("[name=report]").first.fill("中试样品磁能积 53 MGOe")
    _button(page, "提交完成情况")
    issuer_page = _as(chromium, web, base, ent_user)
    issuer_page.goto(award_url)
    _button(issuer_page, "发榜方验收通过")
    office.goto(award_url)
    _button(office, "人才办审核通过")
    finance = _as(chromium, web, base, people["caiwu"], devices["caiwu"])
    finance.goto(award_url)
    _button(finance, "支付")
    expect(finance.locator("#milestones")).to_contain_text("已支付")
    assert Milestone.objects.get(pk=ms.pk).status == MilestoneStatus.PAID
    finance.goto("/funds/")
    # the category line of the reconciliation: committed 900,000 (tranche 2), paid 600,000 (tranche 1)
    expect(finance.get_by_role("row", name="揭榜挂帅 900,000.00 600,000.00")).to_be_visible()
    assert not web.problems(), web.problems()
