"""Paying instalments: once per instalment, only by finance, never by the approver."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from rencai.core.roles import Role
from rencai.funds.models import AccountKind, Payment
from rencai.policies.models import Entitlement, Instalment
from rencai.policies.services import entitlement_approve, entitlement_grant, instalment_pay
from tests.factories import UserFactory
from tests.policies.conftest import TODAY, confirm_bank


@pytest.fixture
def approved(world, funds) -> Entitlement:
    ent = entitlement_grant(policy_code="postdoc_living_subsidy", beneficiary=world.talent, source="p:1",
                            by=world.reviewer, today=TODAY)
    confirm_bank(ent, world)
    return entitlement_approve(entitlement=ent, by=world.admin, today=TODAY)


def test_paying_moves_each_share_from_committed_to_paid(world, funds, approved):
    instalment_pay(instalment=approved.instalments.get(seq=1), idempotency_key="k1", by=world.finance)
    assert funds["region"].balance(AccountKind.PAID) == Decimal("30000.00")
    assert funds["region"].balance(AccountKind.COMMITTED) == Decimal("90000.00")
    assert Payment.objects.count() == 3


def test_retrying_the_same_payment_request_pays_once(world, funds, approved):
    first = approved.instalments.get(seq=1)
    instalment_pay(instalment=first, idempotency_key="k1", by=world.finance)
    instalment_pay(instalment=first, idempotency_key="k1", by=world.finance)
    assert Payment.objects.count() == 3
    assert funds["district"].balance(AccountKind.PAID) == Decimal("22500.00")


def test_a_second_request_for_a_paid_instalment_is_refused(world, funds, approved):
    first = approved.instalments.get(seq=1)
    instalment_pay(instalment=first, idempotency_key="k1", by=world.finance)
    with pytest.raises(ValidationError, match="已经支付"):
        instalment_pay(instalment=first, idempotency_key="k2", by=world.finance)


def test_the_approver_cannot_pay_what_they_approved(world, funds):
    both = UserFactory(username="fin_admin", role=Role.FINANCE, zone=world.zone_a)
    ent = entitlement_grant(policy_code="postdoc_station_setup", beneficiary=world.enterprise, source="s",
                            by=world.reviewer, today=TODAY)
    Entitlement.objects.filter(pk=ent.pk).update(approved_by=both, status=Entitlement.Status.APPROVED)
    Instalment.objects.filter(entitlement=ent).update(status=Instalment.Status.COMMITTED)
    with pytest.raises(ValidationError, match="批准人不能支付"):
        instalment_pay(instalment=ent.instalments.get(), idempotency_key="k", by=both)


def test_only_finance_pays(world, approved):
    with pytest.raises(ValidationError, match="只有财务"):
        instalment_pay(instalment=approved.instalments.get(seq=1), idempotency_key="k", by=world.reviewer)


def test_unapproved_instalment_cannot_be_paid(world, funds):
    ent = entitlement_grant(policy_code="postdoc_station_setup", beneficiary=world.enterprise, source="s",
                            by=world.reviewer, today=TODAY)
    with pytest.raises(ValidationError, match="待批准"):
        instalment_pay(instalment=ent.instalments.get(), idempotency_key="k", by=world.finance)


def test_paying_every_instalment_completes_the_entitlement(world, funds, approved):
    for instalment in approved.instalments.all():
        instalment_pay(instalment=instalment, idempotency_key=f"k{instalment.seq}", by=world.finance)
    approved.refresh_from_db()
    assert approved.status == Entitlement.Status.DONE
    assert funds["city"].balance(AccountKind.PAID) == Decimal("90000.00")
