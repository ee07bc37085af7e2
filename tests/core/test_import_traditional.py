"""Rows written wholly in Traditional characters (issue 11): choice columns are compared after Traditional→Simplified
and width folding; a first occurrence is stored as written; a Traditional duplicate of a registered person is
found, not refused."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from rencai.core.imports import run_import
from rencai.needs.models import Need
from rencai.talents.models import Talent


def sheet(path: Path, header: list[str], *rows: list[object]) -> Path:
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


TALENT_HEADER = ["姓名", "性別", "出生日期", "最高學位", "最高學歷", "人才類型", "柔性方式"]
TALENT_HEADER_SIMPLIFIED = ["姓名", "性别", "出生日期", "最高学位", "最高学历", "人才类型", "柔性方式"]


def test_a_talent_row_in_traditional_characters_is_read_and_stored_as_written(world, tmp_path: Path) -> None:
    path = sheet(tmp_path / "人才.xlsx", TALENT_HEADER_SIMPLIFIED,
                 ["陳靜", "女", "1990-05-01", "博士學位", "博士研究生", "博士後", "候鳥式"],
                 ["劉強", "男", "1985-03-02", "碩士", "碩士研究生", "柔性引進", "項目合作"])
    report = run_import("talents", str(path), filename=None, zone=world.zone_a, user=world.admin, dry_run=False)
    assert report.refused == [] and report.created == 2
    chen = Talent.objects.get(name="陳靜")  # the name as written
    facts = (chen.talent_type, chen.flexible_mode, chen.degree, chen.education)
    assert facts == ("博士后", "候鸟式", "博士", "博士研究生")
    liu = Talent.objects.get(name="劉強")
    facts = (liu.talent_type, liu.flexible_mode, liu.degree, liu.education)
    assert facts == ("柔性引进", "项目合作", "硕士", "硕士研究生")


def test_traditional_headers_are_recognised_too(world, tmp_path: Path) -> None:
    path = sheet(tmp_path / "人才.xlsx", TALENT_HEADER, ["陳靜", "女", "1990-05-01", "博士", "", "博士後", ""])
    report = run_import("talents", str(path), filename=None, zone=world.zone_a, user=world.admin, dry_run=True)
    assert report.refused == [] and report.created == 1 and report.unknown_columns == []


def test_a_traditional_duplicate_of_a_registered_person_is_found_not_refused(world, tmp_path: Path) -> None:
    path = sheet(tmp_path / "人才.xlsx", TALENT_HEADER_SIMPLIFIED, ["陈静", "女", "1990-05-01", "", "", "博士后", ""])
    run_import("talents", str(path), filename=None, zone=world.zone_a, user=world.admin, dry_run=False)
    again = sheet(tmp_path / "人才2.xlsx", TALENT_HEADER_SIMPLIFIED,
                  ["陳靜", "女", "1990-05-01", "", "", "博士後", ""])
    report = run_import("talents", str(again), filename=None, zone=world.zone_a, user=world.admin, dry_run=True)
    assert report.refused == [] and (report.created, report.updated) == (0, 1)
    [match] = report.changes
    assert match["row"] == 2 and match["existing"] == "陈静"


def test_need_choices_in_traditional_and_full_width_are_read(world, tmp_path: Path) -> None:
    path = sheet(tmp_path / "需求.xlsx", ["企业名称", "需求类型", "需求名称", "需求描述", "紧急程度"],
                 ["包頭北辰磁業有限責任公司", "技術攻關", "磁體燒結工藝", "提高成品率", "較急"])
    report = run_import("needs", str(path), filename=None, zone=world.zone_a, user=world.admin, dry_run=False)
    assert report.refused == [] and report.created == 1
    need = Need.objects.get(title="磁體燒結工藝")
    assert (need.kind, need.urgency, need.enterprise.name) == ("技术攻关", "较急", "包頭北辰磁業有限責任公司")
