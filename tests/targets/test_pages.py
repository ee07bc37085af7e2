"""The dashboard, its JSON, exports and report, drill-down and cascade pages, as office staff use them."""

import io

import openpyxl
import pytest
from django.utils import timezone

from rencai.targets import services
from tests.conftest import verified_client
from tests.factories import TalentFactory
from tests.targets.helpers import arrivals

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):
    ind = arrivals()
    year = timezone.localdate().year
    services.target_set(indicator=ind, year=year, city=world.zone_a.city, value=10, by=world.city_admin)
    t = TalentFactory(zone=world.zone_a, name="欧阳明月")
    services.stay_record(talent=t, zone=world.zone_a, arrived_on=timezone.localdate().replace(day=1), by=None)
    return ind, year


def test_dashboard_json_carries_live_figures(world, setup):
    ind, year = setup
    data = verified_client(world.city_admin).get("/targets/dashboard.json").json()
    row = next(r for r in data["progress"] if r["code"] == ind.code)
    assert (row["target"], row["actual"]) == (10, 1)
    assert data["pool_total"] >= 1
    assert {"pool_by_tier", "pool_by_zone", "fund", "outcomes", "postdocs"} <= set(data)


def test_dashboard_page_exports_and_reports(world, setup):
    client = verified_client(world.city_admin)
    page = client.get("/targets/")
    assert page.status_code == 200 and "引进博士" in page.content.decode()
    xlsx = client.get("/targets/dashboard.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert "目标进度" in book.sheetnames
    assert client.get("/targets/report.docx").content[:2] == b"PK"
    assert client.get("/targets/report.pdf").content[:4] == b"%PDF"


def test_drilldown_page_is_masked(world, setup):
    ind, year = setup
    body = verified_client(world.admin).get(f"/targets/indicators/{ind.code}/records/?year={year}").content.decode()
    assert "欧**月" in body and "欧阳明月" not in body


def test_cascade_page_and_target_form(world, setup):
    ind, year = setup
    client = verified_client(world.city_admin)
    resp = client.post("/targets/cascade/target/", {"year": year, "indicator": ind.pk, "zone": world.zone_a.pk,
                                                    "value": 7})
    assert resp.status_code == 302
    page = client.get(f"/targets/cascade/?year={year}").content.decode()
    assert "与市级目标相差 3" in page


def test_outsiders_get_no_dashboard(world):
    assert verified_client(world.enterprise_user).get("/targets/").status_code == 403
