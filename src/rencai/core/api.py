"""Shared API pieces: masked sensitive fields and the declared read/write roles of a viewset."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers, viewsets
from rest_framework.permissions import SAFE_METHODS

from rencai.core.audit import audit_record
from rencai.core.sensitive import masked_value


class MaskedField(serializers.Field):
    """Always the masked value: full values are revealed only in the page, one at a time, with a reason."""

    def __init__(self, *, field: str, **kwargs: Any) -> None:
        self.sensitive_field = field
        kwargs.setdefault("read_only", True)
        super().__init__(source="*", **kwargs)

    def to_representation(self, obj: Any) -> str:
        return masked_value(obj, self.sensitive_field)


class RoleScopedViewSet(viewsets.ModelViewSet):
    """Reads for `allowed_roles`, writes only for `write_roles`; rows always from `visible_to(user)`."""

    allowed_roles: frozenset[str] = frozenset()
    write_roles: frozenset[str] = frozenset()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return self.queryset.model.objects.visible_to(self.request.user)

    def check_permissions(self, request: Any) -> None:
        super().check_permissions(request)
        if request.method not in SAFE_METHODS and request.user.role not in self.write_roles:
            audit_record(action="denied", request=request._request, user=request.user, allowed=False,
                         detail={"reason": "api write"})
            self.permission_denied(request, message="您的角色只能读取，不能修改")

    def perform_create(self, serializer: Any) -> None:
        obj = serializer.save()
        audit_record(action="create", request=self.request._request, user=self.request.user, obj=obj)

    def perform_update(self, serializer: Any) -> None:
        obj = serializer.save()
        audit_record(action="update", request=self.request._request, user=self.request.user, obj=obj)
