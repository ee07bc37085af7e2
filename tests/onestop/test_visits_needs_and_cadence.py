"""A leader's visit turns what was heard into an enterprise/talent need through the needs app, linked and shown;
the visit cadence by tier is the office's, edited on a page, and the daily "visits due" follows it."""

from __future__ import annotations

import re
from datetime import date

import pytest

from rencai.core.models import AuditEvent
from rencai.core.notice_models import Notice
from rencai.needs.models import Need, Source, Status
from rencai.onestop import services
from rencai.onestop.models import VISIT_CADENCE_DAYS, ExpertVisit, Leader, VisitCadence
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(world):  # type: ignore[no-untyped-def]
    world.colleague.tier = "A"
    world.colleague.save()
    row = Leader.objects.create(zone=world.zone_a, name="张书记", post="市委常委")
    row.talents.add(world.colleague)
    return row


def test_a_visit_creates_a_need_through_the_needs_app_and_keeps_the_link(world, leader):  # type: ignore[no-untyped-def]
    visit = services.visit_record(
        visit=ExpertVisit(leader=leader, talent=world.colleague, on=date(2027, 11, 3), kind="symposium",
                          findings="企业急需两名稀土永磁方向的博士"),
        by=world.admin, need_enterprise=world.enterprise, need_title="稀土永磁博士两名", need_kind="人才引进")
    need = visit.need
    assert need is not None and ExpertVisit.objects.get(pk=visit.pk).need == need
    assert (need.enterprise, need.title, need.kind, need.description) == (
        world.enterprise, "稀土永磁博士两名", "人才引进", "企业急需两名稀土永磁方向的博士")
    # need_create's own rules: collected by the office, published at once, with its history and audit entry
    assert (need.status, need.source, need.created_by) == (Status.PUBLISHED, Source.STAFF, world.admin)
    assert "张书记" in need.remarks and "赵志强" in need.remarks
    assert AuditEvent.objects.filter(object_type="needs.need", object_id=str(need.pk), action="create").exists()
    assert visit.service_request is None


def test_the_visits_page_records_a_need_and_links_it(world, leader):  # type: ignore[no-untyped-def]
    client = verified_client(world.admin)
    response = client.post("/services/visits/", {
        "leader": leader.pk, "talent": world.colleague.pk, "on": "2027-11-03", "kind": "condolence",
        "findings": "希望对接企业开展技术攻关", "need_enterprise": world.enterprise.pk, "need_kind": "技术攻关",
        "need_title": ""})
    assert response.status_code == 302
    need = Need.objects.get()
    assert need.title == "走访专家赵志强了解到的需求" and need.kind == "技术攻关"
    page = client.get("/services/visits/").content.decode()
    assert f'href="/needs/{need.pk}/"' in page and "走访专家赵志强了解到的需求" in page


def test_the_visits_page_refuses_another_zones_enterprise_and_a_title_without_one(world, leader):  # type: ignore[no-untyped-def]
    client = verified_client(world.admin)
    base = {"leader": leader.pk, "talent": world.colleague.pk, "on": "2027-11-03", "kind": "condolence",
            "findings": "了解需求"}
    response = client.post("/services/visits/", base | {"need_enterprise": world.enterprise_b.pk})
    assert response.status_code == 200 and not ExpertVisit.objects.exists()
    response = client.post("/services/visits/", base | {"need_title": "某需求"})
    assert "登记需求须选择提出需求的企业" in response.content.decode()
    assert not Need.objects.exists() and not ExpertVisit.objects.exists()


def test_without_rows_the_cadence_is_the_default(world):  # type: ignore[no-untyped-def]
    assert services.cadence_for(world.zone_a.city_id) == VISIT_CADENCE_DAYS


def test_visits_due_follows_the_offices_cadence(world, leader):  # type: ignore[no-untyped-def]
    services.visit_record(visit=ExpertVisit(leader=leader, talent=world.colleague, on=date(2027, 11, 1),
                                            kind="condolence"), by=world.admin)
    assert services.visits_due(date(2027, 12, 15)) == 0  # 44 days: within the default 90
    services.cadence_save(city=world.zone_a.city, days={"A": 30}, by=world.city_admin)
    assert services.visits_due(date(2027, 12, 15)) == 3  # the zone's two writers and the city's
    services.cadence_save(city=world.zone_a.city, days={"A": None}, by=world.city_admin)  # switched off
    assert services.visits_due(date(2028, 6, 1)) == 0


def test_only_city_level_writers_change_the_cadence(world):  # type: ignore[no-untyped-def]
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.cadence_save(city=world.zone_a.city, days={"A": 30}, by=world.admin)  # a zone's admin
    with pytest.raises(PermissionDenied):
        services.cadence_save(city=world.zone_a.city, days={"A": 30}, by=world.finance)
    page = verified_client(world.admin).get("/services/visits/cadence/").content.decode()
    assert "市级人才办修改" in page and 'name="A"' not in page
    assert verified_client(world.admin).post("/services/visits/cadence/", {"A": "30"}).status_code == 403
    assert not VisitCadence.objects.exists()


def _form_values(html: str) -> dict[str, str]:
    """What the browser would post back: each tier input's value as rendered."""
    values = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([A-E])"', tag)
        if name:
            value = re.search(r'value="([^"]*)"', tag)
            values[name.group(1)] = value.group(1) if value else ""
    return values


def test_the_cadence_page_edits_and_saving_unchanged_changes_nothing(world):  # type: ignore[no-untyped-def]
    client = verified_client(world.city_admin)
    page = client.get("/services/visits/cadence/").content.decode()
    shown = _form_values(page)
    assert shown == {"A": "90", "B": "180", "C": "365", "D": "", "E": ""}
    assert client.post("/services/visits/cadence/", shown).status_code == 302
    assert not VisitCadence.objects.exists()  # the defaults as shown: nothing written
    assert not AuditEvent.objects.filter(object_type="onestop.visitcadence").exists()
    assert client.post("/services/visits/cadence/", shown | {"A": "60", "D": "400"}).status_code == 302
    assert services.cadence_for(world.zone_a.city_id) == {"A": 60, "B": 180, "C": 365, "D": 400}
    rows = list(VisitCadence.objects.order_by("tier").values_list("tier", "days", "updated_at"))
    assert [(t, d) for t, d, _ in rows] == [("A", 60), ("D", 400)]
    again = _form_values(client.get("/services/visits/cadence/").content.decode())
    assert again == {"A": "60", "B": "180", "C": "365", "D": "400", "E": ""}
    assert client.post("/services/visits/cadence/", again).status_code == 302
    assert list(VisitCadence.objects.order_by("tier").values_list("tier", "days", "updated_at")) == rows
    assert AuditEvent.objects.filter(object_type="onestop.visitcadence").count() == 1
    assert Notice.objects.count() == 0
