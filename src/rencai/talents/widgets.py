"""What the talent register tells each user on the home page."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse

from rencai.core.access import AuthedRequest
from rencai.core.roles import Role
from rencai.talents.models import Talent


def talent_widget(request: AuthedRequest) -> dict[str, Any] | None:
    user = request.user
    if user.role == Role.TALENT:
        return {"title": "我的人才档案", "value": "查看", "url": reverse("talents:mine")}
    if not (user.is_office_staff or user.role == Role.LIAISON):
        return None
    talents = Talent.objects.visible_to(user)
    by_tier = dict(talents.order_by().values_list("tier").annotate(n=Count("pk")))
    high = sum(by_tier.get(t, 0) for t in "ABC")
    return {"title": "在库人才", "value": talents.count(), "url": reverse("talents:list"),
            "note": f"其中 A–C 类高层次人才 {high} 人"}
