"""Races on PostgreSQL: concurrent acceptances and payments pay a tranche once; concurrent awards never reserve
past the fund; a stop racing a payment leaves the ledger consistent. SQLite serialises every write, so there
is no race to test there: these skip cleanly without PostgreSQL."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from rencai.challenges import services
from rencai.challenges.models import Milestone, MilestoneStatus, Mode
from rencai.core.models import StateChange
from rencai.funds.models import AccountKind, Commitment, Fund, Payment
from rencai.funds.selectors import reconciliation
from tests.challenges.conftest import award, open_fund, reviewed

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: SQLite serialises all writes, so there is no race to test"),
    pytest.mark.django_db(transaction=True),
]
PARALLEL = 12


def run_in_parallel(work: Callable[[int], object], n: int = PARALLEL) -> Counter:
    barrier = threading.Barrier(n)
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def one(i: int) -> None:
        try:
            barrier.wait()
            work(i)
            result = "ok"
        except ValidationError:
            result = "refused"
        except Exception as exc:  # noqa: BLE001 - any other error fails the test
            result = f"error: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes[result] += 1

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def _ready_to_approve(world, ms: Milestone) -> None:  # noqa: ANN001
    services.milestone_move(milestone=ms, move="submit", by=ms.award.bid.submitted_by, report="完成")
    services.milestone_move(milestone=ms, move="issuer_accept", by=world.enterprise_user)


def test_concurrent_acceptances_and_payments_pay_a_tranche_once(world):
    fund = open_fund(world)
    r = reviewed(world)
    (a,) = award(world, r, fund)
    ms = a.milestones.get(seq=1)
    _ready_to_approve(world, ms)
    approvals = run_in_parallel(lambda i: services.milestone_move(milestone=ms, move="approve", by=world.admin))
    assert approvals == Counter({"ok": 1, "refused": PARALLEL - 1})
    payments = run_in_parallel(lambda i: services.milestone_pay(milestone=ms, by=world.finance,
                                                                idempotency_key=f"pay-{i % 3}"))
    assert payments["ok"] >= 1 and not [k for k in payments if k.startswith("error")]
    assert Payment.objects.filter(commitment=ms.commitment).count() == 1
    assert StateChange.objects.filter(object_id=ms.pk, move="pay", field="status",
                                      content_type__model="milestone").count() == 1
    assert Milestone.objects.get(pk=ms.pk).status == MilestoneStatus.PAID
    fund = Fund.objects.get(pk=fund.pk)
    assert fund.balance(AccountKind.PAID) == ms.public_amount


def test_tranches_never_exceed_the_award_nor_the_fund_when_awards_race(world):
    fund = open_fund(world, budget="2000000")
    first = reviewed(world)

    second = reviewed(world, experts_prefix="二号专家")
    outcomes = run_in_parallel(lambda i: award(world, (first, second)[i % 2], fund, amounts=("1500000",)), n=2)
    assert outcomes == Counter({"ok": 1, "refused": 1})
    fund = Fund.objects.get(pk=fund.pk)
    committed = sum(c.amount for c in Commitment.objects.filter(fund=fund, status=Commitment.Status.OPEN))
    # the fund carries the 70 % government part: 1,050,000 of 1,500,000; a second such award would pass 2,000,000
    assert committed == Decimal("1050000.00") == fund.balance(AccountKind.COMMITTED)
    assert fund.balance(AccountKind.AVAILABLE) == Decimal("950000.00")
    for ms_award in {ms.award for ms in Milestone.objects.select_related("award")}:
        assert sum(m.amount for m in ms_award.milestones.all()) == ms_award.amount


def test_a_stop_racing_payments_releases_only_unpaid_tranches_and_reconciles_to_the_yuan(world):
    fund = open_fund(world)
    r = reviewed(world, mode=Mode.RACE, race_teams=2)
    a1, a2 = award(world, r, fund, amounts=("1500000", "1200000"))
    ms = a2.milestones.get(seq=1)
    services.milestone_move(milestone=ms, move="submit", by=world.enterprise_b_user, report="完成")
    services.milestone_move(milestone=ms, move="issuer_accept", by=world.enterprise_user)
    services.milestone_move(milestone=ms, move="approve", by=world.admin)

    def work(i: int) -> None:
        if i == 0:
            services.stage_gate(award=a2, decision="stop", reason="未通过阶段评估", by=world.admin)
        else:
            services.milestone_pay(milestone=ms, by=world.finance, idempotency_key=f"race-{i}")

    outcomes = run_in_parallel(work, n=4)
    assert not [k for k in outcomes if k.startswith("error")], outcomes
    fund = Fund.objects.get(pk=fund.pk)
    paid = sum(p.amount for p in Payment.objects.filter(commitment__fund=fund))
    open_ = sum(c.amount for c in Commitment.objects.filter(fund=fund, status=Commitment.Status.OPEN))
    released = sum(c.amount for c in Commitment.objects.filter(fund=fund, status=Commitment.Status.RELEASED))
    assert paid + open_ + released == Decimal("1890000.00")  # 70 % of 2,700,000
    assert open_ == Decimal("1050000.00")  # team 1 untouched
    assert paid in (Decimal("0"), Decimal("336000.00"))  # the first tranche paid before the stop, or released
    rec = reconciliation(Fund.objects.filter(pk=fund.pk))
    assert rec.total.paid == paid == fund.balance(AccountKind.PAID)
    assert rec.total.committed == open_ == fund.balance(AccountKind.COMMITTED)
    assert fund.balance(AccountKind.AVAILABLE) == Decimal("10000000.00") - paid - open_
