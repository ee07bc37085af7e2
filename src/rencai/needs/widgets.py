"""What the needs register tells each user on the home page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from rencai.core.access import AuthedRequest
from rencai.core.roles import REGISTER_WRITERS, Role
from rencai.needs.models import OPEN_STATUSES, Need, Status


def needs_widget(request: AuthedRequest) -> dict[str, Any] | None:
    user = request.user
    if not (user.is_office_staff or user.role == Role.ENTERPRISE):
        return None
    needs = Need.objects.visible_to(user)
    url = reverse("needs:mine" if user.role == Role.ENTERPRISE else "needs:list")
    return {"title": "企业需求", "value": needs.count(), "url": url,
            "note": f"待对接 {needs.filter(status__in=OPEN_STATUSES).count()} 项，逾期 {needs.overdue().count()} 项"}


def queue_widget(request: AuthedRequest) -> dict[str, Any] | None:
    if request.user.role not in REGISTER_WRITERS:
        return None
    pending = Need.objects.visible_to(request.user).filter(status=Status.PENDING).count()
    return {"title": "待审核需求", "value": pending, "url": reverse("needs:queue")}
