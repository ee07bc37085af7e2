"""Writing the audit log: one function every app calls, so entries look alike."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from rencai.core.models import AuditEvent, User


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # Behind a reverse proxy the operator sets RENCAI trusted proxy headers; by default trust the socket.
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    action: str,
    request: HttpRequest | None = None,
    user: User | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    allowed: bool = True,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    return AuditEvent.objects.create(
        user=user,
        username=user.username if user else (detail or {}).get("username", ""),
        role=user.role if user else "",
        ip=client_ip(request),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        path=request.get_full_path()[:300] if request is not None else "",
        allowed=allowed,
        detail=detail or {},
    )
