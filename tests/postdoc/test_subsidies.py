from datetime import date
from decimal import Decimal

from rencai.policies.models import Entitlement, Instalment
from rencai.postdoc.services import postdoc_record
from tests.postdoc.conftest import make_postdoc, make_station


def test_an_approved_station_creates_its_one_time_setup_grant_for_the_enterprise(world):
    station = make_station(world)
    grant = Entitlement.objects.get(source=f"postdoc.station:{station.pk}")
    assert (grant.policy.code, grant.enterprise, grant.amount) == ("postdoc_station_setup", world.enterprise,
                                                                   Decimal("100000.00"))
    assert [(i.due_on, i.amount) for i in grant.instalments.all()] == [(date(2025, 1, 10), Decimal("100000.00"))]


def test_an_innovation_base_gets_no_setup_grant(world):
    make_station(world, kind="base")
    assert not Entitlement.objects.exists()


def test_entering_creates_the_living_subsidy_paid_by_three_levels_from_the_entry_date(world, station, postdoc):
    subsidy = Entitlement.objects.get(source=f"postdoc.postdoc:{postdoc.pk}")
    assert (subsidy.policy.code, subsidy.talent, subsidy.amount) == ("postdoc_living_subsidy", world.talent,
                                                                     Decimal("300000.00"))
    instalments = list(subsidy.instalments.all())
    assert [i.due_on for i in instalments] == [date(2025, 3, 1), date(2025, 9, 1), date(2026, 3, 1), date(2026, 9, 1)]
    assert sum(i.amount for i in instalments) == Decimal("300000.00")
    assert {s.level: s.amount for s in instalments[0].shares.all()} == {
        "region": Decimal("30000.00"), "city": Decimal("22500.00"), "district": Decimal("22500.00")}


def test_leaving_early_stops_the_unpaid_instalments_with_the_reason(world, postdoc):
    postdoc_record(postdoc=postdoc, kind="退站", on=date(2025, 10, 1), note="个人原因离职", by=world.admin)
    subsidy = Entitlement.objects.get(source=f"postdoc.postdoc:{postdoc.pk}")
    assert subsidy.status == Entitlement.Status.STOPPED
    assert "退站" in subsidy.stop_reason and "个人原因离职" in subsidy.stop_reason
    assert set(subsidy.instalments.values_list("status", flat=True)) == {Instalment.Status.STOPPED}


def test_completing_on_schedule_keeps_the_subsidy(world, postdoc):
    postdoc_record(postdoc=postdoc, kind="开题", on=date(2025, 5, 1), result="通过", by=world.admin)
    postdoc_record(postdoc=postdoc, kind="中期评估", on=date(2026, 2, 1), result="通过", by=world.admin)
    postdoc_record(postdoc=postdoc, kind="期满出站", on=date(2027, 3, 1), result="通过", by=world.admin)
    subsidy = Entitlement.objects.get(source=f"postdoc.postdoc:{postdoc.pk}")
    assert subsidy.status != Entitlement.Status.STOPPED
    assert Instalment.Status.STOPPED not in set(subsidy.instalments.values_list("status", flat=True))


def test_a_second_term_in_another_station_gets_its_own_subsidy(world, station, postdoc):
    postdoc_record(postdoc=postdoc, kind="退站", on=date(2025, 4, 1), note="转站", by=world.admin)
    other = make_station(world, name="昆区乳业博士后科研工作站", enterprise=world.enterprise_b)
    second = make_postdoc(world, other, entered_on=date(2025, 5, 1))
    assert Entitlement.objects.filter(talent=world.talent).count() == 2
    assert Entitlement.objects.get(source=second.source).status == Entitlement.Status.PENDING


def test_leaving_early_keeps_what_was_paid_and_stops_the_rest(world, postdoc):
    from rencai.policies.services import entitlement_approve, instalment_pay
    from tests.policies.conftest import confirm_bank, open_funds

    open_funds(world, year=2026)
    subsidy = Entitlement.objects.get(source=postdoc.source)
    entitlement_approve(entitlement=subsidy, by=world.admin, today=date(2026, 3, 2))
    confirm_bank(subsidy, world)  # no money leaves for an account the postdoc has not confirmed
    instalment_pay(instalment=subsidy.instalments.get(seq=1), idempotency_key="pd-1", by=world.finance)
    postdoc_record(postdoc=postdoc, kind="退站", on=date(2025, 10, 1), note="调往外地工作", by=world.admin)
    statuses = dict(subsidy.instalments.values_list("seq", "status"))
    assert statuses == {1: Instalment.Status.PAID, 2: Instalment.Status.STOPPED, 3: Instalment.Status.STOPPED,
                        4: Instalment.Status.STOPPED}
    subsidy.refresh_from_db()
    assert "调往外地工作" in subsidy.stop_reason
