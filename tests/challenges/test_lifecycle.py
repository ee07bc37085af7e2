"""The life of a 榜单 and its bids: illegal moves refused in Chinese, bids frozen at the deadline, scores bound
to the version they scored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from rencai.challenges import services
from rencai.challenges.lifecycles import AWARD, BID, CHALLENGE, MILESTONE
from rencai.challenges.models import Bid, BidStatus, BidVersion, Challenge, Score, Status
from rencai.core.lifecycle import lifecycles
from tests.challenges.conftest import TODAY, award, bid, close, make_challenge, reviewed
from tests.conftest import verified_client


def _refusal(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return "；".join(exc.value.messages)


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_the_four_lifecycles_are_declared_for_the_generic_check():
    keys = {lc.key for lc in lifecycles()}
    assert {"challenges.challenge", "challenges.bid", "challenges.award", "challenges.milestone"} <= keys


@pytest.mark.parametrize("lifecycle", [CHALLENGE, BID, AWARD, MILESTONE], ids=lambda lc: lc.key)
def test_every_move_not_in_the_table_is_refused_in_chinese(lifecycle):
    class Record:
        def __str__(self) -> str:
            return "测试记录"

    for state in lifecycle.states.values:
        obj = Record()
        setattr(obj, lifecycle.field, state)
        for move in lifecycle.moves:
            if not move.leaves(state):
                reason = lifecycle.refusal(obj, move.name, None)
                assert reason and _has_chinese(reason), (state, move.name)
                assert "当前为" in reason


def test_publishing_a_draft_without_kpis_is_refused_with_the_reason(world):
    challenge = make_challenge(world, publish=False)
    Challenge.objects.filter(pk=challenge.pk).update(kpis=[])
    with pytest.raises(ValidationError) as exc:
        services.challenge_move(challenge=Challenge.objects.get(pk=challenge.pk), move="publish", by=world.admin)
    assert "至少填写一项可考核的指标" in _refusal(exc)
    assert Challenge.objects.get(pk=challenge.pk).status == Status.DRAFT


def test_an_issuer_submits_and_the_office_returns_it_for_changes_with_a_reason(world):
    challenge = make_challenge(world, publish=False)
    services.challenge_move(challenge=challenge, move="submit", by=world.enterprise_user)
    with pytest.raises(ValidationError) as exc:
        services.challenge_move(challenge=challenge, move="return", by=world.admin)
    assert "必须填写原因" in _refusal(exc)
    services.challenge_move(challenge=challenge, move="return", by=world.admin, reason="指标不可量化")
    assert Challenge.objects.get(pk=challenge.pk).status == Status.DRAFT


def test_another_enterprise_cannot_submit_someone_elses_challenge(world):
    challenge = make_challenge(world, publish=False)
    with pytest.raises(ValidationError) as exc:
        services.challenge_move(challenge=challenge, move="submit", by=world.enterprise_b_user)
    assert "只有发榜方或人才办" in _refusal(exc)


def test_closing_before_the_deadline_and_awarding_a_draft_are_refused(world):
    challenge = make_challenge(world)
    with pytest.raises(ValidationError) as exc:
        services.challenge_move(challenge=challenge, move="close", by=world.admin)
    assert "还未到" in _refusal(exc)
    with pytest.raises(ValidationError) as exc:
        services.challenge_move(challenge=challenge, move="notice", by=world.admin)
    assert "当前为揭榜中，不能发布公示" in _refusal(exc)


def test_a_bid_changed_after_the_deadline_is_refused_and_the_frozen_version_stays(world):
    challenge = make_challenge(world)
    b = bid(challenge, world.talent_user, lead="王建国", unit="内蒙古科技大学")
    close(challenge, world.admin)
    assert Bid.objects.get(pk=b.pk).status == BidStatus.FROZEN
    with pytest.raises(ValidationError) as exc:
        services.bid_save(challenge=challenge, by=world.talent_user, lead_name="王建国", unit="内蒙古科技大学",
                          route="截止后改的路线", budget="1000000", commitment="改")
    assert "截止揭榜" in _refusal(exc)
    assert list(BidVersion.objects.filter(bid=b).values_list("route", flat=True)) == [
        "王建国团队：晶界扩散 + 双合金法技术路线"]


def test_a_bid_saved_on_the_deadline_day_after_it_passed_is_refused_even_while_still_published(world):
    challenge = make_challenge(world)
    b = bid(challenge, world.talent_user, lead="王建国", unit="内蒙古科技大学", submit=False)
    Challenge.objects.filter(pk=challenge.pk).update(deadline=TODAY - timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        services.bid_move(bid=b, move="submit", by=world.talent_user)
    assert "截止揭榜" in _refusal(exc)


def test_a_version_once_saved_cannot_be_changed(world):
    challenge = make_challenge(world)
    b = bid(challenge, world.talent_user, lead="王建国", unit="内蒙古科技大学")
    version = b.versions.get()
    version.route = "偷偷修改"
    with pytest.raises(ValidationError):
        version.save()


def test_each_save_before_the_deadline_is_a_new_version_and_the_score_is_bound_to_the_frozen_one(world):
    challenge = make_challenge(world)
    b = bid(challenge, world.talent_user, lead="王建国", unit="内蒙古科技大学")
    services.bid_save(challenge=challenge, by=world.talent_user, lead_name="王建国", unit="内蒙古科技大学",
                      route="第二版技术路线", budget="1400000", commitment="按期完成")
    assert list(b.versions.values_list("number", flat=True)) == [1, 2]
    from tests.challenges.conftest import experts

    experts(world, 3)
    close(challenge, world.admin)
    services.panel_draw(challenge=challenge, by=world.admin, seed=7)
    services.challenge_move(challenge=challenge, move="review", by=world.admin)
    assignment = challenge.assignments.first()
    score = services.score_submit(assignment=assignment, by=assignment.expert, items={"技术路线": 80, "团队能力": 70},
                                  defence=90)
    assert score.version.number == 2 and score.version.route == "第二版技术路线"
    # 80×0.6 + 70×0.4 = 76; with the defence at 30%: 76×0.7 + 90×0.3 = 80.2
    assert str(score.rubric_total) == "76.00" and str(score.total) == "80.20"
    with pytest.raises(Exception):  # noqa: B017, PT011 - the database refuses to drop a scored version
        BidVersion.objects.filter(pk=score.version_id).delete()
    assert Score.objects.get(pk=score.pk).version_id == score.version_id


def test_an_expert_cannot_score_a_bid_not_assigned_to_them(world):
    r_challenge = make_challenge(world)
    bid(r_challenge, world.talent_user, lead="王建国", unit="内蒙古科技大学")
    from tests.challenges.conftest import experts

    users = experts(world, 4)
    close(r_challenge, world.admin)
    services.panel_draw(challenge=r_challenge, by=world.admin, seed=3)
    services.challenge_move(challenge=r_challenge, move="review", by=world.admin)
    drawn = {m.user_id for m in r_challenge.panel.all()}
    outsider = next(u for u in users if u.pk not in drawn)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.score_submit(assignment=r_challenge.assignments.first(), by=outsider,
                              items={"技术路线": 1, "团队能力": 1})


def test_the_decision_is_refused_to_who_ran_the_review_and_to_a_panel_member(world, fund):
    r = reviewed(world)
    with pytest.raises(ValidationError) as exc:
        services.challenge_award(challenge=r.challenge, fund=fund, by=world.reviewer, winners=[
            services.Winner(bid=r.bids[0], amount=1000000, tranches=[])])
    assert "决定立项" in _refusal(exc) or "参与评审" in _refusal(exc)


def test_the_decision_waits_for_the_notice_window_and_open_objections(world, fund):
    r = reviewed(world)
    Challenge.objects.filter(pk=r.challenge.pk).update(notice_until=TODAY + timedelta(days=2))
    services.objection_file(challenge=r.challenge, by=world.enterprise_b_user, text="评分有误")
    with pytest.raises(ValidationError) as exc:
        award(world, r, fund)
    assert "公示期至" in _refusal(exc)
    Challenge.objects.filter(pk=r.challenge.pk).update(notice_until=TODAY - timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        award(world, r, fund)
    assert "未处理的异议" in _refusal(exc)
    services.objection_resolve(objection=r.challenge.objections.get(), by=world.admin, resolution="经复核评分无误")
    awards = award(world, r, fund)
    assert len(awards) == 1 and awards[0].task_book_number.endswith("号")
    assert Challenge.objects.get(pk=r.challenge.pk).status == Status.AWARDED
    assert Bid.objects.get(pk=r.bids[1].pk).status == BidStatus.LOST


def test_tranche_percentages_must_add_up_to_100(world, fund):
    from decimal import Decimal

    r = reviewed(world)
    bad = [services.Tranche("一期", TODAY, "报告", Decimal("40")),
           services.Tranche("二期", TODAY, "报告", Decimal("50"))]
    with pytest.raises(ValidationError) as exc:
        services.challenge_award(challenge=r.challenge, fund=fund, by=world.city_admin,
                                 winners=[services.Winner(bid=r.bids[0], amount=Decimal("1000000"), tranches=bad)])
    assert "合计应为 100%" in _refusal(exc)
    assert Challenge.objects.get(pk=r.challenge.pk).status == Status.NOTICE
    assert not fund.commitments.exists()


def test_a_single_winner_challenge_takes_one_team_only(world, fund):
    r = reviewed(world)
    with pytest.raises(ValidationError) as exc:
        award(world, r, fund, amounts=("1000000", "900000"))
    assert "最多立项 1 个团队" in _refusal(exc)


def test_a_challenge_made_from_a_need_keeps_the_link_and_cannot_be_published_until_completed(world):
    from tests.factories import NeedFactory

    need = NeedFactory(enterprise=world.enterprise, title="磁材晶界扩散工艺攻关", description="重稀土用量过高")
    client = verified_client(world.enterprise_user)
    response = client.post(f"/challenges/from-need/{need.pk}/")
    assert response.status_code == 302
    c = Challenge.objects.get(need=need)
    assert c.issuer_enterprise == world.enterprise and c.problem == "重稀土用量过高"
    assert c.zone == world.enterprise.zone
    with pytest.raises(ValidationError) as exc:
        services.challenge_move(challenge=c, move="publish", by=world.admin)
    assert "可考核的指标" in _refusal(exc) and "验收标准" in _refusal(exc)


def test_the_daily_job_closes_past_deadlines_and_reminds_teams_once(world, fund):
    from rencai.core.models import Notice

    c = make_challenge(world)
    bid(c, world.talent_user, lead="王建国", unit="内蒙古科技大学")
    Challenge.objects.filter(pk=c.pk).update(deadline=TODAY - timedelta(days=1))
    summary = services.daily(TODAY)
    assert summary["closed"] == 1 and Challenge.objects.get(pk=c.pk).status == Status.CLOSED
    r = reviewed(world, experts_prefix="日常专家")
    (a,) = award(world, r, fund)
    first = a.milestones.get(seq=1)
    day = first.due - timedelta(days=3)
    assert services.daily(day)["reminded"] == 1
    assert services.daily(day)["reminded"] == 0  # the same reminder is not sent twice
    assert Notice.objects.filter(recipient=a.bid.submitted_by, kind="challenges.reminder").count() == 1
