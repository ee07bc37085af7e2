"""The dashboard's row for the newer areas (揭榜挂帅 / 一站式服务 / 招才引智), counted live from their registers."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from rencai.core.roles import Role
from rencai.onestop import services as onestop
from rencai.onestop.models import Building, ExpertVisit, Leader, Tenancy, Unit, WaitlistEntry
from rencai.targets.areas import area_figures
from tests.challenges.conftest import make_challenge
from tests.conftest import verified_client
from tests.factories import TalentFactory, UserFactory
from tests.onestop.builders import bureau, bureau_staff, item
from tests.recruitment.builders import capture, make_campaign, make_event, make_post, to_arrived

pytestmark = pytest.mark.django_db


def _figures(data) -> dict[str, dict[str, object]]:
    return {a["name"]: dict((label, value) for label, value in a["figures"]) for a in data}


@pytest.fixture
def areas(world):
    today = timezone.localdate()
    make_challenge(world)  # published
    make_challenge(world, title="未发布的榜单", publish=False)
    city = world.zone_a.city
    b = bureau(city, "edu", "教育局")
    staff = bureau_staff(b, "edu_staff")
    it = item(city, bureaus=[b])
    talents = [TalentFactory(zone=world.zone_a, name=f"服务对象{i}") for i in range(3)]
    done = onestop.request_create(talent=talents[0], item=it, by=world.admin, on=today)
    onestop.task_finish(task=done.tasks.get(), by=staff, result="已办", on=today)
    onestop.request_create(talent=talents[1], item=it, by=world.admin, on=today)
    onestop.card_issue(talent=talents[0], by=world.admin, on=today)
    unit = Unit.objects.create(building=Building.objects.create(zone=world.zone_a, name="人才公寓一号楼"),
                               number="101", area=Decimal("60"), status="occupied")
    entry = WaitlistEntry.objects.create(talent=talents[2], zone=world.zone_a, arrival_on=today, status="housed")
    Tenancy.objects.create(unit=unit, entry=entry, status="occupied", offered_on=today, starts_on=today)
    leader = Leader.objects.create(zone=world.zone_a, name="张书记", post="旗委书记")
    for _ in range(2):  # one expert visited twice counts once
        ExpertVisit.objects.create(leader=leader, talent=talents[1], on=today, kind="symposium")
    campaign = make_campaign(world, starts_on=today.replace(month=1, day=1), ends_on=today)
    post = make_post(world, campaign)
    event = make_event(world, campaign, held_on=today)
    capture(post, event, name="意向甲", phone="13900000001")
    to_arrived(capture(post, event, name="意向乙", phone="13900000002"), world.admin, on=today)
    return today.year


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
