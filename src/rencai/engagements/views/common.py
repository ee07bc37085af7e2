"""What every page of the app shares: who may do what, and finding an agreement the user may see."""

from __future__ import annotations

from django.db.models import QuerySet

from rencai.core.access import AuthedRequest
from rencai.core.roles import REGISTER_WRITERS, STAFF, STAFF_AND_PARTIES, Role
from rencai.engagements import selectors
from rencai.engagements.models import Agreement

READERS = STAFF_AND_PARTIES  # the roles an agreement names; the newer roles have none
OFFICE = REGISTER_WRITERS
HOST = frozenset({Role.ENTERPRISE})
TALENT = frozenset({Role.TALENT})
OUTCOME_AUTHORS = OFFICE | TALENT
LETTER_READERS = STAFF | {Role.LIAISON}


def visible_agreements(request: AuthedRequest) -> QuerySet[Agreement]:
    return selectors.agreement_list(request.user)


def agreement_for(request: AuthedRequest, pk: int) -> Agreement:
    """The agreement if this user may see it; anyone else gets a 404, as if it did not exist."""
    return selectors.agreement_get(request.user, pk)
