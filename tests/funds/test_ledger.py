"""The fund ledger: budgets, reservations, payments and corrections by reversal only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from rencai.funds.models import AccountKind, Commitment, Entry, Payment, Transfer
from rencai.funds.services import (
    BudgetExceeded,
    budget_adjust,
    budget_reserve,
    commitment_pay,
    commitment_release,
    entry_reverse,
    fund_open,
)


def reserve(fund, clerk, amount: str = "4000") -> Commitment:
    return budget_reserve(fund=fund, amount=Decimal(amount), category="housing_subsidy", reference="r1", by=clerk)


def test_a_new_fund_shows_its_whole_budget_available(fund):
    assert fund.balance(AccountKind.AVAILABLE) == Decimal("10000.00")
    assert fund.balance(AccountKind.SOURCE) == Decimal("-10000.00")


def test_opening_the_same_fund_twice_is_refused(fund, clerk):
    with pytest.raises(ValidationError, match="已设立"):
        fund_open(year=2026, level=fund.level, zone=fund.zone, budget=Decimal("1"), by=clerk)


def test_reserving_more_than_is_left_is_refused(fund, clerk):
    reserve(fund, clerk, "9000")
    with pytest.raises(BudgetExceeded, match="可用余额 1000.00 元，不足以预留 1000.01 元"):
        reserve(fund, clerk, "1000.01")
    assert fund.balance(AccountKind.COMMITTED) == Decimal("9000.00")


def test_cutting_the_budget_below_what_is_reserved_is_refused(fund, clerk):
    reserve(fund, clerk, "9000")
    with pytest.raises(BudgetExceeded):
        budget_adjust(fund=fund, amount=Decimal("-1000.01"), memo="压减", by=clerk)
    budget_adjust(fund=fund, amount=Decimal("-1000"), memo="压减", by=clerk)
    assert fund.balance(AccountKind.AVAILABLE) == 0


def test_a_payment_request_repeated_with_its_key_is_executed_once(fund, clerk):
    c = reserve(fund, clerk)
    first = commitment_pay(commitment=c, idempotency_key="pay-7", by=clerk, payee_name="王建国")
    again = commitment_pay(commitment=c, idempotency_key="pay-7", by=clerk, payee_name="王建国")
    assert first.pk == again.pk
    assert fund.balance(AccountKind.PAID) == Decimal("4000.00")
    with pytest.raises(ValidationError, match="已支付"):
        commitment_pay(commitment=c, idempotency_key="pay-8", by=clerk, payee_name="王建国")


def test_releasing_returns_the_money_and_a_released_commitment_cannot_be_paid(fund, clerk):
    c = reserve(fund, clerk)
    commitment_release(commitment=c, memo="终止", by=clerk)
    assert fund.balance(AccountKind.AVAILABLE) == Decimal("10000.00")
    assert commitment_release(commitment=c, memo="再次", by=clerk) is None
    with pytest.raises(ValidationError, match="已释放"):
        commitment_pay(commitment=c, idempotency_key="k", by=clerk, payee_name="x")


def test_reversing_a_payment_puts_the_money_back_to_committed_and_allows_paying_again(fund, clerk):
    c = reserve(fund, clerk)
    payment = commitment_pay(commitment=c, idempotency_key="k1", by=clerk, payee_name="x")
    reversal = entry_reverse(transfer=payment.transfer, memo="国库退回：账号有误", by=clerk)
    assert reversal.reverses_id == payment.transfer_id
    assert fund.balance(AccountKind.PAID) == 0 and fund.balance(AccountKind.COMMITTED) == Decimal("4000.00")
    commitment_pay(commitment=c, idempotency_key="k2", by=clerk, payee_name="x")
    assert fund.balance(AccountKind.PAID) == Decimal("4000.00")


def test_a_transfer_is_reversed_at_most_once_and_reversals_are_not_reversed(fund, clerk):
    c = reserve(fund, clerk)
    reserve_transfer = c.transfers.get(kind=Transfer.Kind.RESERVE)
    reversal = entry_reverse(transfer=reserve_transfer, memo="录错", by=clerk)
    with pytest.raises(ValidationError, match="已经冲销过"):
        entry_reverse(transfer=reserve_transfer, memo="录错", by=clerk)
    with pytest.raises(ValidationError, match="不能再冲销"):
        entry_reverse(transfer=reversal, memo="录错", by=clerk)


def test_reversing_needs_a_reason(fund, clerk):
    with pytest.raises(ValidationError, match="原因"):
        entry_reverse(transfer=fund.transfers.first(), memo=" ", by=clerk)


def test_ledger_rows_cannot_be_changed_or_deleted_through_the_models(fund):
    entry = Entry.objects.first()
    entry.amount = Decimal("1")
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        Transfer.objects.all().update(memo="x")
    with pytest.raises(PermissionError):
        Payment.objects.all().delete()


def test_the_database_refuses_to_update_a_ledger_line(fund):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE funds_entry SET amount = 0")
    assert Entry.objects.filter(amount=0).count() == 0
