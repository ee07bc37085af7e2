"""The 人才信息 spreadsheet as it really arrives (FORMATS.md): one test per hazard, real files, real database."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from rencai.core.imports import ImportReport, run_import
from rencai.core.models import AuditEvent, Zone
from rencai.talents.models import Talent, TierRule
from tests.factories import TalentFactory, ZoneFactory, make_id_number

HEADER = ["序号", "姓名", "性别", "出生日期", "身份证号", "手机号", "最高学位", "职称", "人才层次", "代表性成果"]
TITLE = "2026年稀土高新区引进人才信息汇总表"
NUMERIC_ID = "身份证号被表格存成了数字"
FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})


@pytest.fixture
def zone(db: Any) -> Zone:
    return ZoneFactory(code="import-test", name="导入测试园区")


def sheet(path: Path, rows: list[list[object]], *, header: list[str] = HEADER, title: str | None = TITLE) -> Path:
    """An .xlsx as offices send them: a merged title row above the header unless title is None."""
    book = Workbook()
    ws = book.active
    if title is not None:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(header)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def talent_row(name: str, **cells: object) -> list[object]:
    """A row in HEADER's order; cells by column name, 序号 filled like a clerk would."""
    values = {"姓名": name} | cells
    return [values.get(column, "") for column in HEADER]


def load(path: Path, zone: Zone, *, dry_run: bool = False) -> ImportReport:
    return run_import("talents", str(path), filename=None, zone=zone, user=None, dry_run=dry_run)


def refusals(report: ImportReport) -> set[tuple[int, str]]:
    return {(r["row"], r["column"]) for r in report.refused}


def test_header_below_a_merged_title_row_is_found_and_rows_keep_their_excel_numbers(zone, tmp_path):
    path = sheet(tmp_path / "t.xlsx", [talent_row("王建国"), talent_row("李强", 身份证号="15020319880512123")])
    report = load(path, zone)
    assert report.header_row == 2
    assert report.created == 1
    assert refusals(report) == {(4, "身份证号")}  # title row 1, header row 2, data from row 3
    assert Talent.objects.get().name == "王建国"


def test_serial_number_column_is_ignored(zone, tmp_path):
    path = sheet(tmp_path / "t.xlsx", [[1, "王建国"], [2, "李强"]], header=["序号", "姓名"])
    report = load(path, zone)
    assert report.created == 2 and report.unknown_columns == []
    assert [t.extra for t in Talent.objects.all()] == [{}, {}]


def test_blank_rows_are_skipped(zone, tmp_path):
    rows = [talent_row("王建国"), [None] * len(HEADER), ["", "  ", "\u3000"], talent_row("李强", 身份证号="x")]
    report = load(sheet(tmp_path / "t.xlsx", rows), zone)
    assert (report.rows, report.created) == (2, 1)
    assert refusals(report) == {(6, "身份证号")}  # the blank rows 4 and 5 still count in the numbering


def test_full_width_digits_in_id_number_phone_and_date_are_read_as_half_width(zone, tmp_path):
    id_number = make_id_number(date(1990, 3, 8), seq=77)
    row = talent_row("王建国", 身份证号=id_number.translate(FULL_WIDTH), 手机号="１３８ １２３４ ５６７８",
                     出生日期="１９９０－０３－０８")
    report = load(sheet(tmp_path / "t.xlsx", [row]), zone)
    assert report.refused == [] and report.created == 1
    talent = Talent.objects.get()
    assert (talent.id_number, talent.phone, talent.birth_date) == (id_number, "13812345678", date(1990, 3, 8))


@pytest.mark.parametrize(
    ("cell", "birth", "month_only"),
    [
        ("1988-05-12", date(1988, 5, 12), False),
        ("1988/5/12", date(1988, 5, 12), False),
        ("1988.5.12", date(1988, 5, 12), False),
        ("1988.5", date(1988, 5, 1), True),
        ("1988年5月", date(1988, 5, 1), True),
        ("1988年5月12日", date(1988, 5, 12), False),
        (datetime(1988, 5, 12), date(1988, 5, 12), False),  # a real date cell
    ],
)
def test_every_date_form_gives_the_birth_date(zone, tmp_path, cell, birth, month_only):
    report = load(sheet(tmp_path / "t.xlsx", [talent_row("王建国", 出生日期=cell)]), zone)
    assert report.refused == []
    talent = Talent.objects.get()
    assert (talent.birth_date, talent.birth_month_only) == (birth, month_only)
    assert talent.birth_display == ("1988-05" if month_only else "1988-05-12")


@pytest.mark.parametrize("cell", [150203198805121234, "1.50203E+17"], ids=["number-cell", "scientific-text"])
def test_id_number_that_became_a_number_is_refused_with_its_row(zone, tmp_path, cell):
    rows = [talent_row("王建国"), talent_row("李强", 身份证号=cell)]
    report = load(sheet(tmp_path / "t.xlsx", rows), zone)
    assert refusals(report) == {(4, "身份证号")}
    assert NUMERIC_ID in report.refused[0]["reason"]
    assert list(Talent.objects.values_list("name", flat=True)) == ["王建国"]


def test_id_number_with_a_wrong_check_digit_is_refused(zone, tmp_path):
    valid = make_id_number(date(1985, 1, 2), seq=5)
    wrong = valid[:-1] + ("0" if valid[-1] != "0" else "1")
    report = load(sheet(tmp_path / "t.xlsx", [talent_row("李强", 身份证号=wrong)]), zone)
    assert refusals(report) == {(3, "身份证号")}
    assert f"最后一位应为 {valid[-1]}" in report.refused[0]["reason"]
    assert not Talent.objects.exists()


def test_traditional_and_simplified_names_with_one_birth_date_are_one_person(zone, tmp_path):
    rows = [talent_row("張偉", 出生日期="1980-01-02"), talent_row("张伟", 出生日期="1980年1月2日"),
            talent_row("张伟", 出生日期="1981-01-02")]  # same name, another birth date: another person
    report = load(sheet(tmp_path / "t.xlsx", rows), zone)
    assert report.duplicates == [{"row": 4, "of": "第3行（張偉）"}]
    assert report.created == 2
    assert sorted(Talent.objects.values_list("name", flat=True)) == ["张伟", "張偉"]  # names kept as written


def test_a_talent_already_in_the_register_is_updated_not_created(zone, tmp_path):
    id_number = make_id_number(date(1979, 9, 9), seq=321)
    existing = TalentFactory(zone=zone, name="王建国", id_number=id_number, title="副教授", phone="13900000000",
                             extra={"籍贯": "山西"})
    created_at, updated_at = existing.created_at, existing.updated_at
    row = talent_row("王建国", 身份证号=id_number, 职称="教授", 手机号="", 人才层次="B")
    report = load(sheet(tmp_path / "t.xlsx", [row]), zone)
    assert (report.created, report.updated) == (0, 1)
    existing.refresh_from_db()
    assert (existing.title, existing.tier, existing.tier_manual) == ("教授", "B", True)
    assert existing.phone == "13900000000"  # an empty cell never erases what the register has
    assert existing.extra == {"籍贯": "山西"}
    assert existing.created_at == created_at and existing.updated_at > updated_at
    assert Talent.objects.get(id_number_hash=existing.id_number_hash) == existing
    assert Talent.objects.count() == 1


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_csv_in_gbk_or_utf8_with_bom_is_read(zone, tmp_path, encoding):
    path = tmp_path / "t.csv"
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([TITLE])
        writer.writerow(HEADER)
        writer.writerow(talent_row("欧阳晓燕", 性别="女", 出生日期="1992年7月", 职称="高级工程师"))
    report = load(path, zone)
    assert (report.created, report.refused) == (1, [])
    talent = Talent.objects.get()
    assert (talent.name, talent.gender, talent.title) == ("欧阳晓燕", "女", "高级工程师")
    assert (talent.birth_date, talent.birth_month_only) == (date(1992, 7, 1), True)


def test_unknown_columns_are_kept_beside_the_talent(zone, tmp_path):
    header = ["姓名", "籍贯", "职称", "政治面貌"]
    report = load(sheet(tmp_path / "t.xlsx", [["王建国", "山西大同", "教授", "中共党员"]], header=header), zone)
    assert report.unknown_columns == ["籍贯", "政治面貌"]
    assert Talent.objects.get().extra == {"籍贯": "山西大同", "政治面貌": "中共党员"}


def test_preview_writes_nothing(zone, tmp_path):
    rows = [talent_row("王建国"), talent_row("李强", 身份证号=make_id_number(seq=8))]
    report = load(sheet(tmp_path / "t.xlsx", rows), zone, dry_run=True)
    assert (report.created, report.written) == (2, False)
    assert not Talent.objects.exists()
    assert not AuditEvent.objects.filter(action="import").exists()


def test_importing_the_same_file_twice_creates_nobody_new(zone, tmp_path):
    rows = [talent_row("王建国", 身份证号=make_id_number(seq=8)), talent_row("張偉", 出生日期="1980-01-02"),
            talent_row("李强")]
    path = sheet(tmp_path / "t.xlsx", rows)
    first = load(path, zone)
    again = load(path, zone)
    assert (first.created, first.updated) == (3, 0)
    assert (again.created, again.updated) == (0, 3)
    assert Talent.objects.count() == 3


def test_tier_comes_from_the_rules_and_a_given_tier_is_kept_as_manual(zone, tmp_path):
    TierRule.objects.all().delete()  # only this test's rules, whatever the migrations seeded
    senior = TierRule.objects.create(name="正高级职称博士", tier="C", priority=10, conditions=[
        {"field": "title", "op": "in", "value": ["教授", "研究员"]},
        {"field": "degree", "op": "in", "value": ["博士"]}])
    award = TierRule.objects.create(name="国家级人才", tier="B", priority=5, conditions=[
        {"field": "achievements", "op": "contains_any", "value": ["杰青", "长江学者"]}])
    rows = [talent_row("甲", 职称="教授", 最高学位="博士"), talent_row("乙", 职称="教授", 最高学位="博士学位",
                                                                  代表性成果="2019年获国家杰青"),
            talent_row("丙", 职称="讲师", 最高学位="硕士"), talent_row("丁", 职称="讲师", 人才层次="a类")]
    report = load(sheet(tmp_path / "t.xlsx", rows), zone)
    assert report.created == 4
    got = {t.name: (t.tier, t.tier_rule_id, t.tier_manual) for t in Talent.objects.all()}
    assert got == {"甲": ("C", senior.pk, False), "乙": ("B", award.pk, False), "丙": ("", None, False),
                   "丁": ("A", None, True)}
