"""An agreement between the world's talent 王建国, its enterprise and 内蒙古科技大学, started last month."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from rencai.engagements.models import Agreement, Programme
from rencai.engagements.services import agreement_create
from tests.conftest import World


def first_of_last_month(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def make_agreement(world: World, *, talent=None, enterprise=None, programme=None, starts_on=None,
                   **fields) -> Agreement:
    agreement = Agreement(talent=talent or world.talent, enterprise=enterprise or world.enterprise,
                          programme=programme, starts_on=starts_on or first_of_last_month(), **fields)
    return agreement_create(agreement=agreement, by=world.admin, projects=[("钕铁硼晶界扩散", ""), ("废料回收", "")])


@pytest.fixture
def agreement(world: World) -> Agreement:
    return make_agreement(world)


@pytest.fixture
def programme(world: World) -> Programme:
    return Programme.objects.create(zone=world.zone_a, name="2026年高校博士服务行动", year=2026,
                                    days_per_year=24, office_name="包头市委人才工作领导小组办公室")
