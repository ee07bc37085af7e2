"""The pages people use, through the real views: the public page and its .xlsx, the bid form, the expert's
scoring form, the office's page, the 公示 page, the award form, milestones paid, the task book on paper."""

from __future__ import annotations

import io

from django.test import Client
from openpyxl import load_workbook

from rencai.challenges.models import Assignment, Award, Bid, Challenge, Milestone, MilestoneStatus, Status
from tests.challenges.conftest import close, experts, make_challenge, reviewed
from tests.conftest import verified_client


def test_the_public_page_lists_published_challenges_without_log_in_and_as_xlsx(world):
    make_challenge(world, title="公开的磁材榜单")
    make_challenge(world, title="还在草稿的榜单", publish=False)
    page = Client().get("/challenges/open/").content.decode()
    assert "公开的磁材榜单" in page and "还在草稿的榜单" not in page
    response = Client().get("/challenges/open.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    values = [c for row in book.active.iter_rows(values_only=True) for c in row]
    assert "公开的磁材榜单" in values and "还在草稿的榜单" not in values
    draft = Challenge.objects.get(title="还在草稿的榜单")
    assert Client().get(f"/challenges/open/{draft.pk}/").status_code == 404


def test_the_office_creates_a_challenge_with_kpis_and_cofunders_through_the_form(world):
    client = verified_client(world.admin)
    response = client.post("/challenges/new/", {
        "zone": world.zone_a.pk, "title": "表单新建榜单", "issuer_kind": "enterprise",
        "issuer_enterprise": world.enterprise.pk, "problem": "问题描述", "acceptance_criteria": "检测达标",
        "cap": "1000000", "deadline": "2099-12-31", "eligibility": "不限", "mode": "single", "race_teams": 1,
        "blind": "on", "defence_weight": "30", "panel_size": 3, "notice_days": 5,
        "kpis_text": "磁能积|≥52|MGOe\n矫顽力|≥20|kOe", "cofunders_text": "稀土高新区|政府|60\n包头稀土|企业|40"})
    assert response.status_code == 302, response.content.decode()[:2000]
    c = Challenge.objects.get(title="表单新建榜单")
    assert [k["name"] for k in c.kpis] == ["磁能积", "矫顽力"] and c.cofunders.count() == 2
    client.post(f"/challenges/{c.pk}/move/", {"move": "publish"})
    assert Challenge.objects.get(pk=c.pk).status == Status.PUBLISHED


def test_a_talent_bids_through_the_form_and_after_the_deadline_the_form_refuses(world):
    c = make_challenge(world)
    client = verified_client(world.talent_user)
    data = {"lead_name": "王建国", "unit": "内蒙古科技大学", "members_text": "赵志强|内蒙古农业大学|测试",
            "route": "晶界扩散", "plan_text": "样品|2027-06-30|报告|40\n验收|2027-12-31|报告|60",
            "budget": "1500000", "commitment": "保证完成", "submit": "1"}
    response = client.post(f"/challenges/open/{c.pk}/bid/", data)
    assert response.status_code == 302
    b = Bid.objects.get(challenge=c)
    assert b.status == "submitted" and b.members.get().name == "赵志强"
    close(c, world.admin)
    response = client.post(f"/challenges/open/{c.pk}/bid/", {**data, "route": "改过的"})
    assert response.status_code == 200 and "截止揭榜" in response.content.decode()
    assert b.versions.count() == 1


def test_an_expert_scores_through_the_page_and_the_office_sees_the_ranking_and_the_score_sheet(world):
    c = make_challenge(world)
    from tests.challenges.conftest import bid

    bid(c, world.talent_user, lead="王建国", unit="内蒙古科技大学")
    experts(world, 3)
    c = close(c, world.admin)
    office = verified_client(world.admin)
    office.post(f"/challenges/{c.pk}/draw/", {"seed": "99"})
    office.post(f"/challenges/{c.pk}/move/", {"move": "review"})
    assert Challenge.objects.get(pk=c.pk).status == Status.REVIEWING
    for a in Assignment.objects.filter(challenge=c):
        response = verified_client(a.expert).post(f"/challenges/review/assignments/{a.pk}/",
                                                  {"item_0": "80", "item_1": "90", "defence": "85", "comment": "好"})
        assert response.status_code == 302
    page = office.get(f"/challenges/{c.pk}/").content.decode()
    assert "评审排名" in page and "84.30" in page  # (80×0.6 + 90×0.4) = 84; 84×0.7 + 85×0.3 = 84.30
    sheet = office.get(f"/challenges/{c.pk}/scores.xlsx")
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_notice_page_award_form_milestone_payment_and_task_book(world, fund):
    r = reviewed(world)
    notice = Client().get(f"/challenges/open/{r.challenge.pk}/notice/").content.decode()
    assert "王建国" in notice and "李晓梅" in notice
    assert Client().get(f"/challenges/open/{r.challenge.pk}/notice.xlsx").status_code == 200
    decider = verified_client(world.city_admin)
    top = r.bids[0]
    response = decider.post(f"/challenges/{r.challenge.pk}/award/", {
        "fund": fund.pk, f"win_{top.pk}": "1", f"amount_{top.pk}": "1000000",
        f"plan_{top.pk}": "样品|2027-06-30|报告|40\n验收|2027-12-31|报告|60"})
    assert response.status_code == 302
    a = Award.objects.get()
    ms = a.milestones.get(seq=1)
    verified_client(world.talent_user).post(f"/challenges/milestones/{ms.pk}/move/", {"move": "submit",
                                                                                     "report": "样品完成"})
    verified_client(world.enterprise_user).post(f"/challenges/milestones/{ms.pk}/move/", {"move": "issuer_accept"})
    verified_client(world.admin).post(f"/challenges/milestones/{ms.pk}/move/", {"move": "approve"})
    finance = verified_client(world.finance)
    finance.post(f"/challenges/milestones/{ms.pk}/pay/", {"key": "abc"})
    finance.post(f"/challenges/milestones/{ms.pk}/pay/", {"key": "abc"})  # a double click
    assert Milestone.objects.get(pk=ms.pk).status == MilestoneStatus.PAID
    reconciliation = finance.get("/funds/").content.decode()
    assert "揭榜挂帅" in reconciliation and "400000.00" in reconciliation  # tranche 1: 40% of 1,000,000
    docx = decider.get(f"/challenges/awards/{a.pk}/taskbook.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    pdf = decider.get(f"/challenges/awards/{a.pk}/taskbook.pdf")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    timeline = decider.get(f"/challenges/{r.challenge.pk}/timeline/").content.decode()
    for label in ("发布榜单", "揭榜截止", "发布公示", "决定立项", "支付"):
        assert label in timeline
