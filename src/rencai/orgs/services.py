"""Writes to the enterprise and institution registers, each with its audit entry."""

from __future__ import annotations

from typing import TypeVar

from django.db import models, transaction
from django.http import HttpRequest

from rencai.core.audit import audit_record
from rencai.core.models import User

M = TypeVar("M", bound=models.Model)


@transaction.atomic
def record_save(*, obj: M, by: User, request: HttpRequest | None = None) -> M:
    """Validate and save one register record and log who did it."""
    created = obj.pk is None
    obj.full_clean()
    obj.save()
    audit_record(action="create" if created else "update", request=request, user=by, obj=obj)
    return obj
