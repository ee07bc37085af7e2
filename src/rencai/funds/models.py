"""Funds, accounts and the append-only double-entry ledger.

Every fund (one year, one government level, one zone) has four accounts:
  source     — the appropriation; its balance is minus the budget
  available  — budget not yet reserved
  committed  — reserved for approved entitlements, not yet paid
  paid       — paid out
Each transfer's lines sum to zero, so all balances together always sum to zero. Corrections are
new transfers that reverse old ones; nothing in the ledger is ever updated or deleted.
This app imports no other domain app: what a commitment is for is an opaque category and reference.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from rencai.core.crypto import EncryptedTextField
from rencai.core.models import User, Zone
from rencai.core.scoping import Scope, ScopedQuerySet

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ZERO = Decimal("0.00")


def money_field(verbose: StrOrPromise, **kwargs: Any) -> models.DecimalField:
    return models.DecimalField(verbose, max_digits=14, decimal_places=2, **kwargs)


class Level(models.TextChoices):
    REGION = "region", _("自治区")
    CITY = "city", _("市")
    DISTRICT = "district", _("区")


class AccountKind(models.TextChoices):
    SOURCE = "source", _("预算来源")
    AVAILABLE = "available", _("可用")
    COMMITTED = "committed", _("已承诺")
    PAID = "paid", _("已支付")


class Fund(models.Model):
    """One year's money from one government level for one zone's talent work."""

    year = models.PositiveSmallIntegerField(_("年度"))
    level = models.CharField(_("政府层级"), max_length=10, choices=Level.choices)
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("旗区/园区"))
    name = models.CharField(_("资金名称"), max_length=100)
    created_at = models.DateTimeField(_("设立时间"), auto_now_add=True)

    scope = Scope(zone="zone")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("人才资金")
        verbose_name_plural = _("人才资金")
        ordering = ["-year", "zone", "level"]
        constraints = [models.UniqueConstraint(fields=["year", "level", "zone"], name="fund_one_per_year_level_zone")]

    def __str__(self) -> str:
        return self.name or f"{self.year}年{self.get_level_display()}级人才资金"

    def balance(self, kind: str) -> Decimal:
        return self.accounts.get(kind=kind).balance


class Account(models.Model):
    """A fund's account; `balance` is a cache of its ledger lines, kept under the fund's row lock."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="accounts")
    kind = models.CharField(_("账户"), max_length=10, choices=AccountKind.choices)
    balance = money_field(_("余额"), default=ZERO)

    scope = Scope(zone="fund__zone")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("资金账户")
        verbose_name_plural = _("资金账户")
        constraints = [
            models.UniqueConstraint(fields=["fund", "kind"], name="account_one_kind_per_fund"),
            # the database itself refuses an overspent budget or a negative commitment
            models.CheckConstraint(
                condition=models.Q(kind="source") | models.Q(balance__gte=0), name="account_never_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund} · {self.get_kind_display()}"


class AppendOnlyQuerySet(ScopedQuerySet):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("资金台账只能追加，不能修改；更正请做冲销")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("资金台账只能追加，不能删除；更正请做冲销")


class AppendOnly(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("资金台账只能追加，不能修改；更正请做冲销")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("资金台账只能追加，不能删除；更正请做冲销")


class Transfer(AppendOnly):
    class Kind(models.TextChoices):
        BUDGET = "budget", _("预算下达")
        RESERVE = "reserve", _("预留（承诺）")
        RELEASE = "release", _("释放承诺")
        PAY = "pay", _("支付")
        REVERSAL = "reversal", _("冲销")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="transfers")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    commitment = models.ForeignKey(
        "Commitment", on_delete=models.PROTECT, null=True, blank=True, related_name="transfers"
    )
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by",
        verbose_name=_("冲销的分录"),
    )
    category = models.CharField(_("类别"), max_length=60, blank=True, db_index=True,
                                help_text=_("如政策代码，用于按政策对账"))
    memo = models.CharField(_("摘要"), max_length=200)
    by = models.ForeignKey(User, on_delete=models.PROTECT, verbose_name=_("经办人"))
    at = models.DateTimeField(_("记账时间"), auto_now_add=True)

    scope = Scope(zone="fund__zone")

    class Meta:
        verbose_name = _("资金分录")
        verbose_name_plural = _("资金分录")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["fund", "-at", "-id"], name="transfer_fund_recent_idx")]  # a fund's ledger

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} {self.memo}"


class Entry(AppendOnly):
    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    amount = money_field(_("金额"))  # positive into the account, negative out of it

    scope = Scope(zone="transfer__fund__zone")

    class Meta:
        verbose_name = _("记账行")
        verbose_name_plural = _("记账行")

    def __str__(self) -> str:
        return f"{self.account} {self.amount:+}"


class Commitment(models.Model):
    """Money reserved for one purpose (e.g. one government level's share of one instalment)."""

    class Status(models.TextChoices):
        OPEN = "open", _("已预留")
        PAID = "paid", _("已支付")
        RELEASED = "released", _("已释放")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="commitments")
    amount = money_field(_("金额"))
    category = models.CharField(_("类别"), max_length=60, db_index=True)
    reference = models.CharField(_("业务编号"), max_length=80, db_index=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("预留时间"), auto_now_add=True)

    scope = Scope(zone="fund__zone")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("资金承诺")
        verbose_name_plural = _("资金承诺")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="commitment_positive")]

    def __str__(self) -> str:
        return f"{self.reference} {self.amount}"


class Payment(AppendOnly):
    """One executed payment; the idempotency key makes a repeated request return this same row."""

    idempotency_key = models.CharField(_("支付请求编号"), max_length=100, unique=True,
                                       help_text=_("同一支付请求重复提交只支付一次"))
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="payments")
    transfer = models.OneToOneField(Transfer, on_delete=models.PROTECT, related_name="payment")
    amount = money_field(_("金额"))
    payee_name = models.CharField(_("收款人"), max_length=200)
    payee_bank = models.CharField(_("开户行"), max_length=100, blank=True)
    payee_account = EncryptedTextField(_("收款账号"), blank=True)
    batch = models.ForeignKey("PaymentBatch", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="payments")
    by = models.ForeignKey(User, on_delete=models.PROTECT, verbose_name=_("支付经办人"))
    at = models.DateTimeField(_("支付时间"), auto_now_add=True)

    scope = Scope(zone="commitment__fund__zone")

    sensitive_fields = {"payee_account": "bank_account"}

    class Meta:
        verbose_name = _("支付")
        verbose_name_plural = _("支付")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["-at", "-id"], name="payment_recent_idx")]

    def __str__(self) -> str:
        return f"{self.payee_name} {self.amount}"


class PaymentBatch(models.Model):
    """Payments sent to the treasury together as one spreadsheet; the result is recorded per payment."""

    title = models.CharField(_("批次名称"), max_length=100)
    request_key = models.CharField(_("请求编号"), max_length=64, unique=True,
                                   help_text=_("页面生成的编号：同一请求重复提交只生成一个批次"))
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("旗区/园区"))
    by = models.ForeignKey(User, on_delete=models.PROTECT, verbose_name=_("经办人"))
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    scope = Scope(zone="zone")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("支付批次")
        verbose_name_plural = _("支付批次")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["zone", "-created_at"], name="batch_zone_recent_idx")]

    def __str__(self) -> str:
        return self.title


class PaymentOutcome(AppendOnly):
    """The treasury's answer for one payment: done, or returned (then the payment is reversed)."""

    class Result(models.TextChoices):
        DONE = "done", _("已到账")
        RETURNED = "returned", _("退回")

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="outcome")
    result = models.CharField(_("结果"), max_length=10, choices=Result.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)

    scope = Scope(zone="payment__commitment__fund__zone")

    def __str__(self) -> str:
        return f"{self.payment} {self.get_result_display()}"
