"""What the enterprise register tells each user on the home page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from rencai.core.access import AuthedRequest
from rencai.core.roles import Role
from rencai.orgs.models import Enterprise, Institution


def enterprise_widget(request: AuthedRequest) -> dict[str, Any] | None:
    user = request.user
    if not (user.is_office_staff or user.role == Role.ENTERPRISE):
        return None
    enterprises = Enterprise.objects.visible_to(user)
    if user.role == Role.ENTERPRISE:
        first = enterprises.first()
        return {"title": "本企业", "value": first.name if first else "未关联",
                "url": reverse("orgs:enterprise_detail", args=[first.pk]) if first else "/"}
    return {"title": "在库企业", "value": enterprises.count(), "url": reverse("orgs:enterprise_list"),
            "note": f"高新技术企业 {enterprises.filter(qualifications__icontains='high_tech').count()} 家"}


def institution_widget(request: AuthedRequest) -> dict[str, Any] | None:
    if not (request.user.is_office_staff or request.user.role == Role.LIAISON):
        return None
    institutions = Institution.objects.visible_to(request.user)
    return {"title": "派出单位", "value": institutions.count(), "url": reverse("orgs:institution_list")}
