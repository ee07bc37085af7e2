"""Defect 5: a station page shows each reader only the related rows they may see.

A station of enterprise A partners two universities; each sends a postdoc. The liaison of one university
opens the station page: they see their own doctor, never the other university's doctor nor its name, and
never the station's 100,000-yuan set-up grant (money paid to the enterprise).
"""

from __future__ import annotations

import pytest

from rencai.postdoc.models import Partner
from rencai.postdoc.services import partner_add
from tests.conftest import verified_client
from tests.postdoc.conftest import make_partner, make_postdoc, make_station

GRANT_TITLE = "博士后科研工作站设站一次性资助"


@pytest.fixture
def shared_station(world):
    station = make_station(world)
    own = make_partner(world, station)
    other_institution = world.colleague.institution
    theirs = partner_add(partner=Partner(station=station, institution=other_institution, discipline_code="0703",
                                         co_supervisor="孙教授"), by=world.admin)
    mine = make_postdoc(world, station, partner=own)
    other = make_postdoc(world, station, talent=world.colleague, partner=theirs)
    return station, mine, other


def test_liaison_sees_only_their_universitys_postdocs_on_the_station_page(world, shared_station):
    station, mine, other = shared_station
    page = verified_client(world.liaison).get(f"/postdoc/stations/{station.pk}/").content.decode()
    assert world.talent.name in page
    assert world.colleague.name not in page
    assert world.colleague.institution.name not in page


def test_liaison_does_not_see_the_stations_setup_grant(world, shared_station):
    station, _, _ = shared_station
    page = verified_client(world.liaison).get(f"/postdoc/stations/{station.pk}/").content.decode()
    assert GRANT_TITLE not in page and "100000" not in page


def test_liaison_does_not_see_the_living_subsidy_on_their_doctors_page(world, shared_station):
    _, mine, _ = shared_station
    page = verified_client(world.liaison).get(f"/postdoc/postdocs/{mine.pk}/").content.decode()
    assert world.talent.name in page
    assert "博士后生活补贴" not in page and "300000" not in page


def test_the_office_and_the_host_still_see_the_whole_station(world, shared_station):
    station, _, _ = shared_station
    for user in (world.admin, world.enterprise_user):
        page = verified_client(user).get(f"/postdoc/stations/{station.pk}/").content.decode()
        assert world.talent.name in page and world.colleague.name in page
        assert world.colleague.institution.name in page
        assert GRANT_TITLE in page


def test_liaison_counts_only_their_universitys_postdocs_in_the_station_export(world, shared_station):
    import io

    from openpyxl import load_workbook

    response = verified_client(world.liaison).get("/postdoc/stations/export/")
    rows = list(load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0].iter_rows(values_only=True))
    header, first = rows[0], rows[1]
    assert dict(zip(header, first, strict=False))["在站博士后"] == 1
    office = verified_client(world.admin).get("/postdoc/stations/export/")
    rows = list(load_workbook(io.BytesIO(office.content), read_only=True).worksheets[0].iter_rows(values_only=True))
    assert dict(zip(rows[0], rows[1], strict=False))["在站博士后"] == 2
