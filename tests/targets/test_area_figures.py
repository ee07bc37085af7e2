"""The dashboard's row for the newer areas (揭榜挂帅 / 一站式服务 / 招才引智), counted live from their registers."""

import io

import openpyxl
import pytest
from django.utils import timezone

from rencai.core.roles import Role
from rencai.targets.areas import area_figures
from tests.conftest import verified_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _figures(data) -> dict[str, dict[str, object]]:
    return {a["name"]: dict((label, value) for label, value in a["figures"]) for a in data}


def test_area_figures_count_live_from_each_register(world, areas):
    figures = _figures(area_figures(world.admin, areas, timezone.localdate()))
    assert figures["揭榜挂帅"]["发布榜单"] == 1
    one = figures["一站式服务"]
    assert (one["服务申请"], one["办结"], one["按期办结"], one["按期办结率%"]) == (2, 1, 1, 100)
    assert (one["发放人才码"], one["人才公寓在住"], one["走访专家"]) == (1, 1, 1)
    rec = figures["招才引智"]
    assert (rec["登记意向"], rec["签约"], rec["到岗"]) == (2, 1, 1)


def test_dashboard_page_json_and_xlsx_show_the_area_row(world, areas):
    client = verified_client(world.city_admin)
    page = client.get("/targets/").content.decode()
    assert all(name in page for name in ("揭榜挂帅", "一站式服务", "招才引智"))
    data = client.get("/targets/dashboard.json").json()
    assert _figures(data["areas"])["一站式服务"]["服务申请"] == 2
    book = openpyxl.load_workbook(io.BytesIO(client.get("/targets/dashboard.xlsx").content))
    sheet = book["揭榜挂帅·一站式服务·招才引智"]
    assert ["招才引智", "到岗", 1] in [list(r) for r in sheet.iter_rows(values_only=True)]


def test_another_zones_staff_do_not_count_zone_a_rows(world, areas):
    staff_b = UserFactory(username="admin_b", role=Role.OFFICE_ADMIN, zone=world.zone_b, city=world.zone_b.city)
    figures = _figures(area_figures(staff_b, areas, timezone.localdate()))
    assert figures["一站式服务"]["服务申请"] == 0 and figures["招才引智"]["登记意向"] == 0
