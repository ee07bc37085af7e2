"""What flexible service tells each user on the home page: their reminders and agreements needing attention."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from rencai.core.access import AuthedRequest
from rencai.core.inbox import unread_count
from rencai.engagements import notices
from rencai.engagements.models import Agreement, AgreementStatus, ServiceVisit, VisitStatus
from rencai.engagements.services import needs_attention


def engagements_widget(request: AuthedRequest) -> dict[str, Any] | None:
    user = request.user
    agreements = Agreement.objects.visible_to(user).filter(status=AgreementStatus.ACTIVE)
    count = agreements.count()
    if not count:
        return None
    shown = agreements.prefetch_related("visits")[:200]
    attention = sum(1 for a in shown if needs_attention(a.compliance().status))
    pending = ServiceVisit.objects.filter(agreement__in=agreements, status=VisitStatus.PENDING).count()
    reminders = unread_count(user, kinds=notices.KINDS)  # falls as the user reads them in the inbox
    return {"title": "柔性服务协议", "value": count, "url": reverse("engagements:list"),
            "note": f"履约有风险或落后 {attention} 份，待确认服务记录 {pending} 条，未读提醒 {reminders} 条"}
