"""The app passes a need's 学历层次 to the engine, which honours it where 期望人才 names no degree."""

from __future__ import annotations

from typing import cast

import pytest

from rencai.matching.engine.requirements import Requirement, requirement_of
from rencai.matching.records import need_record
from rencai.needs.models import Level, Need
from tests.factories import NeedFactory


@pytest.mark.django_db
def test_a_need_asking_for_a_doctor_in_its_level_becomes_a_requirement() -> None:
    need = cast(Need, NeedFactory(level=Level.DOCTOR, expected_talent="熟悉磁材烧结工艺"))
    record = need_record(need)
    assert record.min_degree == "博士"
    assert requirement_of(record) == Requirement(degree=3)


@pytest.mark.django_db
def test_a_need_of_any_level_asks_for_nothing() -> None:
    need = cast(Need, NeedFactory(level=Level.ANY, expected_talent=""))
    record = need_record(need)
    assert record.min_degree == ""
    assert not requirement_of(record)
