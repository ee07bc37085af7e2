"""Demo data for 揭榜挂帅: 8 榜单 in the demo city at every step of their life, one raced by two teams with
bids, a panel, scores, 公示 and awards, and its first milestone accepted, approved and paid through the ledger.

Everything goes through the challenges services, as the office would (the clock is moved by setting the
deadline and the end of 公示 in the past). Idempotent: 榜单 already there (by title) are kept.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from rencai.core.models import User
from rencai.core.roles import Role

TITLES = [
    "高丰度稀土永磁材料磁能积提升攻关",  # raced by two teams, awarded, first milestone paid
    "稀土抛光粉回收再利用工艺",  # in 公示
    "氢燃料电池双极板涂层寿命提升",  # under review
    "乳制品低温干燥菌种活性保持",  # closed, bids frozen
    "煤化工废水零排放膜分离技术",  # open for bids
    "牛羊布病疫苗规模化制备",  # open for bids
    "矿山井下无人驾驶运输系统",  # submitted by the enterprise, waiting for the office
    "风电叶片回收热解技术",  # draft
]
KPIS = [{"name": "核心性能指标", "target": "较现有水平提升≥20", "unit": "%"},
        {"name": "中试规模", "target": "≥1", "unit": "条产线"}]
PLAN = [{"title": "实验室样品", "due": "", "deliverable": "检测报告", "percent": "30"},
        {"title": "中试验证", "due": "", "deliverable": "中试报告", "percent": "40"},
        {"title": "产业化验收", "due": "", "deliverable": "验收报告", "percent": "30"}]


def _users(zone: Any) -> dict[str, User | None]:
    def one(role: str, **kw: Any) -> User | None:
        return User.objects.filter(role=role, is_active=True, **kw).order_by("pk").first()

    return {"admin": one(Role.OFFICE_ADMIN, zone=zone), "reviewer": one(Role.REVIEWER, zone=zone),
            "finance": one(Role.FINANCE, zone=zone), "city_admin": one(Role.OFFICE_ADMIN, zone=None),
            "enterprise": User.objects.filter(username="enterprise").first(),
            "talent": User.objects.filter(username="talent").first(),
            "expert": User.objects.filter(username="expert").first()}


def _experts(city: Any, expert: User | None) -> list[User]:
    """Six experts with a log-in: the demo `expert` and five more, each linked to a senior talent of the city."""
    from rencai.demo.accounts import _user
    from rencai.talents.models import Talent

    free = list(Talent.objects.filter(zone__city=city, user__isnull=True, title__in=["教授", "研究员", "正高级工程师"])
                .order_by("pk")[:6])
    users = []
    for i, talent in enumerate(free):
        user = expert if i == 0 and expert is not None else _user(
            f"expert{i + 1}", role=Role.EXPERT, city=city, zone=None, display_name=f"{talent.name}（评审专家）")
        if not Talent.objects.filter(user=user).exists():
            Talent.objects.filter(pk=talent.pk).update(user=user)
        users.append(user)
    return users


def _second_bidder(city: Any) -> User:
    from rencai.demo.accounts import _user
    from rencai.talents.models import Talent

    user = _user("talent2", role=Role.TALENT, city=city, zone=None, display_name="揭榜团队二负责人")
    if not Talent.objects.filter(user=user).exists():
        talent = Talent.objects.filter(zone__city=city, user__isnull=True).order_by("-pk").first()
        if talent is not None:
            Talent.objects.filter(pk=talent.pk).update(user=user)
    return user


def load(*, data: Any, city: Any, zones: dict[str, Any]) -> int:
    """Create this area's demo records (idempotent); return how many 榜单 were created."""
    from rencai.challenges.models import Challenge

    if not zones or Challenge.objects.filter(title__in=TITLES, zone__city=city).exists():
        return 0
    with transaction.atomic():
        return _load(city, zones)


def _load(city: Any, zones: dict[str, Any]) -> int:
    from rencai.challenges import services
    from rencai.challenges.models import Challenge, IssuerKind, Mode
    from rencai.funds.models import Fund, Level
    from rencai.orgs.models import Enterprise

    zone = next(iter(zones.values()))
    people = _users(zone)
    admin, reviewer, city_admin = people["admin"], people["reviewer"], people["city_admin"]
    if admin is None or reviewer is None or city_admin is None or people["talent"] is None:
        return 0
    persona = people["enterprise"].enterprises.first() if people["enterprise"] else None
    issuers = list(Enterprise.objects.filter(zone=zone).exclude(pk=getattr(persona, "pk", None)).order_by("pk")[:8])
    today = timezone.localdate()
    experts = _experts(city, people["expert"])
    bidder2 = _second_bidder(city)
    made = []
    for i, title in enumerate(TITLES):
        issuer = persona if i in (0, 6) and persona is not None else issuers[i % max(len(issuers), 1)]
        challenge = Challenge(
            zone=issuer.zone if i in (0, 6) else zone, title=title, issuer_kind=IssuerKind.ENTERPRISE,
            issuer_enterprise=issuer, problem=f"{issuer.name}在“{title}”上遇到瓶颈，现有工艺难以满足市场要求，"
            f"面向社会公开征集解决方案。",
            acceptance_criteria="经第三方检测机构检测，全部考核指标达标，并经发榜企业确认。",
            kpis=KPIS, cap=Decimal("2000000") if i else Decimal("3000000"), deadline=today + timedelta(days=30 + i),
            mode=Mode.RACE if i == 0 else Mode.SINGLE, race_teams=2 if i == 0 else 1, panel_size=3)
        by = people["enterprise"] if i == 6 and people["enterprise"] else admin
        challenge = services.challenge_create(challenge=challenge, by=by, cofunders=[
            services.Funder(str(challenge.zone), "government", Decimal("60")),
            services.Funder(issuer.name, "enterprise", Decimal("40"))])
        made.append(challenge)
        if i == 7:
            continue
        if i == 6:
            services.challenge_move(challenge=challenge, move="submit", by=by)
            continue
        services.challenge_move(challenge=challenge, move="publish", by=admin)
    plan = [dict(p, due=(today + timedelta(days=90 * (n + 1))).isoformat()) for n, p in enumerate(PLAN)]
    for i in range(4):  # bids on the 榜单 past their deadline
        c = made[i]
        for user, lead, unit in ((people["talent"], "王建国", "内蒙古科技大学"), (bidder2, "李晓梅", "包头稀土研究院")):
            version = services.bid_save(challenge=c, by=user, lead_name=lead, unit=unit,
                                        route=f"{lead}团队技术路线：材料设计—工艺优化—中试放大",
                                        budget=c.cap * Decimal("0.8"),
                                        commitment="如期完成全部考核指标，未达标退回已拨资金", plan=plan,
                                        members=[services.Member(name="团队骨干", unit=unit, duty="工艺")])
            services.bid_move(bid=version.bid, move="submit", by=user)
        Challenge.objects.filter(pk=c.pk).update(deadline=today - timedelta(days=1))
        services.challenge_move(challenge=Challenge.objects.get(pk=c.pk), move="close", by=reviewer)
    for i in range(3):  # panels and scores
        c = Challenge.objects.get(pk=made[i].pk)
        _draw_with_the_demo_expert(c, reviewer, people["expert"])
        services.challenge_move(challenge=c, move="review", by=reviewer)
        if i == 2:
            continue
        for n, a in enumerate(c.assignments.select_related("bid").order_by("pk")):
            base = 85 if a.bid.code == "A" else 78
            services.score_submit(assignment=a, by=a.expert, items={
                item["name"]: base + (n % 3) for item in c.rubric}, defence=base + 2, comment="方案可行")
        services.challenge_move(challenge=Challenge.objects.get(pk=c.pk), move="notice", by=reviewer)
    race = Challenge.objects.get(pk=made[0].pk)
    Challenge.objects.filter(pk=race.pk).update(notice_until=today - timedelta(days=1))
    race.refresh_from_db()
    fund = Fund.objects.filter(zone=race.zone, level=Level.CITY, year=today.year).first()
    if fund is None or not experts:
        return len(made)
    tranches = [services.Tranche(p["title"], today + timedelta(days=90 * (n + 1)), p["deliverable"],
                                 Decimal(p["percent"])) for n, p in enumerate(PLAN)]
    awards = services.challenge_award(challenge=race, fund=fund, by=city_admin, winners=[
        services.Winner(bid=b, amount=Decimal("1200000"), tranches=tranches) for b in race.bids.order_by("code")])
    first = awards[0].milestones.get(seq=1)
    finance = User.objects.filter(role=Role.FINANCE, zone=race.zone, is_active=True).order_by("pk").first()
    services.milestone_move(milestone=first, move="submit", by=first.award.bid.submitted_by,
                            report="实验室样品磁能积提升 23%，检测报告已上传")
    services.milestone_move(milestone=first, move="issuer_accept", by=people["enterprise"] or admin)
    approver = User.objects.filter(role=Role.OFFICE_ADMIN, zone=race.zone, is_active=True).order_by("pk").first()
    services.milestone_move(milestone=first, move="approve", by=approver or admin)
    if finance is not None:
        services.milestone_pay(milestone=first, by=finance, idempotency_key=f"demo-challenges-{first.pk}")
    services.stage_gate(award=awards[0], decision="continue", reason="第一阶段指标达标，继续资助", by=admin)
    return len(made)


def _draw_with_the_demo_expert(challenge: Any, by: User, expert: User | None) -> None:
    """Draw the panel with the first seed that puts the demo `expert` on it, so that log-in has work to show."""
    from rencai.challenges import services

    for seed in range(1, 200):
        sid = transaction.savepoint()
        draw = services.panel_draw(challenge=challenge, by=by, seed=seed)
        if expert is None or challenge.panel.filter(user=expert).exists():
            transaction.savepoint_commit(sid)
            return
        transaction.savepoint_rollback(sid)
    services.panel_draw(challenge=challenge, by=by, seed=draw.seed)


def reset() -> dict[str, int]:
    """Delete this area's demo records before the registers are reset; return counts by kind."""
    from rencai.challenges.models import (
        Assignment,
        Award,
        Bid,
        BidVersion,
        Challenge,
        Milestone,
        Objection,
        PanelDraw,
        Score,
        StageGate,
    )

    challenges = Challenge.objects.filter(title__in=TITLES)
    if not challenges.exists():
        return {}
    # The tranches' commitments and payments are ledger rows (append-only) and stay in the fund's history; the
    # unpaid ones are released first (so a reload does not reserve twice), then the milestones that named them go.
    from rencai.funds.models import Commitment
    from rencai.funds.services import commitment_release

    for ms in Milestone.objects.filter(award__challenge__in=challenges, commitment__status=Commitment.Status.OPEN) \
            .select_related("commitment", "award__awarded_by"):
        commitment_release(commitment=ms.commitment, memo="演示数据重置，释放揭榜挂帅预留", by=ms.award.awarded_by)
    counts = {"榜单": challenges.count()}
    with transaction.atomic():
        StageGate.objects.filter(award__challenge__in=challenges).delete()
        Milestone.objects.filter(award__challenge__in=challenges).delete()
        Award.objects.filter(challenge__in=challenges).delete()
        Score.objects.filter(assignment__challenge__in=challenges).delete()
        Assignment.objects.filter(challenge__in=challenges).delete()
        PanelDraw.objects.filter(challenge__in=challenges).delete()
        Objection.objects.filter(challenge__in=challenges).delete()
        BidVersion.objects.filter(bid__challenge__in=challenges).delete()
        Bid.objects.filter(challenge__in=challenges).delete()
        challenges.delete()
    return counts


def summary() -> str:
    """One line for the load_demo report, or "" when nothing is loaded."""
    from rencai.challenges.models import Award, Bid, Challenge, Milestone, MilestoneStatus, Score

    n = Challenge.objects.filter(title__in=TITLES).count()
    if not n:
        return ""
    bids = Bid.objects.filter(challenge__title__in=TITLES).count()
    scores = Score.objects.filter(assignment__challenge__title__in=TITLES).count()
    awards = Award.objects.filter(challenge__title__in=TITLES).count()
    paid = Milestone.objects.filter(award__challenge__title__in=TITLES, status=MilestoneStatus.PAID).count()
    return f"揭榜挂帅：榜单 {n} 个，揭榜方案 {bids} 份，评分 {scores} 条，立项团队 {awards} 个，已拨付里程碑 {paid} 期"
