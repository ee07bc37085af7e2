"""The read-only API of policies and funds: scoped like the pages, bank accounts always masked."""

from __future__ import annotations

import json

from django.test import Client
from rest_framework.authtoken.models import Token

from rencai.policies.services import entitlement_approve, entitlement_grant
from tests.factories import UserFactory
from tests.policies.conftest import TODAY, confirm_bank


def api(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")


def data(response):
    assert response.status_code == 200, response.content
    body = json.loads(response.content)
    return body["results"] if isinstance(body, dict) and "results" in body else body


def granted(world):
    ent = entitlement_grant(policy_code="housing_subsidy", beneficiary=world.talent, source="application:1",
                            by=world.reviewer, today=TODAY)
    confirm_bank(ent, world, account="6222 0206 0000 1234 567")
    return ent


def test_a_talent_reads_their_own_entitlement_with_the_account_masked(world, funds):
    ent = granted(world)
    entitlement_approve(entitlement=ent, by=world.admin, today=TODAY)
    [row] = data(api(world.talent_user).get("/api/v1/entitlements/"))
    assert row["policy_code"] == "housing_subsidy" and row["status_label"] == "已批准"
    assert row["bank_account_masked"] != "6222020600001234567" and "6222020600001234567" not in json.dumps(row)
    assert row["source_label"] == "兑现申请 #1" and row["bank_confirmed"] is True
    assert [i["status"] for i in row["instalments"]] == ["committed"]


def test_another_talent_and_another_zone_see_none_of_it(world):
    ent = granted(world)
    assert data(api(UserFactory(username="t_other", role="talent")).get("/api/v1/entitlements/")) == []
    other_zone = UserFactory(username="rev_b", role="reviewer", zone=world.zone_b, city=world.zone_b.city)
    assert data(api(other_zone).get("/api/v1/entitlements/")) == []
    assert api(other_zone).get(f"/api/v1/entitlements/{ent.pk}/").status_code == 404


def test_policies_are_listed_for_the_role_and_rules_only_for_staff(world):
    talent_rows = data(api(world.talent_user).get("/api/v1/policies/"))
    assert {r["code"] for r in talent_rows} >= {"housing_subsidy"}
    assert all(r["beneficiary_kind"] == "talent" for r in talent_rows)
    housing = next(r for r in talent_rows if r["code"] == "housing_subsidy")
    assert all("expr" not in c for c in housing["current_version"]["conditions"])
    staff = next(r for r in data(api(world.reviewer).get("/api/v1/policies/")) if r["code"] == "housing_subsidy")
    assert all("expr" in c for c in staff["current_version"]["conditions"])


def test_funds_are_for_finance_and_admins_of_the_zone_only(world, funds):
    rows = data(api(world.finance).get("/api/v1/funds/"))
    assert {r["level"] for r in rows} == {"region", "city", "district"}
    assert rows[0]["balances"]["budget"] == "1000000.00"
    assert api(world.reviewer).get("/api/v1/funds/").status_code == 403
    assert api(world.talent_user).get("/api/v1/funds/").status_code == 403
    other = UserFactory(username="fin_b", role="finance", zone=world.zone_b, city=world.zone_b.city)
    assert data(api(other).get("/api/v1/funds/")) == []


def test_payment_batches_show_masked_accounts_and_no_writes(world, funds):
    ent = granted(world)
    entitlement_approve(entitlement=ent, by=world.admin, today=TODAY)
    from rencai.policies.services import instalments_pay_in_batch

    instalments_pay_in_batch(request_key="api-1", instalments=list(ent.instalments.all()), by=world.finance)
    [batch] = data(api(world.finance).get("/api/v1/payment-batches/"))
    assert batch["payments"] and "6222020600001234567" not in json.dumps(batch)
    assert api(world.finance).post("/api/v1/payment-batches/", {}).status_code in (403, 405)  # read-only
