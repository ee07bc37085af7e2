from __future__ import annotations

from typing import Any

from rest_framework import serializers

from rencai.core.api import MaskedField, RoleScopedViewSet, ZoneWritableMixin
from rencai.core.roles import REGISTER_READERS, REGISTER_WRITERS, Role
from rencai.core.validators import id_number_problem, mobile_problem, normalize_id_number, normalize_mobile
from rencai.talents.models import Talent
from rencai.talents.services import talent_save


class TalentSerializer(ZoneWritableMixin, serializers.ModelSerializer):
    id_number_masked = MaskedField(label="身份证号（脱敏）", field="id_number")
    phone_masked = MaskedField(label="手机号（脱敏）", field="phone")
    id_number = serializers.CharField(write_only=True, required=False, allow_blank=True, label="身份证号")
    phone = serializers.CharField(write_only=True, required=False, allow_blank=True, label="手机号")
    zone_name = serializers.CharField(source="zone.name", read_only=True)

    class Meta:
        model = Talent
        fields = [
            "id", "zone", "zone_name", "name", "gender", "birth_date", "id_number", "id_number_masked", "phone",
            "phone_masked", "education", "degree", "graduated_from", "major", "discipline_code", "discipline",
            "research_directions", "title", "employer", "institution", "talent_type", "flexible_mode", "tier",
            "tier_manual", "achievements", "region", "remarks", "updated_at",
        ]
        read_only_fields = ["discipline_code", "tier_manual", "updated_at"]

    def validate_id_number(self, value: str) -> str:
        if value and (problem := id_number_problem(value)):
            raise serializers.ValidationError(problem)
        return normalize_id_number(value) if value else value

    def validate_phone(self, value: str) -> str:
        if value and (problem := mobile_problem(value)):
            raise serializers.ValidationError(problem)
        return normalize_mobile(value) if value else value

    zone_refusal = "不能把人才登记到您管辖范围以外的旗区/园区"


class TalentViewSet(RoleScopedViewSet):
    """人才库. Staff of a zone see their zone; a liaison sees their institution's people; a talent sees self."""

    queryset = Talent.objects.all()
    serializer_class = TalentSerializer
    allowed_roles = REGISTER_READERS | {Role.LIAISON, Role.TALENT}
    write_roles = REGISTER_WRITERS

    def get_queryset(self):
        return Talent.objects.visible_to(self.request.user).select_related("zone")

    def perform_create(self, serializer: Any) -> None:
        talent = Talent(**serializer.validated_data)
        talent.tier_manual = bool(talent.tier)
        serializer.instance = talent_save(talent=talent, by=self.request.user, request=self.request._request)

    def perform_update(self, serializer: Any) -> None:
        talent = serializer.instance
        for field, value in serializer.validated_data.items():
            if field in ("id_number", "phone") and not value:
                continue
            setattr(talent, field, value)
        if "tier" in serializer.validated_data:
            talent.tier_manual = bool(talent.tier)
        talent_save(talent=talent, by=self.request.user, request=self.request._request)
