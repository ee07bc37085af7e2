"""Builders for 揭榜挂帅 tests: a published 榜单 of enterprise A, two bidders, a pool of experts, a fund.

Each step goes through the services, as a user would; tests move the clock by setting dates in the past
with a queryset update (the deadline, the end of 公示), never by mocking.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from rencai.challenges import services
from rencai.challenges.models import Award, Bid, Challenge, Mode, PanelDraw
from rencai.core.models import User
from rencai.core.roles import Role
from rencai.funds.models import Fund
from rencai.funds.services import fund_open
from tests.conftest import World
from tests.factories import InstitutionFactory, TalentFactory, UserFactory

TODAY = timezone.localdate()
RUBRIC = [{"name": "技术路线", "weight": 60}, {"name": "团队能力", "weight": 40}]


def make_challenge(world: World, *, mode: str = Mode.SINGLE, race_teams: int = 1, title: str = "烧结钕铁硼磁体攻关",
                   cap: str = "2000000", blind: bool = True, publish: bool = True) -> Challenge:
    challenge = Challenge(
        zone=world.zone_a, title=title, issuer_kind="enterprise", issuer_enterprise=world.enterprise,
        problem="高丰度稀土永磁材料磁能积提升，晶界扩散工艺降低重稀土用量",
        acceptance_criteria="第三方检测报告达到全部指标",
        kpis=[{"name": "磁能积", "target": "≥52", "unit": "MGOe"}, {"name": "重稀土用量", "target": "≤1", "unit": "%"}],
        cap=Decimal(cap), deadline=TODAY + timedelta(days=30), mode=mode, race_teams=race_teams, blind=blind,
        rubric=RUBRIC, panel_size=3)
    challenge = services.challenge_create(challenge=challenge, by=world.admin,
                                          cofunders=[services.Funder("稀土高新区", "government", Decimal("70")),
                                                     services.Funder("包头稀土永磁材料有限公司", "enterprise",
                                                                     Decimal("30"))])
    if publish:
        challenge = services.challenge_move(challenge=challenge, move="publish", by=world.admin)
    return challenge


PLAN = [{"title": "中试样品", "due": "2027-06-30", "deliverable": "样品检测报告", "percent": "40"},
        {"title": "批量验证", "due": "2027-12-31", "deliverable": "验收报告", "percent": "60"}]


def bid(challenge: Challenge, user: User, *, lead: str, unit: str, submit: bool = True, budget: str = "1500000",
        members: list[services.Member] | None = None) -> Bid:
    version = services.bid_save(challenge=challenge, by=user, lead_name=lead, unit=unit,
                                route=f"{lead}团队：晶界扩散 + 双合金法技术路线", budget=budget,
                                commitment="按期完成全部指标，否则退回资助", plan=PLAN, members=members or [])
    if submit:
        services.bid_move(bid=version.bid, move="submit", by=user)
    return Bid.objects.get(pk=version.bid_id)


def experts(world: World, n: int, *, prefix: str = "专家") -> list[User]:
    made = []
    for i in range(n):
        user = UserFactory(username=f"{prefix}_{i}_{world.zone_a.pk}", role=Role.EXPERT)
        TalentFactory(zone=world.zone_a, name=f"{prefix}{i}", user=user, employer=f"北方研究院{prefix}{i}",
                      institution=InstitutionFactory(name=f"{prefix}所在大学{i}"))
        made.append(user)
    return made


def close(challenge: Challenge, by: User) -> Challenge:
    Challenge.objects.filter(pk=challenge.pk).update(deadline=TODAY - timedelta(days=1))
    return services.challenge_move(challenge=Challenge.objects.get(pk=challenge.pk), move="close", by=by)


def score_all(challenge: Challenge, panel_users: list[User], base: int = 70) -> None:
    from rencai.challenges.models import Assignment

    for n, a in enumerate(Assignment.objects.filter(challenge=challenge).select_related("bid").order_by("pk")):
        bonus = 10 if a.bid.code == "A" else 0
        items = {"技术路线": base + bonus + n % 3, "团队能力": base + bonus}
        services.score_submit(assignment=a, by=a.expert, items=items,
                              defence=base + bonus)


@dataclass
class Reviewed:
    challenge: Challenge
    bids: list[Bid]
    draw: PanelDraw
    panel: list[User] = field(default_factory=list)


def reviewed(world: World, *, mode: str = Mode.SINGLE, race_teams: int = 1, experts_prefix: str = "专家") -> Reviewed:
    """A 榜单 through bidding, close, draw, review and scoring, in 公示 with its window already over."""
    challenge = make_challenge(world, mode=mode, race_teams=race_teams)
    b1 = bid(challenge, world.talent_user, lead="王建国", unit="内蒙古科技大学")
    b2 = bid(challenge, world.enterprise_b_user, lead="李晓梅", unit="昆区乳业有限公司")
    experts(world, 5, prefix=experts_prefix)
    challenge = close(challenge, world.reviewer)
    draw = services.panel_draw(challenge=challenge, by=world.reviewer, seed=42)
    services.challenge_move(challenge=challenge, move="review", by=world.reviewer)
    panel = [m.user for m in challenge.panel.all()]
    score_all(challenge, panel)
    challenge = services.challenge_move(challenge=Challenge.objects.get(pk=challenge.pk), move="notice",
                                        by=world.reviewer)
    Challenge.objects.filter(pk=challenge.pk).update(notice_until=TODAY - timedelta(days=1))
    return Reviewed(challenge=Challenge.objects.get(pk=challenge.pk), bids=[Bid.objects.get(pk=b1.pk),
                                                                           Bid.objects.get(pk=b2.pk)],
                    draw=draw, panel=panel)


def open_fund(world: World, budget: str = "10000000") -> Fund:
    return fund_open(year=TODAY.year, level="district", zone=world.zone_a, budget=Decimal(budget), by=world.admin)


TRANCHES = [services.Tranche("中试样品", TODAY + timedelta(days=90), "样品检测报告", Decimal("40")),
            services.Tranche("批量验证", TODAY + timedelta(days=300), "验收报告", Decimal("60"))]


def award(world: World, r: Reviewed, fund: Fund, *, amounts: tuple[str, ...] = ("1500000",)) -> list[Award]:
    winners = [services.Winner(bid=b, amount=Decimal(a), tranches=TRANCHES)
               for b, a in zip(r.bids, amounts, strict=False)]
    return services.challenge_award(challenge=r.challenge, winners=winners, fund=fund, by=world.city_admin)


@pytest.fixture
def fund(world: World) -> Fund:
    return open_fund(world)
