"""What the postdoc register tells each user on the home page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from rencai.core.access import AuthedRequest
from rencai.core.inbox import unread_count
from rencai.postdoc.models import Postdoc
from rencai.postdoc.notices import DEADLINE


def postdoc_widget(request: AuthedRequest) -> dict[str, Any] | None:
    """Staff: postdocs in station and how many are past or within 30 days of their next deadline."""
    if not request.user.is_office_staff:
        return None
    today = timezone.localdate()
    active = list(Postdoc.objects.visible_to(request.user).active())
    late = sum(1 for p in active if p.is_overdue(today))
    soon = sum(1 for p in active if not p.is_overdue(today) and (p.next_deadline()[1] - today).days <= 30)
    return {"title": "在站博士后", "value": len(active), "url": reverse("postdoc:overdue"),
            "note": f"逾期 {late} 人，30天内到期 {soon} 人"}


def reminder_widget(request: AuthedRequest) -> dict[str, Any] | None:
    """Unread deadline reminders in the user's inbox; the number falls as they are read."""
    unread = unread_count(request.user, kinds=[DEADLINE])
    if not unread:
        return None
    return {"title": "博士后期限提醒", "value": unread, "url": f"{reverse('core:inbox')}?kind={DEADLINE}",
            "note": "未读提醒"}
