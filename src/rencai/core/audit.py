"""Writing the audit log: one function every app calls, so entries look alike."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils.functional import Promise

from rencai.core.models import AuditEvent, User
from rencai.core.redact import redact

__all__ = ["audit_record", "audit_refusal", "bind_request", "client_ip", "redact", "refusal_audited",
           "unbind_request"]


# The request being served (set by AccessMiddleware), so a service or helper that audits without being handed
# the request (get_visible_or_404, a service called from a view) still records the path and the address, and
# a refusal written that way is known to the catch-all for 404s.
_current: ContextVar[HttpRequest | None] = ContextVar("rencai_current_request", default=None)


def bind_request(request: HttpRequest | None) -> Any:
    """Make `request` the one audit entries default to; returns a token for `unbind_request`."""
    return _current.set(request)


def unbind_request(token: Any) -> None:
    _current.reset(token)


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # Behind a reverse proxy the operator sets RENCAI trusted proxy headers; by default trust the socket.
    return request.META.get("REMOTE_ADDR") or None


def plain(value: Any) -> Any:
    """A JSON-ready copy: translatable labels (gettext_lazy) become their text in the active language."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


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
    if request is None:
        request = _current.get()
    if not allowed and request is not None:
        request._rencai_refusal_audited = True  # type: ignore[attr-defined]
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
        path=redact(request.get_full_path())[:300] if request is not None else "",
        allowed=allowed,
        detail=redact(plain(detail or {})),
    )


def refusal_audited(request: HttpRequest | None) -> bool:
    return bool(getattr(request, "_rencai_refusal_audited", False))


def audit_refusal(request: HttpRequest | None, reason: str, obj_type: str = "", obj_id: Any = "") -> AuditEvent:
    """An out-of-scope lookup, a CSRF failure or another refusal the office should see (allowed=false).

    Marks the request, so the catch-all for 404s (AccessMiddleware, the API exception handler) does not
    record the same refusal twice.
    """
    if request is not None:
        request._rencai_refusal_audited = True  # type: ignore[attr-defined]
    return audit_record(action=AuditEvent.Action.DENIED, request=request, object_type=obj_type[:60],
                        object_id=str(obj_id)[:40], allowed=False, detail={"reason": reason})
