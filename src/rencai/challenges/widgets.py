"""What 揭榜挂帅 tells each user on the home page: the zone's figures for staff, the tasks of experts and teams."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from rencai.challenges import selectors
from rencai.challenges.models import Milestone, MilestoneStatus, Score, Status
from rencai.core.access import AuthedRequest
from rencai.core.roles import STAFF, Role


def challenges_widget(request: AuthedRequest) -> dict[str, Any] | None:
    user = request.user
    if user.role in STAFF:
        challenges = selectors.challenges_for(user)
        totals = selectors.outcome_totals(user)
        to_pay = Milestone.objects.visible_to(user).filter(status=MilestoneStatus.APPROVED).count()
        return {"title": "揭榜挂帅", "value": challenges.exclude(status__in=[Status.DRAFT, Status.CANCELLED]).count(),
                "url": reverse("challenges:list"),
                "note": f"立项团队 {totals['awards']} 个；专利 {totals['patents']} 件、新产品 {totals['products']} 项、"
                        f"解决难题 {totals['problems_solved']} 项" + (f"；待支付里程碑 {to_pay} 期" if to_pay else "")}
    if user.role == Role.EXPERT:
        assignments = selectors.assignments_for(user).filter(challenge__status=Status.REVIEWING)
        done = Score.objects.visible_to(user).filter(assignment__in=assignments).count()
        return {"title": "待评审方案", "value": assignments.count() - done, "url": reverse("challenges:review_list"),
                "note": ""}
    if user.role in (Role.TALENT, Role.ENTERPRISE):
        bids = selectors.my_bids(user)
        if not bids.exists():
            return None
        return {"title": "我的揭榜", "value": bids.count(), "url": reverse("challenges:mine"), "note": ""}
    return None
