"""Read-only API of agreements with their compliance, for the office's own reports and the matching app."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from rencai.core.api import RoleScopedViewSet
from rencai.core.roles import STAFF_AND_PARTIES
from rencai.engagements.models import Agreement


class AgreementSerializer(serializers.ModelSerializer):
    talent_name = serializers.CharField(source="talent.name", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    compliance = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = ["id", "programme", "talent", "talent_name", "enterprise", "enterprise_name", "institution",
                  "institution_name", "mode", "starts_on", "ends_on", "ended_on", "status", "visits_per_month",
                  "days_per_visit", "days_per_year", "pairing_ref", "compliance"]
        read_only_fields = fields

    def get_compliance(self, agreement: Agreement) -> dict[str, Any]:
        report = agreement.compliance()
        return {"status": str(report.status), "label": report.status.label, "days": report.days,
                "required_days": report.required_days, "pending_days": report.pending_days,
                "behind_months": report.behind_months}


class AgreementViewSet(RoleScopedViewSet):
    """柔性服务协议. Each party sees its own agreements, staff their zone's; reading only."""

    queryset = Agreement.objects.all()
    serializer_class = AgreementSerializer
    allowed_roles = STAFF_AND_PARTIES
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return (Agreement.objects.visible_to(self.request.user)
                .select_related("talent", "enterprise", "institution").prefetch_related("visits"))
