"""Reads of the talent register, always from what the user may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from rencai.core.scoping import get_visible_or_404
from rencai.talents.models import Talent, TierRule

if TYPE_CHECKING:
    from rencai.core.models import User


def talent_list(user: User) -> QuerySet[Talent]:
    """The talents the user may see, with the zone and the tier rule the list shows."""
    return Talent.objects.visible_to(user).select_related("zone", "tier_rule")


def talent_get(user: User, pk: int) -> Talent:
    """One talent in the user's scope (with zone and institution), or 404."""
    return get_visible_or_404(user, Talent.objects.select_related("zone", "institution"), pk=pk)


def talent_of_user(user: User) -> Talent | None:
    """A talent's own record: a talent user's scope is that one record."""
    return Talent.objects.visible_to(user).first()


def tier_rule_list() -> QuerySet[TierRule]:
    """The city-wide tier rules, each with the number of talents it placed (`n`)."""
    return TierRule.objects.annotate(n=Count("talent"))


def tier_rule_get(pk: int) -> TierRule:
    return get_object_or_404(TierRule, pk=pk)
