"""The 企业信息 spreadsheet (docs/formats-enterprises.md) into the enterprise register, on real files."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from rencai.core.imports import ImportReport, run_import
from rencai.core.models import Zone
from rencai.orgs.models import Enterprise, EnterpriseContact, InnovationIndicator
from tests.factories import EnterpriseFactory, ZoneFactory, make_credit_code

HEADER = ["序号", "企业名称", "统一社会信用代码", "所属行业", "企业资质", "成立日期", "职工人数", "指标年度",
          "研发投入(万元)", "是否有研发机构", "有效发明专利数", "联系人", "联系电话", "备注", "所在园区"]


@pytest.fixture
def zone(db: Any) -> Zone:
    return ZoneFactory(code="import-test", name="导入测试园区")


def enterprise_row(name: str, **cells: object) -> list[object]:
    values = {"企业名称": name} | cells
    return [values.get(column, "") for column in HEADER]


def sheet(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    ws = book.active
    ws.append(["2026年规上工业企业创新情况统计表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def load(path: Path, zone: Zone, *, dry_run: bool = False) -> ImportReport:
    return run_import("enterprises", str(path), filename=None, zone=zone, user=None, dry_run=dry_run)


def refusals(report: ImportReport) -> set[tuple[int, str]]:
    return {(r["row"], r["column"]) for r in report.refused}


def test_credit_code_with_a_wrong_check_character_is_refused_by_row(zone, tmp_path):
    good = make_credit_code(11)
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    rows = [enterprise_row("包头稀土永磁有限公司", 统一社会信用代码=good),
            enterprise_row("包头氢能科技有限公司", 统一社会信用代码=wrong),
            enterprise_row("包头数字公司", 统一社会信用代码=1.50203e17)]
    report = load(sheet(tmp_path / "e.xlsx", rows), zone)
    assert refusals(report) == {(4, "统一社会信用代码"), (5, "统一社会信用代码")}
    assert f"最后一位应为 {good[-1]}" in report.refused[0]["reason"]
    assert "存成了数字" in report.refused[1]["reason"]
    assert list(Enterprise.objects.values_list("credit_code", flat=True)) == [good]


def test_industry_is_read_from_code_or_name_and_an_unknown_one_is_refused(zone, tmp_path):
    rows = [enterprise_row("甲化工公司", 所属行业="C26"),
            enterprise_row("乙化工公司", 所属行业="化学原料和化学制品制造业"),
            enterprise_row("丙公司", 所属行业="Ｃ１４"), enterprise_row("丁公司", 所属行业="稀土")]
    report = load(sheet(tmp_path / "e.xlsx", rows), zone)
    assert refusals(report) == {(6, "所属行业")}
    assert dict(Enterprise.objects.values_list("name", "industry_code")) == {
        "甲化工公司": "26", "乙化工公司": "26", "丙公司": "14"}


def test_three_zeros_indicators_are_created_for_the_year(zone, tmp_path):
    rows = [enterprise_row("有研发的公司", 指标年度=2025, **{"研发投入(万元)": "120.5万元"}, 是否有研发机构="是",
                           有效发明专利数=3),
            enterprise_row("三个零的公司", 指标年度="2025", **{"研发投入(万元)": 0}, 是否有研发机构="否",
                           有效发明专利数=0),
            enterprise_row("没写年度的公司", 是否有研发机构="有"),
            enterprise_row("按元填写的公司", 指标年度=2025, **{"研发投入(万元)": "5000元"})]
    report = load(sheet(tmp_path / "e.xlsx", rows), zone)
    assert refusals(report) == {(5, "指标年度")}
    assert InnovationIndicator.objects.get(enterprise__name="按元填写的公司").rd_spending == Decimal("0.5")
    cleared = InnovationIndicator.objects.get(enterprise__name="有研发的公司")
    assert (cleared.year, cleared.rd_spending, cleared.has_rd_institution, cleared.invention_patents) == (
        2025, Decimal("120.5"), True, 3)
    assert cleared.three_zeros_cleared
    zeros = InnovationIndicator.objects.get(enterprise__name="三个零的公司")
    assert zeros.zeros == ["研发投入", "研发机构", "发明专利"]


def test_qualifications_contact_and_unknown_columns_are_kept(zone, tmp_path):
    row = enterprise_row("包头稀土永磁有限公司", 企业资质="高新技术企业、专精特新", 联系人="张工",
                         联系电话="138-1234-5678", 所在园区="稀土新材料产业园", 职工人数="1,200", 成立日期="2003年5月")
    report = load(sheet(tmp_path / "e.xlsx", [row]), zone)
    assert report.refused == [] and report.unknown_columns == ["所在园区"]
    enterprise = Enterprise.objects.get()
    assert enterprise.qualifications == ["high_tech", "specialized"]
    assert (enterprise.employees, str(enterprise.established_on)) == (1200, "2003-05-01")
    assert enterprise.extra == {"所在园区": "稀土新材料产业园"}
    contact = EnterpriseContact.objects.get(enterprise=enterprise)
    assert (contact.name, contact.phone, contact.is_primary) == ("张工", "13812345678", True)


def test_an_enterprise_already_registered_is_updated_by_credit_code_and_reimport_creates_nothing(zone, tmp_path):
    existing = EnterpriseFactory(zone=zone, name="旧名字有限公司", credit_code=make_credit_code(5))
    rows = [enterprise_row("新名字有限公司", 统一社会信用代码=existing.credit_code, 职工人数=80, 指标年度=2025,
                           有效发明专利数=2),
            enterprise_row("包頭乳業有限公司")]  # no code: matched by name, Traditional = Simplified
    path = sheet(tmp_path / "e.xlsx", rows)
    first = load(path, zone)
    assert (first.created, first.updated) == (1, 1)
    existing.refresh_from_db()
    assert (existing.name, existing.employees) == ("新名字有限公司", 80)
    again = load(sheet(tmp_path / "again.xlsx", [*rows, enterprise_row("包头乳业有限公司")]), zone)
    assert (again.created, again.updated) == (0, 2)
    assert again.duplicates == [{"row": 5, "of": "第4行（包頭乳業有限公司）"}]
    assert Enterprise.objects.count() == 2
    assert InnovationIndicator.objects.filter(enterprise=existing).count() == 1


def test_enterprise_csv_in_gbk_is_read_and_preview_writes_nothing(zone, tmp_path):
    path = tmp_path / "e.csv"
    with path.open("w", encoding="gbk", newline="") as handle:
        csv.writer(handle).writerows([HEADER, enterprise_row("鄂尔多斯煤化工有限公司", 所属行业="C26", 联系人="李工")])
    report = load(path, zone, dry_run=True)
    assert (report.created, report.refused, report.written) == (1, [], False)
    assert not Enterprise.objects.exists()
