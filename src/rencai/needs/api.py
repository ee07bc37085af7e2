from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import ValidationError as ApiValidationError

from rencai.core.api import MaskedField, RoleScopedViewSet
from rencai.core.audit import audit_record
from rencai.core.roles import REGISTER_READERS, REGISTER_WRITERS, Role
from rencai.needs.models import Need
from rencai.orgs.models import Enterprise


class NeedSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    contact_phone_masked = MaskedField(field="contact_phone")

    class Meta:
        model = Need
        fields = ["id", "enterprise", "enterprise_name", "kind", "title", "description", "field_text",
                  "discipline_code", "discipline_source", "industry_code", "expected_talent", "level", "headcount",
                  "filled",
                  "urgency", "budget", "contact_name", "contact_phone_masked", "deadline", "status",
                  "status_label", "closed_reason", "source", "created_at", "updated_at"]
        read_only_fields = ["filled", "status", "closed_reason", "source", "created_at", "updated_at",
                            "discipline_source"]

    def validate_enterprise(self, enterprise: Enterprise) -> Enterprise:
        if not Enterprise.objects.visible_to(self.context["request"].user).filter(pk=enterprise.pk).exists():
            raise serializers.ValidationError("不能为您无权查看的企业登记需求")
        return enterprise


class NeedViewSet(RoleScopedViewSet):
    """企业需求. Staff see their zone's needs; an enterprise user only their own enterprise's, and may submit."""

    queryset = Need.objects.all()
    serializer_class = NeedSerializer
    allowed_roles = REGISTER_READERS | {Role.ENTERPRISE}
    write_roles = REGISTER_WRITERS | {Role.ENTERPRISE}

    def get_queryset(self):
        return Need.objects.visible_to(self.request.user).select_related("enterprise")

    def perform_create(self, serializer: Any) -> None:
        from django.core.exceptions import ValidationError

        from rencai.needs.services import need_create

        try:
            serializer.instance = need_create(need=Need(**serializer.validated_data), by=self.request.user,
                                              request=self.request._request)
        except ValidationError as exc:
            raise ApiValidationError(exc.messages) from exc

    def perform_update(self, serializer: Any) -> None:
        # Status moves go through the life of a need (the page), never through a plain field write.
        need = serializer.instance
        if self.request.user.role == Role.ENTERPRISE and need.status != "pending":
            raise ApiValidationError("需求审核通过后，企业不能再修改")
        from rencai.needs.services import apply_field_mapping

        data = serializer.validated_data
        obj = serializer.save()
        if data.get("discipline_code"):  # given: it stays, whatever 所属领域 says later
            obj.discipline_source = Need.DisciplineSource.STAFF
        elif "discipline_code" in data or "field_text" in data:  # cleared, or 所属领域 changed: mapped again
            if "discipline_code" in data:
                obj.discipline_source = Need.DisciplineSource.NONE
            apply_field_mapping(obj)
        obj.save(update_fields=["discipline_code", "discipline_source", "industry_code"])
        audit_record(action="update", request=self.request._request, user=self.request.user, obj=obj)
