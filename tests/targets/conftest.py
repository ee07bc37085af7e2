"""Shared fixtures of the targets tests."""

from decimal import Decimal

import pytest
from django.utils import timezone

from rencai.onestop import services as onestop
from rencai.onestop.models import Building, ExpertVisit, Leader, Tenancy, Unit, WaitlistEntry
from tests.challenges.conftest import make_challenge
from tests.factories import TalentFactory
from tests.onestop.builders import bureau, bureau_staff, item
from tests.recruitment.builders import capture, make_campaign, make_event, make_post, to_arrived


@pytest.fixture
def areas(world):
    """Zone A rows in the newer areas: one published 榜单 (and one not), two service requests (one done on time),
    a card, an occupied apartment, one expert visited twice, two recruitment intentions (one arrived)."""
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
