"""Defect 7: internal codes were shown to people (CEL text, level keys, 0.125, postdoc.postdoc:7, 幂等键)."""

from __future__ import annotations

import io

import openpyxl

from rencai.policies.services import entitlement_approve, entitlement_grant, instalments_pay_in_batch
from tests.conftest import verified_client
from tests.policies.conftest import TODAY, confirm_bank
from tests.postdoc.conftest import make_postdoc, make_station


def test_a_talent_reads_the_conditions_by_their_labels_without_code(world):
    page = verified_client(world.talent_user).get("/policies/doctor_living_subsidy/").content.decode()
    assert "博士学位" in page
    assert "talent.degree" not in page and "district" not in page


def test_staff_see_the_expression_behind_a_toggle_and_levels_and_shares_in_words(world):
    page = verified_client(world.reviewer).get("/policies/postdoc_living_subsidy/").content.decode()
    assert "<summary>规则表达式</summary>" in page
    assert "自治区级 40%" in page and "区级 30%" in page and "25%" in page
    for code in ("region ", "district ", "0.25", "0.4"):
        assert code not in page.split("版本历史")[0], code


def test_an_entitlement_names_and_links_the_postdoc_it_comes_from(world):
    postdoc = make_postdoc(world, make_station(world))
    ent = world.talent.entitlements.get(source=postdoc.source)
    page = verified_client(world.admin).get(f"/policies/entitlements/{ent.pk}/").content.decode()
    assert f'<a href="/postdoc/postdocs/{postdoc.pk}/">博士后：' in page
    assert postdoc.source not in page
    listing = verified_client(world.admin).get("/policies/entitlements/").content.decode()
    assert postdoc.source not in listing


def test_the_treasury_file_calls_the_key_a_payment_request_number(world, funds):
    ent = entitlement_grant(policy_code="postdoc_station_setup", beneficiary=world.enterprise, source="s1",
                            by=world.reviewer, today=TODAY)
    entitlement_approve(entitlement=ent, by=world.admin, today=TODAY)
    confirm_bank(ent, world)
    batch, _, _ = instalments_pay_in_batch(request_key="r1", instalments=list(ent.instalments.all()),
                                           by=world.finance)
    client = verified_client(world.finance)
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(f"/policies/payments/batch/{batch.pk}/xlsx/").content)).active
    header = next(sheet.iter_rows(values_only=True))
    assert "支付请求编号" in header and "幂等键" not in header
    assert "幂等键" not in client.get(f"/policies/payments/batch/{batch.pk}/").content.decode()
