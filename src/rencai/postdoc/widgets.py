"""What the postdoc register tells each user on the home page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from rencai.postdoc.models import Postdoc, Reminder


def postdoc_widget(request: HttpRequest) -> dict[str, Any] | None:
    """Staff: postdocs in station and how many are past or within 30 days of their next deadline."""
    if not request.user.is_office_staff:
        return None
    today = timezone.localdate()
    active = list(Postdoc.objects.visible_to(request.user).active())
    late = sum(1 for p in active if p.is_overdue(today))
    soon = sum(1 for p in active if not p.is_overdue(today) and (p.next_deadline()[1] - today).days <= 30)
    return {"title": "在站博士后", "value": len(active), "url": reverse("postdoc:overdue"),
            "note": f"逾期 {late} 人，30天内到期 {soon} 人"}


def reminder_widget(request: HttpRequest) -> dict[str, Any] | None:
    unread = Reminder.objects.visible_to(request.user).filter(read_at__isnull=True).count()
    if not unread:
        return None
    return {"title": "博士后期限提醒", "value": unread, "url": reverse("postdoc:reminders"), "note": "未读提醒"}
