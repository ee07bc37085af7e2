"""Writes to the enterprise and institution registers, each with its audit entry."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from rencai.core.audit import audit_record
from rencai.core.models import User


@transaction.atomic
def record_save(*, obj: models.Model, by: User, request: Any = None) -> models.Model:
    """Validate and save one register record and log who did it."""
    created = obj.pk is None
    obj.full_clean()
    obj.save()
    audit_record(action="create" if created else "update", request=request, user=by, obj=obj)
    return obj
