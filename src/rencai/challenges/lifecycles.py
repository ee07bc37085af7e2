"""The lives of a 榜单, a bid, an award and a milestone, as tables of moves on the core lifecycle.

Separation of duties is a guard on the move, as in policies: whoever decides the award neither scored a bid
nor ran the review; the office user who approves a milestone is not the one who accepted it for the issuer;
finance never pays a milestone it approved (checked in `milestone_pay`).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from rencai.challenges.models import (
    Award,
    AwardStatus,
    Bid,
    BidStatus,
    Challenge,
    IssuerKind,
    Milestone,
    MilestoneStatus,
    Score,
    Status,
)
from rencai.core.lifecycle import SYSTEM, Lifecycle, Move, history_for
from rencai.core.roles import REGISTER_WRITERS, Role

OFFICE = REGISTER_WRITERS  # 人才办管理员、审核员
DECIDERS = frozenset({Role.OFFICE_ADMIN})
BIDDERS = frozenset({Role.TALENT, Role.ENTERPRISE})
ISSUERS = frozenset({Role.ENTERPRISE, Role.BUREAU}) | OFFICE
PAYERS = frozenset({Role.FINANCE})
S = Status
B = BidStatus
M = MilestoneStatus


def deciders(obj: Any, *moves: str) -> set[int]:
    return set(history_for(obj).filter(move__in=moves).exclude(by=None).values_list("by_id", flat=True))


# --- 榜单 -----------------------------------------------------------------------------------------------


def is_issuer(challenge: Challenge, user: Any) -> bool:
    if user is None:
        return False
    if challenge.issuer_kind == IssuerKind.ENTERPRISE and challenge.issuer_enterprise_id:
        return (user.role == Role.ENTERPRISE and challenge.issuer_enterprise is not None
                and challenge.issuer_enterprise.members.filter(pk=user.pk).exists())
    if challenge.issuer_kind == IssuerKind.BUREAU and challenge.issuer_bureau_id:
        return user.role == Role.BUREAU and user.bureau_id == challenge.issuer_bureau_id
    return False


def _issuer_or_office(challenge: Challenge, user: Any) -> str | None:
    if user is not None and (user.role in OFFICE or is_issuer(challenge, user)):
        return None
    return "只有发榜方或人才办可以提交该榜单"


def _ready_to_publish(challenge: Challenge, user: Any) -> str | None:
    from rencai.challenges.services import publish_problems

    problems = publish_problems(challenge)
    return "榜单还不能发布：" + "；".join(problems) if problems else None


def _deadline_passed(challenge: Challenge, user: Any) -> str | None:
    if timezone.localdate() <= challenge.deadline:
        return f"揭榜截止日期 {challenge.deadline:%Y-%m-%d} 还未到，不能截止"
    return None


def _panel_drawn(challenge: Challenge, user: Any) -> str | None:
    if not challenge.panel.exists():
        return "尚未抽取评审专家，不能开始评审"
    if not challenge.bids.filter(status=B.FROZEN).exists():
        return "没有已封存的揭榜方案，不能开始评审"
    return None


def _all_scored(challenge: Challenge, user: Any) -> str | None:
    missing = challenge.assignments.filter(score__isnull=True).count()
    if missing:
        return f"还有 {missing} 份评审任务未打分，不能公示"
    if not challenge.assignments.exists():
        return "还没有评审任务，不能公示"
    return None


def _may_decide(challenge: Challenge, user: Any) -> str | None:
    if challenge.notice_until and timezone.localdate() <= challenge.notice_until:
        return f"公示期至 {challenge.notice_until:%Y-%m-%d}，期满后才能立项"
    if challenge.objections.filter(resolved_by__isnull=True).exists():
        return "公示期内有未处理的异议，处理后才能立项"
    if user is not None:
        scored = Score.objects.filter(assignment__challenge=challenge, assignment__expert=user).exists()
        if scored or challenge.panel.filter(user=user).exists() or user.pk in deciders(challenge, "review", "notice"):
            return "参与评审（打分、组织评审或发起公示）的人员不能决定立项"
    return None


def _all_awards_accepted(challenge: Challenge, user: Any) -> str | None:
    if challenge.awards.filter(status=AwardStatus.ACTIVE).exists():
        return "还有实施中的团队未验收，不能结项"
    return None


def _issuer_users(challenge: Challenge) -> list[Any]:
    users: list[Any] = []
    if challenge.issuer_enterprise_id and challenge.issuer_enterprise is not None:
        users += list(challenge.issuer_enterprise.members.all())
    return users


def _bidder_users(challenge: Challenge) -> list[Any]:
    return [b.submitted_by for b in challenge.bids.exclude(status=B.DRAFT).select_related("submitted_by")]


def _challenge_url(challenge: Challenge) -> str:
    return reverse("challenges:detail", args=[challenge.pk])


CHALLENGE = Lifecycle(field="status", states=S, label="榜单", key="challenges.challenge", kind="challenges.challenge",
                      url=_challenge_url, moves=[
    Move("submit", (S.DRAFT,), S.PENDING, ISSUERS, "提交审核", guard=_issuer_or_office),
    Move("return", (S.PENDING,), S.DRAFT, OFFICE, "退回修改", reason_required=True, notify=_issuer_users),
    Move("publish", (S.DRAFT, S.PENDING), S.PUBLISHED, OFFICE, "发布榜单", guard=_ready_to_publish,
         notify=_issuer_users),
    Move("close", (S.PUBLISHED,), S.CLOSED, OFFICE | {SYSTEM}, "揭榜截止", guard=_deadline_passed,
         notify=_issuer_users),
    Move("review", (S.CLOSED,), S.REVIEWING, OFFICE, "开始评审", guard=_panel_drawn),
    Move("notice", (S.REVIEWING,), S.NOTICE, OFFICE, "发布公示", guard=_all_scored, notify=_bidder_users),
    Move("reopen_review", (S.NOTICE,), S.REVIEWING, OFFICE, "异议成立，重新评审", reason_required=True,
         notify=_bidder_users),
    Move("award", (S.NOTICE,), S.AWARDED, DECIDERS, "决定立项", guard=_may_decide, notify=_bidder_users),
    Move("complete", (S.AWARDED,), S.ACCEPTED, OFFICE, "结项", guard=_all_awards_accepted, notify=_issuer_users),
    Move("cancel", (S.DRAFT, S.PENDING, S.PUBLISHED), S.CANCELLED, OFFICE, "撤销榜单", reason_required=True,
         notify=_bidder_users),
])


# --- 揭榜方案 ------------------------------------------------------------------------------------------


def _own_bid(bid: Bid, user: Any) -> str | None:
    return None if user is not None and bid.submitted_by_id == user.pk else "只有揭榜人本人可以办理"


def _before_deadline(bid: Bid, user: Any) -> str | None:
    if own := _own_bid(bid, user):
        return own
    challenge = bid.challenge
    if challenge.status != S.PUBLISHED or timezone.localdate() > challenge.deadline:
        return f"榜单“{challenge}”已于 {challenge.deadline:%Y-%m-%d} 截止揭榜，方案不能再提交或修改"
    if not bid.versions.exists():
        return "请先填写方案内容"
    return None


def _bid_url(bid: Bid) -> str:
    return reverse("challenges:my_bid", args=[bid.pk])


BID = Lifecycle(field="status", states=B, label="揭榜方案", key="challenges.bid", kind="challenges.bid", url=_bid_url,
                moves=[
    Move("submit", (B.DRAFT,), B.SUBMITTED, BIDDERS, "提交方案", guard=_before_deadline),
    Move("withdraw", (B.DRAFT, B.SUBMITTED), B.WITHDRAWN, BIDDERS, "撤回方案", guard=_before_deadline),
    Move("freeze", (B.SUBMITTED,), B.FROZEN, OFFICE | {SYSTEM}, "截止封存"),
    Move("win", (B.FROZEN,), B.WON, DECIDERS, "确定揭榜成功", notify=lambda b: [b.submitted_by]),
    Move("lose", (B.FROZEN,), B.LOST, DECIDERS, "未入选", notify=lambda b: [b.submitted_by]),
])


# --- 立项与阶段评估 -------------------------------------------------------------------------------------


def _award_url(award: Award) -> str:
    return reverse("challenges:award", args=[award.pk])


def _no_open_milestones(award: Award, user: Any) -> str | None:
    if award.milestones.exclude(status__in=[M.PAID, M.RELEASED]).exists():
        return "还有未完成的里程碑，不能验收"
    return None


AW = AwardStatus
AWARD = Lifecycle(field="status", states=AW, label="揭榜项目", key="challenges.award", kind="challenges.award",
                  url=_award_url, moves=[
    Move("continue", (AW.ACTIVE,), AW.ACTIVE, OFFICE, "阶段评估：继续", reason_required=True),
    Move("merge", (AW.ACTIVE,), AW.MERGED, OFFICE, "阶段评估：合并", reason_required=True,
         notify=lambda a: [a.bid.submitted_by]),
    Move("stop", (AW.ACTIVE,), AW.STOPPED, OFFICE, "阶段评估：终止", reason_required=True,
         notify=lambda a: [a.bid.submitted_by]),
    Move("accept", (AW.ACTIVE,), AW.ACCEPTED, OFFICE, "最终验收", guard=_no_open_milestones,
         notify=lambda a: [a.bid.submitted_by]),
])


# --- 里程碑 ---------------------------------------------------------------------------------------------


def _milestone_bidder(ms: Milestone, user: Any) -> str | None:
    if ms.award.status != AW.ACTIVE:
        return f"该项目{ms.award.get_status_display()}，里程碑不能再提交"
    return None if user is not None and ms.award.bid.submitted_by_id == user.pk else "只有揭榜团队可以提交里程碑"


def _milestone_issuer(ms: Milestone, user: Any) -> str | None:
    challenge = ms.award.challenge
    if is_issuer(challenge, user):
        return None
    if user is not None and user.role in OFFICE and challenge.issuer_kind == IssuerKind.BUREAU \
            and not challenge.issuer_bureau_id:
        return None
    return "只有发榜方（最终用户）可以验收里程碑"


def _not_issuer_acceptor(ms: Milestone, user: Any) -> str | None:
    if user is not None and user.pk in deciders(ms, "issuer_accept"):
        return "验收里程碑的人员不能同时审核拨付"
    return None


def _team_users(ms: Milestone) -> list[Any]:
    return [ms.award.bid.submitted_by]


def _milestone_issuer_users(ms: Milestone) -> list[Any]:
    return _issuer_users(ms.award.challenge)


MILESTONE = Lifecycle(field="status", states=M, label="里程碑", key="challenges.milestone",
                      kind="challenges.milestone", url=lambda ms: _award_url(ms.award), moves=[
    Move("submit", (M.PLANNED,), M.SUBMITTED, BIDDERS, "提交完成情况", guard=_milestone_bidder,
         notify=_milestone_issuer_users),
    Move("issuer_accept", (M.SUBMITTED,), M.ISSUER_ACCEPTED, ISSUERS, "发榜方验收通过", guard=_milestone_issuer,
         notify=_team_users),
    Move("issuer_reject", (M.SUBMITTED,), M.PLANNED, ISSUERS, "验收不通过，退回", reason_required=True,
         guard=_milestone_issuer, notify=_team_users),
    Move("approve", (M.ISSUER_ACCEPTED,), M.APPROVED, OFFICE, "人才办审核通过", guard=_not_issuer_acceptor),
    Move("pay", (M.APPROVED,), M.PAID, PAYERS, "支付", notify=_team_users),
    Move("release", (M.PLANNED, M.SUBMITTED, M.ISSUER_ACCEPTED, M.APPROVED), M.RELEASED, OFFICE | {SYSTEM},
         "释放资金", reason_required=True, notify=_team_users),
])
