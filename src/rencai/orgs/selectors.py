"""Reads of the enterprise and institution registers, always from what the user may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import apps
from django.db.models import Count, Q, QuerySet

from rencai.core.scoping import VisiblePrefetch, get_visible_or_404
from rencai.orgs.models import Enterprise, InnovationIndicator, Institution

if TYPE_CHECKING:
    from rencai.core.models import User


def enterprise_list(user: User) -> QuerySet[Enterprise]:
    """The enterprises the user may see, with their visible indicators (newest first) and platforms."""
    return Enterprise.objects.visible_to(user).select_related("zone").prefetch_related(
        VisiblePrefetch("indicators", user, InnovationIndicator.objects.order_by("-year")),
        VisiblePrefetch("platforms", user))


def enterprise_get(user: User, pk: int) -> Enterprise:
    """One enterprise in the user's scope, or 404."""
    return get_visible_or_404(user, Enterprise.objects.select_related("zone"), pk=pk)


def indicator_of_year(enterprise: Enterprise, year: str | None) -> InnovationIndicator | None:
    """The enterprise's figures for `year`, which an entry for the same year corrects in place."""
    if year is None:  # no year given: nothing to correct (the form then refuses the entry)
        return None
    return InnovationIndicator.objects.filter(enterprise=enterprise, year=year).first()


def institution_list(user: User) -> QuerySet[Institution]:
    """The institutions the user may see, each with the number of talents *this user* may see (`n_talents`)."""
    visible_talents = apps.get_model("talents", "Talent").objects.visible_to(user)
    return Institution.objects.visible_to(user).annotate(
        n_talents=Count("talents", filter=Q(talents__in=visible_talents.values("pk"))))


def institution_get(user: User, pk: int) -> Institution:
    """One institution in the user's scope, or 404."""
    return get_visible_or_404(user, Institution, pk=pk)
