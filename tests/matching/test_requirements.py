"""A need's 学历层次 and 职称 requirements are honoured: a talent below them is ranked lower, visibly, with the
reason in plain Chinese; an unknown degree or title costs nothing and earns nothing (issue 17)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rencai.matching.engine.index import TalentIndex
from rencai.matching.engine.knowledge import FieldKnowledge
from rencai.matching.engine.rank import Ranker
from rencai.matching.engine.records import NeedRecord, TalentRecord
from rencai.matching.engine.requirements import (
    UNKNOWN,
    Requirement,
    degree_level,
    requirement_of,
    shortfall_factor,
    title_level,
)
from rencai.matching.engine.thesaurus import Thesaurus

MAGNETS = "烧结钕铁硼晶界扩散；矫顽力提升；重稀土减量"


def _need(expected: str = "", **extra: object) -> NeedRecord:
    return NeedRecord(
        key=1,
        enterprise="包头市某磁材公司",
        title="磁钢高温掉磁",
        description="电机磁钢高温下掉磁，想提高矫顽力，少用重稀土",
        expected=expected,
        **extra,  # type: ignore[arg-type]
    )


def _talent(key: int, name: str, degree: str, title: str = "", research: str = MAGNETS) -> TalentRecord:
    return TalentRecord(key, name, discipline_code="0805", research=research, degree=degree, title=title)


def _ranker(talents: list[TalentRecord], thesaurus: Thesaurus, knowledge: FieldKnowledge) -> Ranker:
    return Ranker(TalentIndex.build(talents, thesaurus=thesaurus, knowledge=knowledge))


@pytest.mark.parametrize(
    ("expected", "requirement"),
    [
        ("博士学位，副高级以上职称", Requirement(degree=3, title=2)),
        ("材料类博士研究生", Requirement(degree=3)),
        ("硕士及以上，博士优先", Requirement(degree=2, preferred_degree=3)),
        ("本科或硕士", Requirement(degree=1)),
        ("博士、硕士均可", Requirement(degree=2)),
        ("博士或高级职称", Requirement(degree=3, title=2, either=True)),
        ("具有高级工程师职称", Requirement(title=2)),
        ("副教授及以上", Requirement(title=2)),
        ("正高级职称，博士", Requirement(degree=3, title=3)),
        ("硕士以上学历，有正高职称者优先", Requirement(degree=2, preferred_title=3)),
        ("工程师以上职称", Requirement(title=1)),
        ("学历不限", Requirement()),
        ("熟悉高级技师操作，高校教师亦可", Requirement()),  # a skill grade and 高校教师 are not titles asked for
        ("", Requirement()),
    ],
)
def test_the_requirement_is_read_from_what_the_enterprise_wrote(expected: str, requirement: Requirement) -> None:
    assert requirement_of(_need(expected)) == requirement


def test_the_callers_level_counts_only_where_the_text_names_no_degree() -> None:
    assert requirement_of(_need("材料专业", min_degree="博士")) == Requirement(degree=3)
    # 期望人才 says 博士优先: a preference, even though the app's 学历层次 was filled in as 博士 from it.
    assert requirement_of(_need("博士优先", min_degree="博士")) == Requirement(preferred_degree=3)


@pytest.mark.parametrize(
    ("title", "level"),
    [
        ("教授", 3),
        ("副教授", 2),
        ("助理研究员", 1),  # not a 研究员
        ("研究员", 3),
        ("教授级高工", 3),
        ("正高级工程师", 3),
        ("高級工程師", 2),  # Traditional characters
        ("高级农艺师", 2),
        ("讲师", 1),
        ("助理工程师", 0),
        ("中国工程院院士", 4),
        ("", UNKNOWN),
        ("无", UNKNOWN),
    ],
)
def test_title_levels(title: str, level: int) -> None:
    assert title_level(title) == level


@pytest.mark.parametrize(
    ("degree", "level"),
    [("博士研究生", 3), ("博士", 3), ("硕士研究生", 2), ("硕士", 2), ("大学本科", 1), ("学士", 1), ("", UNKNOWN)],
)
def test_degree_levels(degree: str, level: int) -> None:
    assert degree_level(degree) == level


def test_a_bachelor_is_never_ranked_high_for_a_need_asking_for_a_doctor(
    thesaurus: Thesaurus, knowledge: FieldKnowledge
) -> None:
    # The bachelor's profile is the better topical fit (more of the need's words); the doctor's is fair.
    talents = [
        _talent(1, "本科生", "学士", research=MAGNETS + "；电机磁钢高温退磁"),
        _talent(2, "博士甲", "博士", research="烧结钕铁硼晶界扩散；矫顽力"),
        _talent(3, "硕士乙", "硕士", research=MAGNETS),
    ]
    ranker = _ranker(talents, thesaurus, knowledge)
    free = {c.name: c for c in ranker.rank(_need(""), top=3)}
    assert free["本科生"].score > free["博士甲"].score  # without the requirement the bachelor leads
    ranked = ranker.rank(_need("博士学位"), top=3)
    assert ranked[0].name == "博士甲"
    by_name = {c.name: c for c in ranked}
    bachelor, master = by_name["本科生"], by_name["硕士乙"]
    assert bachelor.requirement == pytest.approx(0.25)  # two levels short, halved for each
    assert master.requirement == pytest.approx(0.5)
    assert bachelor.score == pytest.approx(free["本科生"].score * 0.25, rel=1e-5)
    assert bachelor.reasons[0] == "需求要求博士，该人才为学士（得分已按要求降低）"
    assert master.reasons[0] == "需求要求博士，该人才为硕士（得分已按要求降低）"
    assert "符合需求要求：博士" in by_name["博士甲"].reasons


def test_a_title_requirement_penalises_a_lecturer_and_names_the_title(
    thesaurus: Thesaurus, knowledge: FieldKnowledge
) -> None:
    talents = [_talent(1, "讲师甲", "博士", "讲师"), _talent(2, "教授乙", "博士", "教授")]
    ranked = _ranker(talents, thesaurus, knowledge).rank(_need("副高级及以上职称"), top=2)
    assert [c.name for c in ranked] == ["教授乙", "讲师甲"]
    assert ranked[1].reasons[0] == "需求要求副高级及以上职称，该人才为讲师（中级）（得分已按要求降低）"


def test_an_unknown_degree_costs_nothing_and_earns_nothing(thesaurus: Thesaurus, knowledge: FieldKnowledge) -> None:
    talents = [_talent(1, "未填学位", ""), _talent(2, "博士甲", "博士")]
    ranker = _ranker(talents, thesaurus, knowledge)
    asked = {c.name: c for c in ranker.rank(_need("博士"), top=2)}
    free = {c.name: c for c in ranker.rank(_need(""), top=2)}
    unknown = asked["未填学位"]
    assert unknown.requirement == 1.0
    assert unknown.score == pytest.approx(free["未填学位"].score)
    assert "需求要求博士，该人才未填写学位，无法核对" in unknown.reasons
    assert asked["博士甲"].score == pytest.approx(free["博士甲"].score)  # meeting it is no bonus either


def test_a_preference_costs_a_little_and_says_so(thesaurus: Thesaurus, knowledge: FieldKnowledge) -> None:
    ranker = _ranker([_talent(1, "硕士甲", "硕士")], thesaurus, knowledge)
    [candidate] = ranker.rank(_need("硕士及以上，博士优先"), top=1)
    assert candidate.requirement == pytest.approx(0.9)
    assert candidate.reasons[0] == "需求优先考虑博士，该人才为硕士"


def test_either_a_doctorate_or_a_senior_title_is_enough(thesaurus: Thesaurus, knowledge: FieldKnowledge) -> None:
    talents = [_talent(1, "高工", "学士", "高级工程师"), _talent(2, "硕士讲师", "硕士", "讲师")]
    by_name = {c.name: c for c in _ranker(talents, thesaurus, knowledge).rank(_need("博士或高级职称"), top=2)}
    assert by_name["高工"].requirement == 1.0
    assert by_name["硕士讲师"].requirement == pytest.approx(0.5)
    assert by_name["硕士讲师"].reasons[0].startswith("需求要求博士或副高级及以上职称，该人才为硕士、讲师")


@settings(max_examples=200, deadline=None)
@given(
    degree=st.integers(0, 3),
    title=st.integers(0, 3),
    either=st.booleans(),
    preferred_degree=st.integers(0, 3),
    preferred_title=st.integers(0, 3),
    talent_degree=st.integers(-1, 3),
    talent_title=st.integers(-1, 4),
)
def test_the_ranker_applies_the_same_factor_as_the_rule(
    thesaurus: Thesaurus,
    knowledge: FieldKnowledge,
    degree: int,
    title: int,
    either: bool,
    preferred_degree: int,
    preferred_title: int,
    talent_degree: int,
    talent_title: int,
) -> None:
    """rank.py computes the factor for a whole index at once; it must agree with requirements.py's rule."""
    requirement = Requirement(degree, title, either and bool(degree and title), preferred_degree, preferred_title)
    ranker = _ranker([_talent(1, "甲", "")], thesaurus, knowledge)
    ranker.index.degree_level[0], ranker.index.title_level[0] = talent_degree, talent_title
    vector = ranker._requirement_factor(requirement, np.zeros(1, dtype=np.int64))
    assert float(vector[0]) == pytest.approx(shortfall_factor(requirement, talent_degree, talent_title).factor)
