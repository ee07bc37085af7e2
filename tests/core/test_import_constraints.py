"""The preview checks every length and constraint the write will meet (issue 12 item 7): a 500-character 姓名 was
previewed as "created 3, refused 0", then the write failed with DataError on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from rencai.core.imports import importers, run_import
from rencai.talents.models import Talent

LONG = "长" * 1_000


def sheet(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_a_500_character_name_is_refused_by_the_preview_naming_its_row_and_column(world, tmp_path: Path) -> None:
    path = sheet(tmp_path / "人才.xlsx", ["姓名", "性别"], [["张伟", "男"], ["王" * 500, "男"], ["李娜", "女"]])
    report = run_import("talents", str(path), filename=None, zone=world.zone_a, user=world.admin, dry_run=True)
    assert (report.created, len(report.refused)) == (2, 1)
    assert report.refused == [{"row": 3, "column": "姓名", "reason": "姓名最多 50 个字符，这里有 500 个，请缩短"}]
    written = run_import("talents", str(path), filename=None, zone=world.zone_a, user=world.admin, dry_run=False)
    assert written.written and Talent.objects.filter(name__in=["张伟", "李娜"]).count() == 2


# A valid row for each register, to which one over-long or out-of-range cell is added.
VALID = {
    "talents": {"姓名": "张伟"},
    "needs": {"企业名称": "包头稀土永磁材料有限公司", "需求名称": "钕铁硼磁体", "需求描述": "提高矫顽力"},
    "enterprises": {"企业名称": "包头稀土永磁材料有限公司", "联系人": "张工"},
    "social_insurance": {"姓名": "张伟", "身份证号": "150203198805120018", "缴费月份": "2026-03",
                         "参保单位": "包头稀土永磁材料有限公司"},
}
HUGE_NUMBER = 10**15


def _cases() -> list[tuple[str, str, object]]:
    import django

    django.setup()
    cases = []
    for kind, importer in sorted(importers().items()):
        for column in importer.columns:
            cases.append((kind, column, LONG))
        for column in ("需求人数", "拟投入经费(万元)", "职工人数", "有效发明专利数", "研发投入(万元)", "指标年度"):
            if column in importer.columns:
                cases.append((kind, column, HUGE_NUMBER))
    return cases


@pytest.mark.parametrize(("kind", "column", "value"), _cases())
def test_every_column_of_every_register_is_either_refused_in_the_preview_or_written(
    world, tmp_path: Path, kind: str, column: str, value: object
) -> None:
    """The promise of the preview: a row it accepts is written. On PostgreSQL the database enforces lengths and
    ranges, so a value the preview let through would fail the write here."""
    row = VALID[kind] | {column: value}
    if column in ("研发投入(万元)", "有效发明专利数"):
        row["指标年度"] = 2025
    path = sheet(tmp_path / "表.xlsx", list(row), [list(row.values())])
    preview = run_import(kind, str(path), filename=None, zone=world.zone_a, user=world.admin, dry_run=True)
    if preview.refused:
        assert {r["column"] for r in preview.refused} == {column}, preview.refused
        return
    assert preview.created + preview.updated == 1
    written = run_import(kind, str(path), filename=None, zone=world.zone_a, user=world.admin, dry_run=False)
    assert written.written and written.created + written.updated == 1
