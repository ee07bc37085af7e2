"""The office adds and edits talent apartment buildings and units (房源) on its own pages; a unit's status moves only
by offer, move-in and vacating; a unit before its handover date cannot be offered; saved unchanged, nothing moves."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from rencai.core.models import AuditEvent
from rencai.onestop import services
from rencai.onestop.models import Building, Unit, UnitStatus
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def buildings(world):  # type: ignore[no-untyped-def]
    return (Building.objects.create(zone=world.zone_a, name="稀土高新区人才公寓一期", address="稀土大街8号"),
            Building.objects.create(zone=world.zone_b, name="昆都仑区人才之家"))


def _posted(html: str) -> dict[str, str]:
    """The form as a browser would post it back untouched: inputs' values and each select's selected option."""
    form = html[html.index('<form method="post" class="card"'):]
    form = form[:form.index("</form>")]
    data: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if name and name.group(1) != "csrfmiddlewaretoken":
            value = re.search(r'value="([^"]*)"', tag)
            data[name.group(1)] = value.group(1) if value else ""
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = chosen.group(1) if chosen else ""
    return data


def test_the_office_adds_a_unit_and_sees_it_listed(world, buildings):  # type: ignore[no-untyped-def]
    mine, theirs = buildings
    client = verified_client(world.admin)
    form = client.get(f"/services/apartments/units/new/?building={mine.pk}").content.decode()
    assert 'type="date"' in form and "昆都仑区人才之家" not in form  # the core date widget; only the zone's buildings
    response = client.post("/services/apartments/units/new/", {
        "building": mine.pk, "number": "3-1201", "layout": "两室一厅", "area": "89.50", "rent": "805",
        "available_on": "2027-04-10"})
    assert response.status_code == 302
    unit = Unit.objects.get()
    assert (unit.building, unit.number, unit.area, unit.rent, unit.available_on, unit.status) == (
        mine, "3-1201", Decimal("89.50"), Decimal("805"), date(2027, 4, 10), UnitStatus.VACANT)
    assert AuditEvent.objects.filter(object_type="onestop.unit", action="create", user=world.admin).exists()
    listing = client.get("/services/apartments/units/").content.decode()
    assert "3-1201" in listing and "2027-04-10" in listing and "两室一厅" in listing
    refused = client.post("/services/apartments/units/new/", {"building": theirs.pk, "number": "1-101",
                                                              "area": "60", "rent": "500"})
    assert refused.status_code == 200 and Unit.objects.count() == 1  # another zone's building is no choice


def test_editing_a_unit_saved_unchanged_changes_nothing(world, buildings):  # type: ignore[no-untyped-def]
    unit = Unit.objects.create(building=buildings[0], number="2-0601", layout="一室一厅", area=Decimal("62.35"),
                               rent=Decimal("561.15"), available_on=date(2027, 4, 10), status=UnitStatus.OFFERED)
    before = Unit.objects.filter(pk=unit.pk).values().get()
    client = verified_client(world.admin)
    url = f"/services/apartments/units/{unit.pk}/edit/"
    data = _posted(client.get(url).content.decode())
    assert data["available_on"] == "2027-04-10" and data["area"] == "62.35" and "status" not in data
    assert client.post(url, data).status_code == 302
    assert Unit.objects.filter(pk=unit.pk).values().get() == before
    assert not AuditEvent.objects.filter(object_type="onestop.unit", action="update").exists()
    assert client.post(url, data | {"rent": "600", "status": "vacant"}).status_code == 302
    unit.refresh_from_db()
    assert unit.rent == Decimal("600") and unit.status == UnitStatus.OFFERED  # status is not the form's


def test_a_building_is_added_and_edited_unchanged_changes_nothing(world, buildings):  # type: ignore[no-untyped-def]
    client = verified_client(world.admin)
    assert client.post("/services/apartments/buildings/new/", {"zone": world.zone_a.pk, "name": "人才驿站",
                                                               "address": "阿尔丁大街1号"}).status_code == 302
    row = Building.objects.get(name="人才驿站")
    before = Building.objects.filter(pk=row.pk).values().get()
    url = f"/services/apartments/buildings/{row.pk}/edit/"
    assert client.post(url, _posted(client.get(url).content.decode())).status_code == 302
    assert Building.objects.filter(pk=row.pk).values().get() == before
    assert client.get(f"/services/apartments/buildings/{buildings[1].pk}/edit/").status_code == 404  # zone B


def test_readers_list_units_but_only_writers_edit_them(world, buildings):  # type: ignore[no-untyped-def]
    unit = Unit.objects.create(building=buildings[0], number="1-101", area=Decimal("60"))
    finance = verified_client(world.finance)
    assert "1-101" in finance.get("/services/apartments/units/").content.decode()
    assert finance.get(f"/services/apartments/units/{unit.pk}/edit/").status_code == 403
    assert finance.post("/services/apartments/units/new/", {"building": buildings[0].pk, "number": "9",
                                                            "area": "1"}).status_code == 403
    with pytest.raises(Exception, match="只有人才办工作人员"):
        services.unit_save(unit=Unit(building=buildings[0], number="9", area=Decimal(1)), by=world.finance)


def test_a_unit_cannot_be_offered_before_its_handover(world, buildings):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    unit = Unit.objects.create(building=buildings[0], number="5-501", area=Decimal("90"),
                               available_on=today + timedelta(days=30))
    entry = services.wait_join(talent=world.talent, arrival_on=today, by=world.talent_user)
    with pytest.raises(ValidationError, match="交付前不能配租"):
        services.offer_unit(entry=entry, unit=unit, by=world.admin, on=today)
    tenancy = services.offer_unit(entry=entry, unit=unit, by=world.admin, on=today + timedelta(days=30))
    assert tenancy.unit.status == UnitStatus.OFFERED


def test_an_offered_unit_cannot_move_to_another_building(world, buildings):  # type: ignore[no-untyped-def]
    other = Building.objects.create(zone=world.zone_a, name="人才公寓二期")
    unit = Unit.objects.create(building=buildings[0], number="1-102", area=Decimal("60"), status=UnitStatus.OCCUPIED)
    unit.building = other
    with pytest.raises(ValidationError, match="不能改到其他公寓"):
        services.unit_save(unit=unit, by=world.admin, changed=["building"])
