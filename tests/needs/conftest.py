"""Needs of the two personas' enterprises, built with the service that real submissions use."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from rencai.needs.models import Kind, Need, Status
from rencai.needs.services import need_create, need_transition


def make_need(enterprise: Any, by: Any, *, publish_by: Any = None, **fields: Any) -> Need:
    defaults: dict[str, Any] = {"kind": Kind.TALENT, "title": "稀土永磁材料晶界扩散工艺人才",
                                "description": "需要熟悉晶界扩散工艺的博士", "discipline_code": "0805",
                                "level": "博士", "headcount": 1}
    need = need_create(need=Need(enterprise=enterprise, **(defaults | fields)), by=by)
    if publish_by is not None and need.status == Status.PENDING:
        need = need_transition(need=need, to=Status.PUBLISHED, by=publish_by)
    return need


@pytest.fixture
def need_a(world: Any) -> Need:
    return make_need(world.enterprise, world.enterprise_user, title="钕铁硼磁体研发博士",
                     deadline=date(2030, 1, 1))


@pytest.fixture
def need_b(world: Any) -> Need:
    return make_need(world.enterprise_b, world.enterprise_b_user, title="乳品发酵工艺攻关",
                     kind=Kind.TECH, discipline_code="0832", industry_code="14")
