"""Money of 揭榜挂帅 through the fund ledger: tranches reserved at award, paid once after the issuer accepts
and the office approves (by different people), a stopped team's unpaid tranches released with the reason, and
the fund's reconciliation agreeing to the yuan. The same rules run on SQLite here; tests/challenges/test_money_pg.py
races them on PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from rencai.challenges import services
from rencai.challenges.models import Award, AwardStatus, Milestone, MilestoneStatus, Mode
from rencai.funds.models import AccountKind, Commitment, Fund, Payment
from rencai.funds.selectors import reconciliation
from tests.challenges.conftest import award, reviewed


def _accept_and_approve(world, ms: Milestone) -> Milestone:  # noqa: ANN001
    services.milestone_move(milestone=ms, move="submit", by=ms.award.bid.submitted_by, report="样品已检测合格")
    services.milestone_move(milestone=ms, move="issuer_accept", by=world.enterprise_user)
    return services.milestone_move(milestone=ms, move="approve", by=world.admin)


def test_tranches_are_reserved_at_award_and_add_up_to_the_award(world, fund):
    r = reviewed(world)
    (a,) = award(world, r, fund, amounts=("1500000.01",))
    amounts = [ms.amount for ms in a.milestones.order_by("seq")]
    assert amounts == [Decimal("600000.00"), Decimal("900000.01")] and sum(amounts) == a.amount
    assert fund.balance(AccountKind.COMMITTED) == sum(ms.public_amount for ms in a.milestones.all())
    assert all(ms.commitment.status == Commitment.Status.OPEN for ms in a.milestones.all())


def test_an_award_beyond_the_fund_is_refused_and_nothing_is_reserved(world):
    from tests.challenges.conftest import open_fund

    small = open_fund(world, budget="1000000")
    r = reviewed(world)
    with pytest.raises(ValidationError):
        award(world, r, small, amounts=("1500000",))
    assert not Award.objects.exists() and not small.commitments.exists()
    assert small.balance(AccountKind.AVAILABLE) == Decimal("1000000.00")


def test_a_milestone_is_paid_only_after_issuer_acceptance_and_office_approval_by_different_people(world, fund):
    r = reviewed(world)
    (a,) = award(world, r, fund)
    ms = a.milestones.get(seq=1)
    with pytest.raises(ValidationError) as exc:
        services.milestone_pay(milestone=ms, by=world.finance, idempotency_key="k1")
    assert "当前为进行中，不能支付" in "".join(exc.value.messages)
    services.milestone_move(milestone=ms, move="submit", by=world.talent_user, report="样品已检测合格")
    with pytest.raises(ValidationError) as exc:  # another enterprise is not the end user
        services.milestone_move(milestone=ms, move="issuer_accept", by=world.enterprise_b_user)
    assert "只有发榜方" in "".join(exc.value.messages)
    services.milestone_move(milestone=ms, move="issuer_accept", by=world.enterprise_user)
    services.milestone_move(milestone=ms, move="approve", by=world.admin)
    ms = services.milestone_pay(milestone=ms, by=world.finance, idempotency_key="k1")
    assert ms.status == MilestoneStatus.PAID and ms.payment.amount == Decimal("420000.00")  # the 70 % public part
    with pytest.raises(ValidationError):
        services.milestone_pay(milestone=ms, by=world.finance, idempotency_key="k2")
    assert Payment.objects.count() == 1
    assert fund.balance(AccountKind.PAID) == Decimal("420000.00")


def test_the_office_user_who_accepted_for_a_bureau_issuer_cannot_also_approve(world, fund):
    from rencai.challenges.models import Challenge

    r = reviewed(world)
    Challenge.objects.filter(pk=r.challenge.pk).update(issuer_kind="bureau", issuer_enterprise=None)
    (a,) = award(world, r, fund)
    ms = a.milestones.get(seq=1)
    services.milestone_move(milestone=ms, move="submit", by=world.talent_user, report="完成")
    services.milestone_move(milestone=ms, move="issuer_accept", by=world.admin)
    with pytest.raises(ValidationError) as exc:
        services.milestone_move(milestone=ms, move="approve", by=world.admin)
    assert "不能同时审核拨付" in "".join(exc.value.messages)


def test_finance_cannot_pay_what_it_approved_and_only_finance_pays(world, fund):
    r = reviewed(world)
    (a,) = award(world, r, fund)
    ms = _accept_and_approve(world, a.milestones.get(seq=1))
    with pytest.raises(ValidationError) as exc:
        services.milestone_pay(milestone=ms, by=world.admin, idempotency_key="x")
    assert "只有财务人员" in "".join(exc.value.messages)


def test_a_stopped_race_team_has_its_unpaid_tranches_released_and_the_reconciliation_agrees(world, fund):
    r = reviewed(world, mode=Mode.RACE, race_teams=2)
    a1, a2 = award(world, r, fund, amounts=("1500000", "1200000"))
    first = _accept_and_approve(world, a1.milestones.get(seq=1))
    services.milestone_pay(milestone=first, by=world.finance, idempotency_key="race-1")
    services.stage_gate(award=a1, decision="continue", reason="中试达标", by=world.admin)
    gate = services.stage_gate(award=a2, decision="stop", reason="阶段评估未达标，终止资助", by=world.admin)
    assert gate.released == Decimal("840000.00")  # 70 % of 1,200,000: the fund's part
    assert Award.objects.get(pk=a2.pk).status == AwardStatus.STOPPED
    released = a2.milestones.all()
    assert {m.status for m in released} == {MilestoneStatus.RELEASED}
    assert {m.release_reason for m in released} == {"阶段评估未达标，终止资助"}
    assert {m.commitment.status for m in released} == {Commitment.Status.RELEASED}
    # the ledger carries the 70 % public part: 10,000,000 budget; 420,000 paid; 630,000 still committed for team 1
    fund = Fund.objects.get(pk=fund.pk)
    assert fund.balance(AccountKind.PAID) == Decimal("420000.00")
    assert fund.balance(AccountKind.COMMITTED) == Decimal("630000.00")
    assert fund.balance(AccountKind.AVAILABLE) == Decimal("8950000.00")
    rec = reconciliation(Fund.objects.filter(pk=fund.pk))
    assert rec.total.budget == Decimal("10000000.00")
    assert rec.total.committed == Decimal("630000.00") and rec.total.paid == Decimal("420000.00")
    line = next(c for c in rec.categories if c.label == "揭榜挂帅")
    assert line.committed == Decimal("630000.00") and line.paid == Decimal("420000.00")
    with pytest.raises(ValidationError):  # a stopped team's milestone can no longer be submitted
        services.milestone_move(milestone=a2.milestones.get(seq=1), move="submit", by=world.enterprise_b_user,
                                report="x")


def test_a_merged_team_is_only_possible_in_a_race_and_into_an_active_team(world, fund):
    r = reviewed(world)
    (a,) = award(world, r, fund)
    with pytest.raises(ValidationError) as exc:
        services.stage_gate(award=a, decision="merge", reason="合并", by=world.admin, merged_into=a)
    assert "赛马制" in "".join(exc.value.messages)


def test_final_acceptance_records_each_kpi_against_its_target_once_all_tranches_are_settled(world, fund):
    r = reviewed(world)
    (a,) = award(world, r, fund)
    results = [{"name": "磁能积", "target": "≥52", "result": "53.1", "met": True},
               {"name": "重稀土用量", "target": "≤1", "result": "0.8", "met": True}]
    with pytest.raises(ValidationError) as exc:
        services.award_accept(award=a, by=world.admin, kpi_results=results, opinion="通过")
    assert "未完成的里程碑" in "".join(exc.value.messages)
    for n, ms in enumerate(a.milestones.order_by("seq")):
        ms = _accept_and_approve(world, ms)
        services.milestone_pay(milestone=ms, by=world.finance, idempotency_key=f"acc-{n}")
    with pytest.raises(ValidationError) as exc:
        services.award_accept(award=a, by=world.admin, kpi_results=results[:1], opinion="通过")
    assert "重稀土用量" in "".join(exc.value.messages)
    a = services.award_accept(award=a, by=world.admin, kpi_results=results, opinion="全部指标达标，同意验收",
                              patents=2, products=1, problems_solved=1)
    assert a.status == AwardStatus.ACCEPTED and a.patents == 2
    from rencai.challenges import papers

    opinion = papers.acceptance_opinion(a)
    assert "磁能积：目标 ≥52，完成 53.1，达标" in "".join(opinion.paragraphs)
    assert papers.docx_bytes(opinion)[:2] == b"PK" and papers.pdf_bytes(opinion)[:4] == b"%PDF"
    assert Fund.objects.get(pk=fund.pk).balance(AccountKind.PAID) == sum(m.public_amount for m in a.milestones.all())


def test_only_the_government_share_is_reserved_and_paid_from_the_fund(world, fund):
    """The demo 榜单 is co-funded 70 % by the zone and 30 % by the issuing enterprise: the fund carries 70 % of
    every tranche; the enterprise's 30 % is shown on the milestone and never booked in the government ledger."""
    r = reviewed(world)
    assert services.government_share(r.challenge) == Decimal("70")
    (a,) = award(world, r, fund, amounts=("1500000.01",))
    milestones = list(a.milestones.order_by("seq"))
    assert [m.amount for m in milestones] == [Decimal("600000.00"), Decimal("900000.01")]
    assert [m.public_amount for m in milestones] == [Decimal("420000.00"), Decimal("630000.01")]
    assert [m.enterprise_amount for m in milestones] == [Decimal("180000.00"), Decimal("270000.00")]
    assert fund.balance(AccountKind.COMMITTED) == Decimal("1050000.01") == sum(m.public_amount for m in milestones)
    ms = services.milestone_pay(milestone=_accept_and_approve(world, milestones[0]), by=world.finance,
                                idempotency_key="gov-1")
    assert ms.payment.amount == Decimal("420000.00") == fund.balance(AccountKind.PAID)


def test_a_challenge_funded_by_enterprises_alone_books_nothing_in_the_fund(world, fund):
    from rencai.challenges.models import CoFunder

    r = reviewed(world)
    CoFunder.objects.filter(challenge=r.challenge).update(kind=CoFunder.Kind.ENTERPRISE)
    (a,) = award(world, r, fund)
    assert not fund.commitments.exists() and fund.balance(AccountKind.COMMITTED) == 0
    ms = services.milestone_pay(milestone=_accept_and_approve(world, a.milestones.get(seq=1)), by=world.finance,
                                idempotency_key="ent-1")
    assert ms.status == MilestoneStatus.PAID and ms.payment is None and not Payment.objects.exists()


def test_the_task_book_says_which_part_of_each_tranche_is_public_money(world, fund):
    from rencai.challenges import papers

    (a,) = award(world, reviewed(world), fund)
    text = "".join(papers.task_book(a).paragraphs)
    assert "拨付 40.00%（600000.00 元，其中财政资金 420000.00 元、出资企业自筹 180000.00 元）" in text
