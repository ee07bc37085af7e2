from __future__ import annotations

from rest_framework import serializers

from rencai.core.api import RoleScopedViewSet, ZoneWritableMixin
from rencai.core.roles import REGISTER_READERS, REGISTER_WRITERS, Role
from rencai.core.validators import credit_code_problem, normalize_credit_code
from rencai.orgs.models import Enterprise, InnovationIndicator, Institution, Platform


class IndicatorSerializer(serializers.ModelSerializer):
    three_zeros_cleared = serializers.BooleanField(read_only=True)

    class Meta:
        model = InnovationIndicator
        fields = ["year", "rd_spending", "has_rd_institution", "invention_patents", "three_zeros_cleared"]


class PlatformSerializer(serializers.ModelSerializer):
    class Meta:
        model = Platform
        fields = ["kind", "name", "level", "approved_on", "location"]


def _checked_code(value: str | None) -> str | None:
    if value and (problem := credit_code_problem(value)):
        raise serializers.ValidationError(problem)
    return normalize_credit_code(value) if value else None


class EnterpriseSerializer(ZoneWritableMixin, serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)
    platforms = PlatformSerializer(many=True, read_only=True)
    zone_name = serializers.CharField(source="zone.name", read_only=True)

    class Meta:
        model = Enterprise
        fields = ["id", "name", "credit_code", "zone", "zone_name", "industry_code", "qualifications", "address",
                  "established_on", "employees", "remarks", "indicators", "platforms", "updated_at"]
        read_only_fields = ["updated_at"]

    def validate_credit_code(self, value: str | None) -> str | None:
        return _checked_code(value)

    zone_refusal = "不能把企业登记到您管辖范围以外的旗区/园区"


class EnterpriseViewSet(RoleScopedViewSet):
    """企业库. Staff see their zone's enterprises; an enterprise user sees only their own enterprise."""

    queryset = Enterprise.objects.all()
    serializer_class = EnterpriseSerializer
    allowed_roles = REGISTER_READERS | {Role.ENTERPRISE}
    write_roles = REGISTER_WRITERS

    def get_queryset(self):
        return Enterprise.objects.visible_to(self.request.user).select_related("zone").prefetch_related(
            "indicators", "platforms")


class InstitutionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Institution
        fields = ["id", "name", "kind", "province", "city", "credit_code", "address"]

    def validate_credit_code(self, value: str | None) -> str | None:
        return _checked_code(value)


class InstitutionViewSet(RoleScopedViewSet):
    """派出单位 (universities and institutes). A liaison sees only their own institution."""

    queryset = Institution.objects.all()
    serializer_class = InstitutionSerializer
    allowed_roles = REGISTER_READERS | {Role.LIAISON}
    write_roles = REGISTER_WRITERS
    city_wide = "派出单位名录"  # writes by city-level staff only (core.access.city_wide)
