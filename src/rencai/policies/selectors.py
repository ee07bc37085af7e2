"""Reads of the policy pages, widgets and API: what is due, what waits for whom."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from rencai.core.models import User
from rencai.core.roles import Role
from rencai.policies.models import AUTO_SOURCE, Entitlement, Instalment, Policy

# Policies are city-wide reference data: staff see all; a talent or an enterprise the active ones for it.
_KIND_FOR_ROLE: dict[str, str] = {Role.TALENT: "talent", Role.ENTERPRISE: "enterprise"}


def policies_for(user: User) -> QuerySet[Policy]:
    if not user.is_authenticated:
        return Policy.objects.none()
    if user.is_office_staff:
        return Policy.objects.all()
    kind = _KIND_FOR_ROLE.get(user.role)
    if kind is None:
        return Policy.objects.none()
    return Policy.objects.filter(active=True, beneficiary_kind=kind)


def instalments_due(user: User, today: date) -> QuerySet[Instalment]:
    """Reserved instalments due by today on entitlements the user may see (payable or not: the page says why)."""
    return (Instalment.objects.filter(status=Instalment.Status.COMMITTED, due_on__lte=today,
                                      entitlement__in=Entitlement.objects.visible_to(user))
            .select_related("entitlement__policy", "entitlement__talent", "entitlement__enterprise")
            .order_by("due_on", "pk"))


def payable_due(user: User, today: date) -> QuerySet[Instalment]:
    """Due instalments whose account the beneficiary has confirmed and the treasury has not rejected."""
    return instalments_due(user, today).filter(entitlement__bank_confirmed_at__isnull=False,
                                               entitlement__bank_problem="").exclude(entitlement__bank_name="")


def autogrant_waiting(user: User) -> dict[str, int]:
    """免申即享: how many wait for 复核, and how many are on 公示."""
    auto = Entitlement.objects.visible_to(user).filter(source=AUTO_SOURCE)
    return {"check": auto.filter(status=Entitlement.Status.PENDING).count(),
            "notice": auto.filter(status=Entitlement.Status.NOTICE).count()}
