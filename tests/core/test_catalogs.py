"""Checks of the national reference catalogs (no database)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from rencai.core import catalogs
from rencai.core.catalogs import (
    COUNTERPART_STRENGTH,
    NEIGHBOUR_STRENGTH,
    discipline_by_code,
    discipline_categories,
    discipline_industries,
    discipline_neighbours,
    discipline_relation,
    disciplines,
    find_discipline,
    find_industry,
    industry_affinity,
    industry_by_code,
    industry_doors,
    industry_groups,
    industry_label,
)

# GB/T 4754-2017: each door's range of two-digit major groups.
DOOR_RANGES = {
    "A": (1, 5),
    "B": (6, 12),
    "C": (13, 43),
    "D": (44, 46),
    "E": (47, 50),
    "F": (51, 52),
    "G": (53, 60),
    "H": (61, 62),
    "I": (63, 65),
    "J": (66, 69),
    "K": (70, 70),
    "L": (71, 72),
    "M": (73, 75),
    "N": (76, 79),
    "O": (80, 82),
    "P": (83, 83),
    "Q": (84, 85),
    "R": (86, 90),
    "S": (91, 96),
    "T": (97, 97),
}


def _raw_mapping() -> dict[str, dict[str, Any]]:
    text = resources.files(catalogs).joinpath("discipline_industries.json").read_text(encoding="utf-8")
    return json.loads(text)["disciplines"]


# --------------------------------------------------------------------------- industries


def test_twenty_doors_and_ninety_seven_groups() -> None:
    doors = industry_doors()
    groups = industry_groups()
    assert [d.code for d in doors] == list("ABCDEFGHIJKLMNOPQRST")
    assert len(groups) == 97
    assert [g.code for g in groups] == [f"{n:02d}" for n in range(1, 98)]


def test_every_group_in_its_doors_range() -> None:
    for group in industry_groups():
        low, high = DOOR_RANGES[group.door]
        assert low <= int(group.code) <= high, group
    for door, (low, high) in DOOR_RANGES.items():
        assert [int(g.code) for g in industry_groups(door)] == list(range(low, high + 1))


def test_industry_codes_and_names_unique() -> None:
    doors, groups = industry_doors(), industry_groups()
    codes = [i.code for i in (*doors, *groups)]
    assert len(codes) == len(set(codes))
    for items in (doors, groups):
        names = [i.name for i in items]
        assert len(names) == len(set(names))
        assert all(name.strip() == name and name for name in names)


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("A", "农、林、牧、渔业"),
        ("01", "农业"),
        ("03", "畜牧业"),
        ("05", "农、林、牧、渔专业及辅助性活动"),
        ("B", "采矿业"),
        ("06", "煤炭开采和洗选业"),
        ("09", "有色金属矿采选业"),
        ("12", "其他采矿业"),
        ("C", "制造业"),
        ("13", "农副食品加工业"),
        ("14", "食品制造业"),
        ("25", "石油、煤炭及其他燃料加工业"),
        ("26", "化学原料和化学制品制造业"),
        ("27", "医药制造业"),
        ("32", "有色金属冶炼和压延加工业"),
        ("36", "汽车制造业"),
        ("38", "电气机械和器材制造业"),
        ("43", "金属制品、机械和设备修理业"),
        ("D", "电力、热力、燃气及水生产和供应业"),
        ("45", "燃气生产和供应业"),
        ("58", "多式联运和运输代理业"),
        ("65", "软件和信息技术服务业"),
        ("73", "研究和试验发展"),
        ("77", "生态保护和环境治理业"),
        ("79", "土地管理业"),
        ("96", "基层群众自治组织及其他组织"),
        ("T", "国际组织"),
        ("97", "国际组织"),
    ],
)
def test_known_industry_names(code: str, name: str) -> None:
    industry = industry_by_code(code)
    assert industry is not None and industry.name == name


def test_industry_lookup_and_labels() -> None:
    assert industry_label("C") == "C 制造业"
    assert industry_label("26") == "C26 化学原料和化学制品制造业"
    assert industry_label("C26") == "C26 化学原料和化学制品制造业"
    assert industry_label("zz") == "zz"
    assert industry_by_code("c 26") == industry_by_code("Ｃ２６") == industry_by_code("26")
    assert industry_by_code("3232").code == "32"  # 稀土金属冶炼 (小类) → 大类 32
    assert industry_by_code("A26") is None  # letter contradicts the group
    assert industry_by_code("98") is None
    assert industry_by_code("") is None
    assert find_industry("C26 化学原料和化学制品制造业").code == "26"
    assert find_industry("制造业").code == "C"
    assert find_industry("农林牧渔业").code == "A"
    assert find_industry("乳制品") is None


# --------------------------------------------------------------------------- disciplines


def test_discipline_counts_and_codes() -> None:
    categories = discipline_categories()
    assert list(categories) == [f"{n:02d}" for n in range(1, 15)]
    assert categories["08"] == "工学" and categories["14"] == "交叉学科"
    academic = disciplines(professional=False)
    professional = disciplines(professional=True)
    assert len(academic) == 117  # 2022 catalog: 117 一级学科
    assert len(professional) == 67  # and 67 专业学位类别
    for d in disciplines():
        assert len(d.code) == 4 and d.code.isdigit(), d
        assert d.code[:2] == d.category_code, d
        assert categories[d.category_code] == d.category_name
        # Professional degree categories are numbered x51 and up, academic ones below.
        assert (int(d.code[2:]) >= 51) is d.professional, d


def test_discipline_codes_unique_and_names_unique_per_kind() -> None:
    codes = [d.code for d in disciplines()]
    assert len(codes) == len(set(codes))
    for professional in (False, True):
        names = [d.name for d in disciplines(professional=professional)]
        assert len(names) == len(set(names))


def test_aliases_are_unambiguous() -> None:
    academic_names = {d.name for d in disciplines(professional=False)}
    category_names = set(discipline_categories().values())
    seen: dict[str, str] = {}
    for d in disciplines():
        for alias in d.aliases:
            assert alias not in academic_names, (d.code, alias)
            assert alias not in category_names, (d.code, alias)
            assert seen.setdefault(alias, d.code) == d.code, (alias, seen[alias], d.code)
    current = {d.code for d in disciplines()}
    for d in disciplines():
        assert not set(d.former_codes) & current


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("0805", "0805"),
        ("材料科学与工程", "0805"),
        ("材料学", "0805"),
        ("0805材料科学与工程", "0805"),
        ("0805 材料科学与工程", "0805"),
        (" 0805　材料科学与工程 ", "0805"),
        ("０８０５", "0805"),
        ("材料科學與工程", "0805"),
        ("材料科学与工程（0805）", "0805"),
        ("材料科学与工程（可授工学、理学学位）", "0805"),
        ("080502", "0805"),
        ("080502 材料学", "0805"),
        ("805", "0805"),  # Excel dropped the leading zero
        (805, "0805"),
        (80502.0, "0805"),
        ("化工", "0817"),
        ("计算机", "0812"),
        ("畜牧", "0905"),
        ("畜牧学专业", "0905"),
        ("兽医", "0906"),
        ("獸醫學", "0906"),
        ("草业科学", "0909"),
        ("草学", "0909"),
        ("工商管理", "1202"),  # the 2011 name of 1202 工商管理学
        ("图书情报与档案管理", "1205"),
        ("1305 设计学", "1403"),  # retired code falls back to the name
        ("0834", "0862"),  # 风景园林学 became professional-only in 2022
        ("临床医学", "1002"),  # academic before professional with the same name
        ("1051", "1051"),
        ("中药", "1056"),
    ],
)
def test_find_discipline(cell: str | int | float, code: str) -> None:
    found = find_discipline(cell)
    assert found is not None, cell
    assert found.code == code


@pytest.mark.parametrize("cell", [None, "", "   ", "工学", "历史学", "不知道", "9999", 3.5])
def test_find_discipline_misses(cell: str | float | None) -> None:
    assert find_discipline(cell) is None


def test_every_name_and_alias_resolves_to_itself() -> None:
    for d in disciplines():
        assert find_discipline(d.code) == d
        if d.professional and any(o.name == d.name for o in disciplines(professional=False)):
            continue  # e.g. 1051 临床医学: the name resolves to the academic 1002
        for text in (d.name, *d.aliases):
            found = find_discipline(text)
            if d.professional and found is not None and not found.professional:
                continue  # a professional name shadowed by an academic alias (兽医 → 0906)
            assert found == d, (text, found, d)


# --------------------------------------------------------------------------- relations


def test_mapping_references_exist() -> None:
    known = {d.code for d in disciplines()}
    academic = {d.code for d in disciplines(professional=False)}
    for code, entry in _raw_mapping().items():
        assert code in known, code
        assert set(entry) <= {"industries", "neighbours", "counterparts", "note"}, code
        for industry, strength in entry.get("industries", {}).items():
            assert industry_by_code(industry) is not None, (code, industry)
            assert industry.isdigit() or len(industry) == 1, (code, industry)
            assert strength in (0.5, 1.0), (code, industry)
        for other in entry.get("neighbours", ()):
            assert other in known and other != code, (code, other)
        for other in entry.get("counterparts", ()):
            assert other in academic, (code, other)
        if discipline_by_code(code).professional:
            assert entry.get("counterparts") or entry.get("industries"), code


def test_required_disciplines_are_mapped() -> None:
    for d in disciplines():
        if d.category_code in {"07", "08", "09", "10", "12"}:
            assert discipline_industries(d.code), d


def test_relation_symmetric_and_bounded() -> None:
    codes = [d.code for d in disciplines()]
    for a in codes:
        assert discipline_relation(a, a) == 1.0
        for b, strength in discipline_neighbours(a).items():
            assert strength in (NEIGHBOUR_STRENGTH, COUNTERPART_STRENGTH)
            assert discipline_neighbours(b)[a] == strength
        for b in codes:
            assert discipline_relation(a, b) == discipline_relation(b, a)
            assert 0.0 <= discipline_relation(a, b) <= 1.0


def test_local_industry_examples() -> None:
    assert discipline_relation("0805", "0703") == NEIGHBOUR_STRENGTH
    assert discipline_relation("0805", "0817") == NEIGHBOUR_STRENGTH
    assert discipline_relation("0805", "0802") == NEIGHBOUR_STRENGTH
    assert {"0905", "1001", "0710"} <= set(discipline_neighbours("0906"))
    assert discipline_relation("0906", "0952") == COUNTERPART_STRENGTH
    assert discipline_relation("0952", "0905") == NEIGHBOUR_STRENGTH  # inherited from 0906
    assert discipline_relation("0906", "0812") == 0.0
    assert discipline_industries("0805")["32"] == 1.0  # rare earth, permanent magnets
    assert discipline_industries("0906")["27"] == 1.0  # animal vaccines
    assert discipline_industries("0817")["25"] == 1.0  # coal chemicals
    assert discipline_industries("0909")["01"] == 1.0  # grass
    assert discipline_industries("0832")["14"] == 1.0  # dairy
    assert discipline_industries("0802")["36"] == 1.0  # automotive parts
    assert discipline_industries("0819")["B"] == 1.0  # mining
    assert discipline_industries("0952") == discipline_industries("0906")  # inherited
    assert discipline_industries("9999") == {}


def test_industry_affinity() -> None:
    assert industry_affinity("0819", "06") == 1.0  # door B covers coal mining
    assert industry_affinity("0819", "B") == 1.0
    assert industry_affinity("0805", "32") == 1.0
    assert industry_affinity("0805", "C32") == 1.0
    assert industry_affinity("0805", "C") == 0.5  # only the door is known
    assert industry_affinity("0805", "62") == 0.0
    assert industry_affinity("0805", "nonsense") == 0.0


def test_returned_dicts_are_copies() -> None:
    discipline_industries("0805")["32"] = 0.0
    discipline_neighbours("0805").clear()
    assert discipline_industries("0805")["32"] == 1.0
    assert discipline_neighbours("0805")
