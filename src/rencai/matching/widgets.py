"""What matching tells a user on the home page: proposals waiting for their answer."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from rencai.core.access import AuthedRequest
from rencai.core.roles import Role
from rencai.matching.models import Pairing, PairingStatus


def proposals_widget(request: AuthedRequest) -> dict[str, Any] | None:
    user = request.user
    if user.role not in (Role.ENTERPRISE, Role.TALENT):
        return None
    unanswered = {"enterprise_answer": ""} if user.role == Role.ENTERPRISE else {"talent_answer": ""}
    waiting = Pairing.objects.visible_to(user).filter(status=PairingStatus.PUBLISHED, **unanswered).count()
    title = "为我推荐的专家" if user.role == Role.ENTERPRISE else "为我推荐的需求"
    return {"title": title, "value": waiting, "url": reverse("matching:proposals"), "note": "待您答复"}
