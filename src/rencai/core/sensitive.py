"""Who may see personal data in full, and how it looks to everyone else.

A model lists its sensitive fields as `sensitive_fields = {field: kind}`; the kind picks the mask and
the roles that may reveal it. A person may always reveal their own profile's values.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models

from rencai.core.masking import mask_bank_account, mask_id_number, mask_middle, mask_phone
from rencai.core.models import User
from rencai.core.roles import Role

MASKS: dict[str, Callable[[str], str]] = {
    "id_number": mask_id_number,
    "phone": mask_phone,
    "bank_account": mask_bank_account,
    "other": lambda v: mask_middle(v, 1, 1),
}
REVEAL_ROLES: dict[str, frozenset[str]] = {
    "id_number": frozenset({Role.OFFICE_ADMIN}),
    "phone": frozenset({Role.OFFICE_ADMIN}),
    "bank_account": frozenset({Role.OFFICE_ADMIN, Role.FINANCE}),
    "other": frozenset({Role.OFFICE_ADMIN}),
}


def sensitive_kind(obj: models.Model | type[models.Model], field: str) -> str | None:
    return getattr(obj, "sensitive_fields", {}).get(field)


def masked_value(obj: models.Model, field: str) -> str:
    kind = sensitive_kind(obj, field) or "other"
    return MASKS[kind](getattr(obj, field) or "")


def is_own_record(user: User, obj: models.Model) -> bool:
    return getattr(obj, "user_id", None) == user.pk and user.pk is not None


def can_reveal(user: User, obj: models.Model, field: str) -> bool:
    kind = sensitive_kind(obj, field)
    if kind is None or not user.is_authenticated:
        return False
    return user.role in REVEAL_ROLES[kind] or is_own_record(user, obj)


def may_reveal_any(user: User, model: type[models.Model]) -> bool:
    """Whether this role could reveal some sensitive field of the model (shows the reveal buttons)."""
    kinds = set(getattr(model, "sensitive_fields", {}).values())
    return any(user.role in REVEAL_ROLES[k] for k in kinds)
