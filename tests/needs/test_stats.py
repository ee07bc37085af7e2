"""The needs picture: counts by kind, field, status and zone, the monthly trend, and its export."""

from __future__ import annotations

import io
from datetime import datetime

from django.utils import timezone
from openpyxl import load_workbook

from rencai.needs.models import Kind, Need
from rencai.needs.services import need_record_filled
from tests.conftest import verified_client
from tests.needs.conftest import make_need


def _world_of_needs(world):
    make_need(world.enterprise, world.admin, title="一", kind=Kind.TECH)
    make_need(world.enterprise, world.admin, title="二", kind=Kind.TECH, discipline_code="0817")
    post = make_need(world.enterprise, world.admin, title="科研助理", kind=Kind.ASSISTANT, headcount=10)
    need_record_filled(need=post, filled=4, by=world.admin)
    make_need(world.enterprise, world.enterprise_user, title="待审的科研助理", kind=Kind.ASSISTANT, headcount=50)
    make_need(world.enterprise_b, world.admin, title="乙区", kind=Kind.TALENT)
    Need.objects.filter(title="一").update(created_at=timezone.make_aware(datetime(2026, 3, 15, 1, 0)))


def test_counts_by_kind_status_field_zone_and_month(world):
    _world_of_needs(world)
    data = verified_client(world.city_admin).get("/needs/stats.json").json()
    as_dict = {k: {r["name"]: r["value"] for r in data[k]} for k in ("by_kind", "by_status", "by_zone", "by_field")}
    assert as_dict["by_kind"] == {"技术攻关": 2, "科研助理岗位": 2, "人才引进": 1}
    assert as_dict["by_status"] == {"已发布": 4, "待审核": 1}
    assert as_dict["by_zone"] == {"稀土高新区": 4, "昆都仑区": 1}
    assert as_dict["by_field"]["材料科学与工程"] == 4
    months = {r["name"]: r["value"] for r in data["by_month"]}
    assert months["2026-03"] == 1 and sum(months.values()) == 5
    assert data["assistant_posts"] == {"posted": 10, "filled": 4}  # the post still in review is not yet posted


def test_the_picture_follows_who_is_looking_and_the_filters(world):
    _world_of_needs(world)
    mine = verified_client(world.enterprise_b_user).get("/needs/stats.json").json()
    assert mine["total"] == 1
    filtered = verified_client(world.city_admin).get("/needs/stats.json", {"kind": "技术攻关"}).json()
    assert filtered["total"] == 2


def test_stats_page_loads_echarts_and_exports(world):
    _world_of_needs(world)
    client = verified_client(world.reviewer)
    page = client.get("/needs/stats/").content.decode()
    assert "vendor/echarts.min.js" in page and 'data-series="by_month"' in page
    response = client.get("/needs/stats.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert "按类型" in book.sheetnames and "科研助理岗位" in book.sheetnames
    rows = list(book["按类型"].iter_rows(values_only=True))
    assert rows[0] == ("需求类型", "需求数") and ("技术攻关", 2) in rows


def test_monthly_trend_shows_empty_months_as_zero():
    from datetime import date

    from rencai.needs.selectors import month_series

    series = month_series({"2026-03": 1, "2026-11": 4}, date(2026, 11, 21))
    assert series[0] == ("2025-12", 0) and series[-1] == ("2026-11", 4) and len(series) == 12
    assert ("2026-03", 1) in series and ("2026-04", 0) in series
