"""What policy fulfilment tells each user on the home page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from rencai.core.roles import Role
from rencai.policies.models import Application, Entitlement, Instalment

REVIEW_STEPS = [Application.Status.SUBMITTED, Application.Status.FIRST_PASSED, Application.Status.SECOND_PASSED]


def policies_widget(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if user.role in (Role.OFFICE_ADMIN, Role.REVIEWER):
        apps = Application.objects.visible_to(user)
        waiting = apps.filter(status__in=REVIEW_STEPS).count()
        auto = Entitlement.objects.visible_to(user).filter(source="免申即享", status=Entitlement.Status.PENDING).count()
        return {"title": "待审核兑现申请", "value": waiting, "url": reverse("policies:applications"),
                "note": f"免申即享待确认 {auto} 项"}
    if user.role == Role.FINANCE:
        due = Instalment.objects.filter(status=Instalment.Status.COMMITTED, due_on__lte=timezone.localdate(),
                                        entitlement__in=Entitlement.objects.visible_to(user)).count()
        return {"title": "到期待支付", "value": due, "url": reverse("policies:payment_due")}
    if user.role in (Role.TALENT, Role.ENTERPRISE):
        mine = Entitlement.objects.visible_to(user)
        unconfirmed = mine.filter(bank_confirmed_at__isnull=True).exclude(status=Entitlement.Status.STOPPED).count()
        return {"title": "我的政策兑现", "value": mine.count(), "url": reverse("policies:mine"),
                "note": f"待确认收款账户 {unconfirmed} 项" if unconfirmed else ""}
    return None
