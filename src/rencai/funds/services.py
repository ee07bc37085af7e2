"""The only way money moves. Each service locks the fund row first (select_for_update), so on
PostgreSQL concurrent spends against one fund queue behind each other and see the latest balances;
SQLite serialises all writes anyway."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from rencai.core.audit import audit_record
from rencai.core.models import User, Zone
from rencai.funds.models import (
    ZERO,
    Account,
    AccountKind,
    Commitment,
    Entry,
    Fund,
    Level,
    Payment,
    PaymentBatch,
    PaymentOutcome,
    Transfer,
)

CENT = Decimal("0.01")


class BudgetExceeded(ValidationError):
    """Reserving this would take the fund's available budget below zero."""


def _money(amount: Decimal | int | str) -> Decimal:
    value = Decimal(str(amount)).quantize(CENT)
    return value


def _lock(fund: Fund) -> dict[str, Account]:
    """Lock the fund row, then return its accounts fresh from the database."""
    Fund.objects.select_for_update().get(pk=fund.pk)
    return {a.kind: a for a in Account.objects.select_for_update().filter(fund=fund.pk)}


def lock_funds(funds: Iterable[Fund]) -> None:
    """Lock several funds in one fixed order (by id) so two transactions never deadlock."""
    for pk in sorted({f.pk for f in funds}):
        Fund.objects.select_for_update().get(pk=pk)


def _book(*, fund: Fund, kind: str, moves: dict[str, Decimal], memo: str, by: User, category: str = "",
          commitment: Commitment | None = None, reverses: Transfer | None = None) -> Transfer:
    """Write one balanced transfer and update the cached balances (caller holds the fund lock)."""
    if sum(moves.values(), ZERO) != ZERO:
        raise ValueError("unbalanced transfer")  # a programming error, never a user's
    accounts = {a.kind: a for a in Account.objects.filter(fund=fund.pk)}
    transfer = Transfer.objects.create(fund=fund, kind=kind, memo=memo[:200], by=by, category=category,
                                       commitment=commitment, reverses=reverses)
    for account_kind, amount in moves.items():
        account = accounts[account_kind]
        new_balance = account.balance + amount
        if account_kind != AccountKind.SOURCE and new_balance < 0:
            raise BudgetExceeded(
                f"{fund}{account.get_kind_display()}余额不足：现有 {account.balance} 元，需要 {-amount} 元")
        Entry.objects.create(transfer=transfer, account=account, amount=amount)
        Account.objects.filter(pk=account.pk).update(balance=new_balance)
    return transfer


@transaction.atomic
def fund_open(*, year: int, level: str, zone: Zone, budget: Decimal, by: User, name: str = "",
              request: HttpRequest | None = None) -> Fund:
    """Set up a year's fund for one government level and zone, with its budget booked in."""
    if level not in Level.values:
        raise ValidationError(f"政府层级“{level}”无效，应为自治区、市或区")
    exists = f"{zone}{year}年{Level(level).label}级资金已设立，不能重复设立；如需增减预算请调整预算"
    if Fund.objects.filter(year=year, level=level, zone=zone).exists():
        raise ValidationError(exists)
    try:
        with transaction.atomic():  # a rival request may create it between the check and here
            fund = Fund.objects.create(year=year, level=level, zone=zone,
                                       name=name or f"{zone}{year}年人才资金（{Level(level).label}级）")
    except IntegrityError as exc:
        raise ValidationError(exists) from exc
    Account.objects.bulk_create([Account(fund=fund, kind=k) for k in AccountKind.values])
    if budget:
        budget_adjust(fund=fund, amount=_money(budget), memo="年度预算下达", by=by)
    audit_record(action="create", request=request, user=by, obj=fund, detail={"budget": str(budget)})
    return fund


@transaction.atomic
def budget_adjust(*, fund: Fund, amount: Decimal, memo: str, by: User,
                  request: HttpRequest | None = None) -> Transfer:
    """Add to (positive) or cut (negative) a fund's budget; a cut can never exceed what is unreserved."""
    amount = _money(amount)
    if amount == 0:
        raise ValidationError("调整金额不能为零")
    _lock(fund)
    transfer = _book(fund=fund, kind=Transfer.Kind.BUDGET, memo=memo, by=by,
                     moves={AccountKind.SOURCE: -amount, AccountKind.AVAILABLE: amount})
    audit_record(action="update", request=request, user=by, obj=fund, detail={"budget_adjust": str(amount)})
    return transfer


@transaction.atomic
def budget_reserve(*, fund: Fund, amount: Decimal, category: str, reference: str, by: User,
                   memo: str = "") -> Commitment:
    """Reserve money for a purpose; refused (BudgetExceeded) if the fund has not enough left."""
    amount = _money(amount)
    if amount <= 0:
        raise ValidationError("预留金额必须大于零")
    accounts = _lock(fund)
    if accounts[AccountKind.AVAILABLE].balance < amount:
        raise BudgetExceeded(
            f"{fund}可用余额 {accounts[AccountKind.AVAILABLE].balance} 元，不足以预留 {amount} 元"
        )
    commitment = Commitment.objects.create(fund=fund, amount=amount, category=category, reference=reference)
    _book(fund=fund, kind=Transfer.Kind.RESERVE, memo=memo or f"预留 {reference}", by=by, category=category,
          commitment=commitment, moves={AccountKind.AVAILABLE: -amount, AccountKind.COMMITTED: amount})
    return commitment


@transaction.atomic
def commitment_release(*, commitment: Commitment, memo: str, by: User) -> Transfer | None:
    """Give an unpaid commitment's money back to the available budget; None if nothing was open."""
    _lock(commitment.fund)
    commitment = Commitment.objects.get(pk=commitment.pk)
    if commitment.status != Commitment.Status.OPEN:
        return None
    transfer = _book(fund=commitment.fund, kind=Transfer.Kind.RELEASE, memo=memo, by=by,
                     category=commitment.category, commitment=commitment,
                     moves={AccountKind.COMMITTED: -commitment.amount, AccountKind.AVAILABLE: commitment.amount})
    Commitment.objects.filter(pk=commitment.pk).update(status=Commitment.Status.RELEASED)
    return transfer


@transaction.atomic
def commitment_pay(*, commitment: Commitment, idempotency_key: str, by: User, payee_name: str,
                   payee_bank: str = "", payee_account: str = "", memo: str = "",
                   batch: PaymentBatch | None = None) -> Payment:
    """Pay a commitment in full, at most once per key: a repeated key returns the first payment.

    A second key for an already-paid commitment is refused, so a commitment is never paid twice.
    """
    if not idempotency_key:
        raise ValidationError("支付请求缺少编号")
    existing = Payment.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    _lock(commitment.fund)
    existing = Payment.objects.filter(idempotency_key=idempotency_key).first()  # a racer may have won
    if existing is not None:
        return existing
    commitment = Commitment.objects.get(pk=commitment.pk)
    if commitment.status != Commitment.Status.OPEN:
        raise ValidationError(f"{commitment.reference} 当前为{commitment.get_status_display()}，不能支付")
    transfer = _book(fund=commitment.fund, kind=Transfer.Kind.PAY, memo=memo or f"支付 {commitment.reference}",
                     by=by, category=commitment.category, commitment=commitment,
                     moves={AccountKind.COMMITTED: -commitment.amount, AccountKind.PAID: commitment.amount})
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                idempotency_key=idempotency_key, commitment=commitment, transfer=transfer,
                amount=commitment.amount, payee_name=payee_name, payee_bank=payee_bank,
                payee_account=payee_account, by=by, batch=batch,
            )
    except IntegrityError as exc:  # same key on another fund's row lock; never book twice
        raise ValidationError("该支付请求已在处理中，请刷新后查看") from exc
    Commitment.objects.filter(pk=commitment.pk).update(status=Commitment.Status.PAID)
    return payment


@transaction.atomic
def entry_reverse(*, transfer: Transfer, memo: str, by: User, request: HttpRequest | None = None) -> Transfer:
    """Correct a transfer by booking its mirror image; the commitment returns to where it was."""
    if not memo.strip():
        raise ValidationError("冲销必须填写原因")
    _lock(transfer.fund)
    if Transfer.objects.filter(reverses=transfer).exists():
        raise ValidationError(f"分录 #{transfer.pk} 已经冲销过")
    if transfer.kind == Transfer.Kind.REVERSAL:
        raise ValidationError("冲销分录不能再冲销；如需更正请重新记账")
    _check_commitment_state(transfer)
    moves = {e.account.kind: -e.amount for e in transfer.entries.select_related("account")}
    reversal = _book(fund=transfer.fund, kind=Transfer.Kind.REVERSAL, memo=memo, by=by,
                     category=transfer.category, commitment=transfer.commitment, reverses=transfer, moves=moves)
    _restore_commitment(transfer)
    audit_record(action="update", request=request, user=by, obj=transfer, detail={"reversed_by": reversal.pk,
                                                                                   "memo": memo})
    return reversal


# A transfer can be reversed only while its commitment is still in the state that transfer left it in.
_AFTER = {Transfer.Kind.PAY: Commitment.Status.PAID, Transfer.Kind.RELEASE: Commitment.Status.RELEASED,
          Transfer.Kind.RESERVE: Commitment.Status.OPEN}


def _check_commitment_state(transfer: Transfer) -> None:
    if transfer.commitment_id is None:
        return
    status = Commitment.objects.get(pk=transfer.commitment_id).status
    if status != _AFTER[Transfer.Kind(transfer.kind)]:
        raise ValidationError(f"分录 #{transfer.pk} 之后该承诺已有新的变动，不能直接冲销")


def _restore_commitment(transfer: Transfer) -> None:
    """After a reversal, put the commitment back in the state before the reversed transfer."""
    if transfer.commitment_id is None:
        return
    before = {
        Transfer.Kind.PAY: Commitment.Status.OPEN,
        Transfer.Kind.RELEASE: Commitment.Status.OPEN,
        Transfer.Kind.RESERVE: Commitment.Status.RELEASED,
    }.get(Transfer.Kind(transfer.kind))
    if before:
        Commitment.objects.filter(pk=transfer.commitment_id).update(status=before)


def payment_reverse(*, payment: Payment, memo: str, by: User, request: HttpRequest | None = None) -> Transfer:
    """Undo a payment (e.g. the treasury returned it): the money goes back to committed."""
    return entry_reverse(transfer=payment.transfer, memo=memo, by=by, request=request)


@transaction.atomic
def batch_open(*, request_key: str, title: str, zone: Zone, by: User) -> tuple[PaymentBatch, bool]:
    """A payment batch for the treasury; the same request key returns the batch already made."""
    batch, created = PaymentBatch.objects.get_or_create(request_key=request_key,
                                                        defaults={"title": title, "zone": zone, "by": by})
    return batch, created


@transaction.atomic
def payment_outcome_record(*, payment: Payment, result: str, note: str, by: User,
                           request: HttpRequest | None = None) -> PaymentOutcome:
    """Record the treasury's answer once; a returned payment is reversed back to committed."""
    if PaymentOutcome.objects.filter(payment=payment).exists():
        raise ValidationError("该笔支付的结果已经登记")
    outcome = PaymentOutcome.objects.create(payment=payment, result=result, note=note, by=by)
    if result == PaymentOutcome.Result.RETURNED:
        payment_reverse(payment=payment, memo=f"国库退回：{note or '未说明'}", by=by, request=request)
    return outcome
