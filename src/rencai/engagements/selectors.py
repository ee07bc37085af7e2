"""Reads of flexible-service agreements, programmes, assessments and letters, always from what the user may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from rencai.core.scoping import get_visible_or_404
from rencai.engagements.models import Agreement, Assessment, Letter, Outcome, Programme, ServiceVisit

if TYPE_CHECKING:
    from rencai.core.models import User


def agreement_list(user: User) -> QuerySet[Agreement]:
    """The agreements the user may see, with what the list and compliance per row read (one query a page)."""
    return (Agreement.objects.visible_to(user)
            .select_related("talent", "talent__user", "enterprise", "enterprise__zone", "institution", "programme")
            .prefetch_related("visits"))


def agreement_get(user: User, pk: int) -> Agreement:
    """The agreement if this user may see it; anyone else gets a 404, as if it did not exist."""
    return get_visible_or_404(user, agreement_list(user), pk=pk)


def agreement_letters(user: User, agreement: Agreement) -> QuerySet[Letter]:
    """The agreement's letters this user may open (they go to the sending unit: staff and the liaison)."""
    return Letter.objects.visible_to(user).filter(assessment__agreement=agreement)


def programme_list(user: User) -> QuerySet[Programme]:
    return Programme.objects.visible_to(user)


def programme_get(user: User, pk: int) -> Programme:
    return get_visible_or_404(user, Programme, pk=pk)


def programme_letters(user: User, programme: Programme) -> QuerySet[Letter]:
    return Letter.objects.visible_to(user).filter(assessment__agreement__programme=programme)


def outcomes_of(user: User, agreement_pks: list[int]) -> QuerySet[Outcome]:
    return Outcome.objects.visible_to(user).filter(agreement__in=agreement_pks)


def unsent_assessments(user: User, programme: Programme) -> list[Assessment]:
    """The programme's graded assessments that have no letter yet."""
    return list(Assessment.objects.visible_to(user).filter(agreement__programme=programme).exclude(grade="")
                .filter(letters__isnull=True).select_related("agreement"))


def assessment_get(user: User, agreement: Agreement, pk: int | str) -> Assessment:
    """One assessment of this agreement in the user's scope, or 404."""
    return get_visible_or_404(user, Assessment.objects.filter(agreement=agreement), pk=pk)


def letter_list(user: User) -> QuerySet[Letter]:
    return Letter.objects.visible_to(user).select_related(
        "institution", "assessment__agreement__talent", "assessment__agreement__enterprise")


def letter_get(user: User, pk: int) -> Letter:
    return get_visible_or_404(user, Letter, pk=pk)


def visit_get(user: User, pk: int) -> ServiceVisit:
    return get_visible_or_404(user, ServiceVisit.objects.select_related("agreement"), pk=pk)
