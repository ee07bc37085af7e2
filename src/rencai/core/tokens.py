"""API token authentication: DRF's Token, with an expiry, a read-only scope and its last use kept.

Its own module: DRF reads DEFAULT_AUTHENTICATION_CLASSES while rest_framework.views is being imported, so this
class must not import DRF's views or viewsets.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from rencai.core.audit import client_ip


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token, refused once expired; a read-only token may not write; the last use is kept (per minute)."""

    def authenticate(self, request: Request) -> Any:
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        from rencai.core.token_models import TokenUse, token_expiry

        now = timezone.now()
        if token_expiry(token) <= now:
            raise AuthenticationFailed("接口令牌已过期，请在“接口令牌”页面生成新令牌。")
        use = TokenUse.objects.filter(token=token).first()
        if use is not None and use.read_only and request.method not in SAFE_METHODS:
            raise PermissionDenied("这是只读令牌，只能查询，不能新建或修改。")
        if use is None or use.last_used_at is None or now - use.last_used_at > timedelta(minutes=1):
            TokenUse.objects.update_or_create(token=token, defaults={
                "last_used_at": now, "last_used_ip": client_ip(request._request)}, create_defaults={
                "expires_at": token_expiry(token), "last_used_at": now, "last_used_ip": client_ip(request._request)})
        return user, token


TOKEN_DAYS_CHOICES = (30, 90, 180)


def api_token_create(*, user: Any, days: int, read_only: bool, request: HttpRequest | None = None) -> Any:
    """A new token for the user (the old one stops working), with its life and scope; audited."""
    from django.db import transaction
    from rest_framework.authtoken.models import Token

    from rencai.core.audit import audit_record
    from rencai.core.token_models import TokenUse

    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        token = Token.objects.create(user=user)
        TokenUse.objects.create(token=token, expires_at=timezone.now() + timedelta(days=days), read_only=read_only)
        audit_record(action="create", request=request, user=user, object_type="authtoken.token",
                     object_repr="生成接口令牌", detail={"days": days, "read_only": read_only})
    return token


def api_token_revoke(*, user: Any, request: HttpRequest | None = None) -> bool:
    """The user's token stops working at once; audited. False when there was none."""
    from django.db import transaction
    from rest_framework.authtoken.models import Token

    from rencai.core.audit import audit_record

    with transaction.atomic():
        deleted, _ = Token.objects.filter(user=user).delete()
        if deleted:
            audit_record(action="delete", request=request, user=user, object_type="authtoken.token",
                         object_repr="作废接口令牌")
    return bool(deleted)
