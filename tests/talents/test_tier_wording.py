"""Tier rules read titles and degrees as real registers write them (issue: 教授级高工, 学历 without 学位)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from rencai.talents.models import TierRule
from rencai.talents.services import active_rules
from rencai.talents.tiers import classify, talent_facts, title_level


def person(**fields: object) -> SimpleNamespace:
    base = {"title": "", "degree": "", "education": "", "talent_type": "", "achievements": "",
            "research_directions": "", "birth_date": date(1985, 3, 1)}
    return SimpleNamespace(**(base | fields))


@pytest.mark.parametrize(("written", "level"), [("教授级高工", "正高级"), ("教授级高级工程师", "正高级"),
                                                ("正高级工程师（教授级）", "正高级"), ("高工", "副高级"),
                                                ("副主任医师", "副高级"), ("高级兽医师", "副高级"), ("工程师", "中级"),
                                                ("研究员", "正高级"), ("", "")])
def test_title_levels_from_the_wording_offices_meet(written, level):
    assert title_level(written) == level


@pytest.mark.django_db
def test_a_professor_grade_senior_engineer_with_a_doctorate_is_a_c_tier_by_the_shipped_rules():
    rule = classify(talent_facts(person(title="教授级高工", degree="博士")), active_rules())
    assert rule is not None and rule.tier == "C" and isinstance(rule, TierRule)


@pytest.mark.django_db
def test_a_phd_written_only_as_education_is_classified():
    rule = classify(talent_facts(person(education="博士研究生")), active_rules())
    assert rule is not None and rule.tier == "E"


def test_an_explicit_degree_is_not_overridden_by_education():
    assert talent_facts(person(education="博士研究生", degree="硕士"))["degree"] == "硕士"
