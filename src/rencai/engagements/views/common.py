"""What every page of the app shares: who may do what, and finding an agreement the user may see."""

from __future__ import annotations

from django.http import HttpRequest

from rencai.core.roles import REGISTER_WRITERS, STAFF, STAFF_AND_PARTIES, Role
from rencai.core.scoping import get_visible_or_404
from rencai.engagements.models import Agreement

READERS = STAFF_AND_PARTIES  # the roles an agreement names; the newer roles have none
OFFICE = REGISTER_WRITERS
HOST = frozenset({Role.ENTERPRISE})
TALENT = frozenset({Role.TALENT})
OUTCOME_AUTHORS = OFFICE | TALENT
LETTER_READERS = STAFF | {Role.LIAISON}


def visible_agreements(request: HttpRequest):  # type: ignore[no-untyped-def]
    return (Agreement.objects.visible_to(request.user)
            .select_related("talent", "talent__user", "enterprise", "enterprise__zone", "institution", "programme")
            .prefetch_related("visits"))  # compliance per row reads them: one query for the page, not one a row


def agreement_for(request: HttpRequest, pk: int) -> Agreement:
    """The agreement if this user may see it; anyone else gets a 404, as if it did not exist."""
    return get_visible_or_404(request.user, visible_agreements(request), pk=pk)
