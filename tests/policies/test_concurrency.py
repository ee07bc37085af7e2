"""Fifty requests at once, each on its own database connection, against PostgreSQL.

SQLite serialises every write with one database lock, so there the race cannot happen; these
tests need PostgreSQL's row locks (select_for_update) to prove the services serialise spends.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from rencai.funds.models import AccountKind, Fund, Payment
from rencai.funds.services import budget_reserve
from rencai.policies.examples import load_examples
from rencai.policies.models import Entitlement, Instalment, Policy, PolicyVersion
from rencai.policies.services import entitlement_approve, entitlement_grant, instalment_pay
from tests.policies.conftest import TODAY, confirm_bank, open_funds

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: SQLite serialises all writes, so there is no race to test"),
    pytest.mark.django_db(transaction=True),
]
PARALLEL = 50


@pytest.fixture(autouse=True)
def example_policies(transactional_db: None) -> None:
    """An earlier transactional test's flush may have emptied the policies the migration shipped."""
    load_examples(Policy, PolicyVersion)


def run_in_parallel(work: Callable[[int], object]) -> Counter:
    """Start all calls together, each thread on its own connection; count how each call ended."""
    barrier = threading.Barrier(PARALLEL)
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def one(n: int) -> None:
        try:
            barrier.wait()
            work(n)
            result = "ok"
        except ValidationError:
            result = "refused"
        except Exception as exc:  # any other error is a failure of the test  # noqa: BLE001
            result = f"error: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes[result] += 1

    threads = [threading.Thread(target=one, args=(n,)) for n in range(PARALLEL)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_fifty_parallel_payments_of_the_same_instalments_pay_each_exactly_once(world):
    funds = open_funds(world)
    ent = entitlement_grant(policy_code="postdoc_living_subsidy", beneficiary=world.talent, source="race",
                            by=world.reviewer, today=TODAY)
    ent = entitlement_approve(entitlement=ent, by=world.admin, today=TODAY)
    confirm_bank(ent, world)
    instalments = list(ent.instalments.order_by("seq"))

    def pay(n: int) -> None:
        instalment = instalments[n % 4]
        key = f"pay-{instalment.seq}" if n % 2 else f"pay-{instalment.seq}-{n}"  # retries and rival requests
        instalment_pay(instalment=instalment, idempotency_key=key, by=world.finance)

    outcomes = run_in_parallel(pay)
    assert not [k for k in outcomes if k.startswith("error")], outcomes
    assert Payment.objects.count() == 4 * 3
    assert set(Instalment.objects.values_list("status", flat=True)) == {Instalment.Status.PAID}
    for level, fund in funds.items():
        fund = Fund.objects.get(pk=fund.pk)
        expected = {"region": Decimal("120000.00"), "city": Decimal("90000.00"), "district": Decimal("90000.00")}
        assert fund.balance(AccountKind.PAID) == expected[level]
        assert fund.balance(AccountKind.COMMITTED) == 0


def test_fifty_parallel_approvals_against_a_nearly_spent_budget_never_exceed_it(world):
    funds = open_funds(world, budget=Decimal("1000000"))
    for level in ("city", "district"):  # 250,000 left per level: room for five 100,000 grants split 50/50
        budget_reserve(fund=funds[level], amount=Decimal("750000"), category="earlier", reference="e",
                       by=world.city_admin)
    entitlements = [
        entitlement_grant(policy_code="postdoc_station_setup", beneficiary=world.enterprise, source=f"s{n}",
                          by=world.reviewer, today=TODAY)
        for n in range(PARALLEL)
    ]
    outcomes = run_in_parallel(lambda n: entitlement_approve(entitlement=entitlements[n], by=world.admin,
                                                             today=TODAY))
    assert outcomes == Counter({"ok": 5, "refused": 45}), outcomes
    assert Entitlement.objects.filter(status=Entitlement.Status.APPROVED).count() == 5
    for level in ("city", "district"):
        fund = Fund.objects.get(pk=funds[level].pk)
        assert fund.balance(AccountKind.AVAILABLE) == 0
        assert fund.balance(AccountKind.COMMITTED) == Decimal("1000000.00")
