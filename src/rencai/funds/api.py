"""Read-only API of funds (balances) and payment batches (masked accounts), for office admins and finance."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from rencai.core.api import MaskedField, RoleScopedViewSet
from rencai.core.roles import Role
from rencai.funds.models import AccountKind, Fund, Payment, PaymentBatch

FUND_READERS = frozenset({Role.OFFICE_ADMIN, Role.FINANCE})


class FundSerializer(serializers.ModelSerializer):
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    zone_name = serializers.CharField(source="zone.name", read_only=True)
    balances = serializers.SerializerMethodField(help_text="预算、可用、已承诺、已支付（元）")

    class Meta:
        model = Fund
        fields = ["id", "year", "level", "level_label", "zone", "zone_name", "name", "balances"]
        read_only_fields = fields

    def get_balances(self, fund: Fund) -> dict[str, str]:
        accounts = {a.kind: a.balance for a in fund.accounts.all()}
        return {"budget": str(-accounts.get(AccountKind.SOURCE, Decimal(0))),
                "available": str(accounts.get(AccountKind.AVAILABLE, Decimal(0))),
                "committed": str(accounts.get(AccountKind.COMMITTED, Decimal(0))),
                "paid": str(accounts.get(AccountKind.PAID, Decimal(0)))}


class PaymentSerializer(serializers.ModelSerializer):
    payee_account_masked = MaskedField(label="收款账号（脱敏）", field="payee_account")
    memo = serializers.CharField(source="transfer.memo", read_only=True)
    outcome = serializers.SerializerMethodField(help_text="国库结果")

    class Meta:
        model = Payment
        fields = ["id", "payee_name", "payee_bank", "payee_account_masked", "amount", "memo", "at", "outcome"]
        read_only_fields = fields

    def get_outcome(self, payment: Payment) -> str:
        outcome = getattr(payment, "outcome", None)
        return outcome.get_result_display() if outcome is not None else "未回单"


class PaymentBatchSerializer(serializers.ModelSerializer):
    payments = PaymentSerializer(many=True, read_only=True)

    class Meta:
        model = PaymentBatch
        fields = ["id", "title", "zone", "created_at", "payments"]
        read_only_fields = fields


class FundViewSet(RoleScopedViewSet):
    """人才资金 with balances, for the zone's office admins and finance."""

    queryset = Fund.objects.all()
    serializer_class = FundSerializer
    allowed_roles = FUND_READERS
    http_method_names = ["get", "head", "options"]

    def get_queryset(self) -> Any:
        return Fund.objects.visible_to(self.request.user).select_related("zone").prefetch_related("accounts")


class PaymentBatchViewSet(RoleScopedViewSet):
    """支付批次 with their payments (accounts masked; the full file is the audited treasury export)."""

    queryset = PaymentBatch.objects.all()
    serializer_class = PaymentBatchSerializer
    allowed_roles = FUND_READERS
    http_method_names = ["get", "head", "options"]

    def get_queryset(self) -> Any:
        return (PaymentBatch.objects.visible_to(self.request.user)
                .prefetch_related("payments__transfer", "payments__outcome"))
