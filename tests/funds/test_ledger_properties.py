"""Random sequences of reserve, pay, release, reverse and budget cuts never break the ledger:
every transfer balances, no balance but the source goes negative, nothing is paid twice."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rencai.funds.models import Account, AccountKind, Commitment, Entry, Fund, Payment, Transfer
from rencai.funds.services import (
    budget_adjust,
    budget_reserve,
    commitment_pay,
    commitment_release,
    entry_reverse,
)

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("6000"), places=2)
ops = st.lists(st.one_of(
    st.tuples(st.just("reserve"), amounts),
    st.tuples(st.just("pay"), st.integers(0, 20), st.integers(0, 3)),
    st.tuples(st.just("release"), st.integers(0, 20)),
    st.tuples(st.just("reverse"), st.integers(0, 60)),
    st.tuples(st.just("budget"), st.decimals(min_value=Decimal("-5000"), max_value=Decimal("5000"), places=2)),
), max_size=25)


class Rollback(Exception):
    pass


def _apply(op: tuple, fund: Fund, clerk) -> None:
    commitments = list(Commitment.objects.filter(fund=fund).order_by("pk"))
    kind = op[0]
    if kind == "reserve":
        budget_reserve(fund=fund, amount=op[1], category="p", reference="r", by=clerk)
    elif kind == "pay" and commitments:
        c = commitments[op[1] % len(commitments)]
        commitment_pay(commitment=c, idempotency_key=f"{c.pk}-{op[2]}", by=clerk, payee_name="某人")
    elif kind == "release" and commitments:
        commitment_release(commitment=commitments[op[1] % len(commitments)], memo="释放", by=clerk)
    elif kind == "reverse":
        transfers = list(Transfer.objects.filter(fund=fund).order_by("pk"))
        entry_reverse(transfer=transfers[op[1] % len(transfers)], memo="更正", by=clerk)
    elif kind == "budget" and op[1] != 0:
        budget_adjust(fund=fund, amount=op[1], memo="调整", by=clerk)


def _balances(fund: Fund) -> dict[str, Decimal]:
    return {a.kind: a.balance for a in Account.objects.filter(fund=fund)}


def _total(entries) -> Decimal:
    # summed in Python: SQLite's SUM over decimals is floating point
    return sum((e.amount for e in entries), Decimal(0))


def _check_invariants(fund: Fund) -> None:
    for transfer in Transfer.objects.filter(fund=fund):
        assert _total(transfer.entries.all()) == 0, "every transfer balances"
    balances = _balances(fund)
    assert sum(balances.values()) == 0, "all balances sum to zero"
    for account in Account.objects.filter(fund=fund):
        assert account.balance == _total(account.entries.all()), "cache matches the lines"
    assert balances[AccountKind.AVAILABLE] >= 0 and balances[AccountKind.COMMITTED] >= 0
    assert balances[AccountKind.PAID] >= 0
    open_total = _total(Commitment.objects.filter(fund=fund, status="open"))
    paid_total = _total(Commitment.objects.filter(fund=fund, status="paid"))
    assert balances[AccountKind.COMMITTED] == open_total
    assert balances[AccountKind.PAID] == paid_total
    for commitment in Commitment.objects.filter(fund=fund):
        live = [p for p in Payment.objects.filter(commitment=commitment)
                if not Transfer.objects.filter(reverses=p.transfer).exists()]
        assert len(live) <= 1, "never paid twice"
        paid = _total(Entry.objects.filter(transfer__commitment=commitment, account__kind=AccountKind.PAID))
        assert paid in (0, commitment.amount)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=ops)
def test_random_ledger_operations_keep_it_balanced_and_never_negative(fund, clerk, sequence):
    try:
        with transaction.atomic():
            for op in sequence:
                try:
                    with transaction.atomic():
                        _apply(op, fund, clerk)
                except ValidationError:
                    pass  # refused moves are fine; what matters is that nothing broke
                _check_invariants(fund)
            raise Rollback
    except Rollback:
        pass
