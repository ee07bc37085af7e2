"""Shared API pieces: masked sensitive fields and the declared read/write roles of a viewset."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth import get_user
from django.db.models import QuerySet
from django.http import Http404
from rest_framework import serializers, viewsets
from rest_framework.exceptions import AuthenticationFailed, NotFound, PermissionDenied
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from rencai.core.access import CSRF_REASON, NOT_FOUND_REASON
from rencai.core.audit import audit_record, audit_refusal, refusal_audited
from rencai.core.sensitive import masked_value

if TYPE_CHECKING:
    from rencai.core.models import User


class MaskedField(serializers.Field):
    """Always the masked value: full values are revealed only in the page, one at a time, with a reason."""

    def __init__(self, *, field: str, through: str = "", **kwargs: Any) -> None:
        self.sensitive_field = field
        self.through = through  # a related record that holds the field, e.g. "candidate" on an intention
        kwargs.setdefault("read_only", True)
        super().__init__(source="*", **kwargs)

    def to_representation(self, obj: Any) -> str:
        for name in filter(None, self.through.split(".")):
            obj = getattr(obj, name)
        return masked_value(obj, self.sensitive_field)


class AuthedAPIRequest(Request):
    """The request an API view with declared roles receives: DeclaredRolePermission has let only a signed-in
    user through. For type checking only (`request.user` is our `User`); at run time DRF's Request."""

    user: User


class RoleScopedViewSet(viewsets.ModelViewSet):
    """Reads for `allowed_roles`, writes only for `write_roles`; rows always from `visible_to(user)`."""

    request: AuthedAPIRequest

    allowed_roles: frozenset[str] = frozenset()
    write_roles: frozenset[str] = frozenset()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Any]:
        assert self.queryset is not None, f"{type(self).__name__} declares its queryset"
        return self.queryset.model.objects.visible_to(self.request.user)

    def check_permissions(self, request: Request) -> None:
        super().check_permissions(request)
        user = cast("User", request.user)  # DeclaredRolePermission (in super()) has let only a signed-in user by
        if request.method not in SAFE_METHODS and user.role not in self.write_roles:
            audit_record(action="denied", request=request._request, user=user, allowed=False,
                         detail={"reason": "api write"})
            self.permission_denied(request, message="您的角色只能读取，不能修改")

    def perform_create(self, serializer: Any) -> None:
        obj = serializer.save()
        audit_record(action="create", request=self.request._request, user=self.request.user, obj=obj)

    def perform_update(self, serializer: Any) -> None:
        obj = serializer.save()
        audit_record(action="update", request=self.request._request, user=self.request.user, obj=obj)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Any:
    """DRF's handler, plus an allowed=false audit row for a 404 (out of scope or absent) and a CSRF failure."""
    from rest_framework.views import exception_handler as drf_exception_handler  # it reads the settings naming us

    response = drf_exception_handler(exc, context)
    request = context.get("request")
    raw = getattr(request, "_request", None)
    if raw is None or refusal_audited(raw):
        return response
    view = context.get("view")
    if isinstance(exc, Http404 | NotFound):
        model = getattr(getattr(view, "queryset", None), "model", None)
        audit_refusal(raw, NOT_FOUND_REASON, obj_type=model._meta.label_lower if model else "",
                      obj_id=(getattr(view, "kwargs", None) or {}).get("pk", ""))
    elif isinstance(exc, AuthenticationFailed) and raw.META.get("HTTP_AUTHORIZATION", "").startswith("Token "):
        audit_refusal(raw, f"接口令牌被拒绝：{exc.detail}")
    elif isinstance(exc, PermissionDenied) and str(exc.detail).startswith("CSRF Failed"):
        raw.user = get_user(raw)  # the session's user, whom the failed authentication left anonymous
        audit_refusal(raw, f"{CSRF_REASON}：{exc.detail}")
        if response is not None:
            response.data = {"detail": "安全校验失败（CSRF），请刷新页面后重试。"}
    return response


from rencai.core import schema as _schema  # noqa: E402,F401  (registers the MaskedField schema extension)


class ZoneWritableMixin:
    """A serializer whose `zone` must be one the requesting user may see: nothing is registered elsewhere."""

    zone_refusal = "不能登记到您管辖范围以外的旗区/园区"

    def validate_zone(self, zone: Any) -> Any:
        if not self.context["request"].user.visible_zones().filter(pk=zone.pk).exists():  # type: ignore[attr-defined]
            raise serializers.ValidationError(self.zone_refusal)
        return zone
