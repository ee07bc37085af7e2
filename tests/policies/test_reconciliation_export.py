"""Defect 7: the reconciliation workbook's 按政策 sheet showed a budget of 0 and a negative balance."""

from __future__ import annotations

import io

import openpyxl

from rencai.policies.services import entitlement_approve, entitlement_grant
from tests.conftest import verified_client
from tests.policies.conftest import TODAY


def test_the_policy_sheet_shows_what_each_policy_took_and_no_false_budget(world, funds):
    ent = entitlement_grant(policy_code="postdoc_station_setup", beneficiary=world.enterprise, source="s1",
                            by=world.reviewer, today=TODAY)
    entitlement_approve(entitlement=ent, by=world.admin, today=TODAY)
    response = verified_client(world.finance).get("/funds/reconciliation.xlsx?year=2026")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book["按政策"].iter_rows(values_only=True))
    assert rows[0] == ("政策", "已承诺", "已支付", "合计占用")
    assert rows[1][0] == "博士后科研工作站设站一次性资助"
    assert [float(v) for v in rows[1][1:]] == [100000.0, 0.0, 100000.0]
    by_fund = list(book["按资金"].iter_rows(values_only=True))
    assert float(by_fund[-1][1]) == 3000000.0  # the budget lives on the funds: 3 levels × 1,000,000


def test_opening_the_same_fund_twice_is_refused_with_a_clear_message(world, funds):
    page = verified_client(world.admin).post("/funds/new/", {"year": 2026, "level": "district",
                                                             "zone": world.zone_a.pk, "budget": "5"})
    assert page.status_code == 200
    assert "2026年区级资金已设立，不能重复设立" in page.content.decode()
