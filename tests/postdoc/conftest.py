"""A station of enterprise A approved on 2025-01-10 with a partner at 内蒙古科技大学, and a postdoc helper."""

from __future__ import annotations

from datetime import date

import pytest

from rencai.postdoc.models import Partner, Postdoc, Stage, Station
from rencai.postdoc.services import partner_add, postdoc_enter, station_create, station_transition


def make_station(world, *, name: str = "包头稀土永磁博士后科研工作站", enterprise=None, kind: str = "station",
                 approve_on: date | None = date(2025, 1, 10)) -> Station:
    station = station_create(station=Station(enterprise=enterprise or world.enterprise, name=name, kind=kind),
                             by=world.admin)
    if approve_on is None:
        return station
    for to in (Stage.EVALUATION, Stage.APPLICATION):
        station_transition(station=station, to=to, on=approve_on, by=world.admin)
    return station_transition(station=station, to=Stage.APPROVED, on=approve_on, by=world.admin,
                              approval_number="人社厅函〔2025〕12号")


def make_partner(world, station: Station, *, two_cities: bool = True) -> Partner:
    return partner_add(partner=Partner(station=station, institution=world.institution, discipline_code="0805",
                                       co_supervisor="刘教授", co_supervisor_user=world.liaison,
                                       two_cities=two_cities), by=world.admin)


def make_postdoc(world, station: Station, *, talent=None, entered_on: date = date(2025, 3, 1),
                 partner: Partner | None = None) -> Postdoc:
    return postdoc_enter(postdoc=Postdoc(talent=talent or world.talent, station=station, entered_on=entered_on,
                                         partner=partner, supervisor="张总工", supervisor_user=world.enterprise_user,
                                         topic="晶界扩散降低重稀土用量"), by=world.admin)


@pytest.fixture
def station(world) -> Station:
    return make_station(world)


@pytest.fixture
def postdoc(world, station) -> Postdoc:
    return make_postdoc(world, station, partner=make_partner(world, station))
