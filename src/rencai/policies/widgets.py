"""What policy fulfilment tells each user on the home page."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from rencai.core.access import AuthedRequest
from rencai.core.roles import Role
from rencai.policies.models import Application, Entitlement
from rencai.policies.selectors import autogrant_waiting, instalments_due, payable_due

REVIEW_STEPS = [Application.Status.SUBMITTED, Application.Status.FIRST_PASSED, Application.Status.SECOND_PASSED]


def policies_widget(request: AuthedRequest) -> dict[str, Any] | None:
    user = request.user
    if user.role in (Role.OFFICE_ADMIN, Role.REVIEWER):
        apps = Application.objects.visible_to(user)
        waiting = apps.filter(status__in=REVIEW_STEPS).count()
        auto = autogrant_waiting(user)
        return {"title": "待审核兑现申请", "value": waiting, "url": reverse("policies:applications"),
                "note": f"免申即享待复核 {auto['check']} 项，公示中 {auto['notice']} 项"}
    if user.role == Role.FINANCE:
        due = instalments_due(user, timezone.localdate())
        payable = payable_due(user, timezone.localdate()).count()
        waiting = due.count() - payable
        return {"title": "到期待支付", "value": payable, "url": reverse("policies:payment_due"),
                "note": f"另有 {waiting} 期待兑现对象确认收款账户" if waiting else ""}
    if user.role in (Role.TALENT, Role.ENTERPRISE):
        mine = Entitlement.objects.visible_to(user)
        unconfirmed = (mine.filter(Q(bank_confirmed_at__isnull=True) | ~Q(bank_problem=""))
                       .exclude(status__in=[Entitlement.Status.STOPPED, Entitlement.Status.DONE]).count())
        return {"title": "我的政策兑现", "value": mine.count(), "url": reverse("policies:mine"),
                "note": f"待确认收款账户 {unconfirmed} 项" if unconfirmed else ""}
    return None
