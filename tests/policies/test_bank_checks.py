"""Defect 3a: no money leaves for an account the beneficiary has not confirmed, or one the treasury rejected."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from rencai.core.models import AuditEvent
from rencai.funds.models import Payment, PaymentBatch
from rencai.policies.models import Entitlement
from rencai.policies.services import entitlement_approve, entitlement_bank_confirm, entitlement_grant, instalment_pay
from tests.conftest import verified_client
from tests.policies.conftest import TODAY, confirm_bank


@pytest.fixture
def station_grant(world, funds) -> Entitlement:
    ent = entitlement_grant(policy_code="postdoc_station_setup", beneficiary=world.enterprise, source="s1",
                            by=world.reviewer, today=TODAY)
    return entitlement_approve(entitlement=ent, by=world.admin, today=TODAY)


def test_finance_cannot_pay_an_instalment_whose_account_was_never_confirmed(world, station_grant):
    with pytest.raises(ValidationError, match="收款账户尚未由兑现对象确认"):
        instalment_pay(instalment=station_grant.instalments.get(), idempotency_key="k", by=world.finance)
    assert not Payment.objects.exists()


def test_an_account_rejected_by_the_treasury_blocks_payment_until_reconfirmed(world, station_grant):
    confirm_bank(station_grant, world)
    Entitlement.objects.filter(pk=station_grant.pk).update(bank_problem="账号有误")
    with pytest.raises(ValidationError, match="收款账户被退回（账号有误）"):
        instalment_pay(instalment=station_grant.instalments.get(), idempotency_key="k", by=world.finance)
    confirm_bank(station_grant, world, account="6222020600009999888")
    instalment_pay(instalment=station_grant.instalments.get(), idempotency_key="k", by=world.finance)
    assert {p.payee_account for p in Payment.objects.all()} == {"6222020600009999888"}


def test_the_due_page_does_not_offer_unconfirmed_accounts_and_says_why(world, station_grant):
    client = verified_client(world.finance)
    page = client.get("/policies/payments/").content.decode()
    assert f'name="ids" value="{station_grant.instalments.get().pk}"' not in page
    assert "收款账户尚未由兑现对象确认" in page
    confirm_bank(station_grant, world)
    page = client.get("/policies/payments/").content.decode()
    assert f'name="ids" value="{station_grant.instalments.get().pk}"' in page


def test_a_forged_pay_request_for_an_unconfirmed_account_pays_nothing_and_makes_no_batch(world, station_grant):
    post = {"request_key": "forged", "ids": [station_grant.instalments.get().pk]}
    response = verified_client(world.finance).post("/policies/payments/batch/", post, follow=True)
    assert "收款账户尚未由兑现对象确认" in response.content.decode()
    assert not Payment.objects.exists() and not PaymentBatch.objects.exists()


def test_bank_numbers_typed_with_spaces_are_accepted_and_stored_as_digits(world, station_grant):
    client = verified_client(world.enterprise_user)
    response = client.post(f"/policies/mine/{station_grant.pk}/bank/",
                           {"bank_name": "建设银行", "bank_account": "6217 0000 1000 1234"})
    assert response.status_code == 302
    station_grant.refresh_from_db()
    assert station_grant.bank_account == "6217000010001234" and station_grant.bank_confirmed_at is not None
    assert AuditEvent.objects.filter(object_type="policies.entitlement", detail__bank_confirmed=True).exists()


@pytest.mark.parametrize("typed, message", [
    ("6217 0000 10", "银行账号应为 12–30 位数字（现为 10 位）"),
    ("6217-0000-1000-12a4", "银行账号只能包含数字"),
])
def test_a_wrong_bank_number_is_refused_in_chinese(world, station_grant, typed, message):
    with pytest.raises(ValidationError, match=message):
        entitlement_bank_confirm(entitlement=station_grant, bank_name="建设银行", bank_account=typed,
                                 by=world.enterprise_user)
    page = verified_client(world.enterprise_user).post(f"/policies/mine/{station_grant.pk}/bank/",
                                                       {"bank_name": "建设银行", "bank_account": typed})
    assert message in page.content.decode()


def test_only_the_beneficiary_confirms_their_account(world, station_grant):
    with pytest.raises(ValidationError, match="只有兑现对象本人"):
        entitlement_bank_confirm(entitlement=station_grant, bank_name="建设银行", bank_account="621700001000123456",
                                 by=world.enterprise_b_user)
