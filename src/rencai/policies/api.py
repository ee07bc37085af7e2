"""Read-only API of policies, entitlements and applications, from the same scoped querysets as the pages.

Bank accounts are always masked; money moves only through the pages (and their services), where the
separation of duties and the reasons for a refusal are shown.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from rencai.core.api import MaskedField, RoleScopedViewSet
from rencai.core.roles import STAFF, Role
from rencai.policies.models import Application, Entitlement, Instalment, Policy, PolicyVersion
from rencai.policies.selectors import policies_for
from rencai.policies.templatetags.policies_display import describe_source

BENEFICIARIES = frozenset({Role.TALENT, Role.ENTERPRISE})


class VersionSerializer(serializers.ModelSerializer):
    conditions = serializers.SerializerMethodField(help_text="资格条件（说明与条款）")

    class Meta:
        model = PolicyVersion
        fields = ["number", "effective_from", "effective_to", "clauses", "conditions", "amount", "schedule",
                  "level_shares", "cap_per_person", "cap_per_year", "required_documents", "notice_days"]
        read_only_fields = fields

    def get_conditions(self, version: PolicyVersion) -> list[dict[str, str]]:
        staff = getattr(self.context.get("request"), "user", None) is not None and \
            self.context["request"].user.is_office_staff
        return [{"label": c.get("label", ""), "clause": c.get("clause", ""), **({"expr": c["expr"]} if staff else {})}
                for c in version.conditions]


class PolicySerializer(serializers.ModelSerializer):
    beneficiary_kind_label = serializers.CharField(source="get_beneficiary_kind_display", read_only=True)
    current_version = VersionSerializer(read_only=True)

    class Meta:
        model = Policy
        fields = ["id", "code", "title", "doc_number", "issuer", "beneficiary_kind", "beneficiary_kind_label",
                  "auto_grant", "active", "current_version"]
        read_only_fields = fields


class InstalmentSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Instalment
        fields = ["seq", "due_on", "amount", "status", "status_label"]
        read_only_fields = fields


class EntitlementSerializer(serializers.ModelSerializer):
    policy_code = serializers.CharField(source="policy.code", read_only=True)
    policy_title = serializers.CharField(source="policy.title", read_only=True)
    version_number = serializers.IntegerField(source="version.number", read_only=True)
    beneficiary = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    source_label = serializers.SerializerMethodField(help_text="来源说明")
    bank_account_masked = MaskedField(label="收款账号（脱敏）", field="bank_account")
    bank_confirmed = serializers.SerializerMethodField(help_text="收款账户是否已确认且可支付")
    instalments = InstalmentSerializer(many=True, read_only=True)

    class Meta:
        model = Entitlement
        fields = ["id", "policy", "policy_code", "policy_title", "version_number", "beneficiary", "zone", "amount",
                  "status", "status_label", "source_label", "notice_from", "notice_until", "bank_name",
                  "bank_account_masked", "bank_confirmed", "bank_problem", "created_at", "approved_at",
                  "instalments"]
        read_only_fields = fields

    def get_source_label(self, entitlement: Entitlement) -> str:
        return describe_source(entitlement.source, self.context["request"].user)[0]

    def get_bank_confirmed(self, entitlement: Entitlement) -> bool:
        return entitlement.bank_blocker() is None


class ApplicationSerializer(serializers.ModelSerializer):
    policy_code = serializers.CharField(source="policy.code", read_only=True)
    version_number = serializers.IntegerField(source="version.number", read_only=True)
    beneficiary = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Application
        fields = ["id", "policy", "policy_code", "version_number", "beneficiary", "zone", "status", "status_label",
                  "notice_from", "notice_until", "submitted_at", "entitlement"]
        read_only_fields = fields


class PolicyViewSet(RoleScopedViewSet):
    """政策: staff see every policy; a talent or an enterprise the active policies for it."""

    queryset = Policy.objects.all()
    serializer_class = PolicySerializer
    allowed_roles = STAFF | BENEFICIARIES
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return policies_for(self.request.user).prefetch_related("versions")


class EntitlementViewSet(RoleScopedViewSet):
    """兑现资格 with instalments: staff of the zone, the talent or the enterprise it belongs to."""

    queryset = Entitlement.objects.all()
    serializer_class = EntitlementSerializer
    allowed_roles = STAFF | BENEFICIARIES
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return (Entitlement.objects.visible_to(self.request.user)
                .select_related("policy", "version", "talent", "enterprise").prefetch_related("instalments"))


class ApplicationViewSet(RoleScopedViewSet):
    """兑现申请: staff of the zone and the applicant; review steps are made on the pages."""

    queryset = Application.objects.all()
    serializer_class = ApplicationSerializer
    allowed_roles = STAFF | BENEFICIARIES
    http_method_names = ["get", "head", "options"]

    def get_queryset(self) -> Any:
        return Application.objects.visible_to(self.request.user).select_related("policy", "version", "talent",
                                                                                 "enterprise")
