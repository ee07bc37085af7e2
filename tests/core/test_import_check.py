"""Import they can check (issue 11): a template per register, a field-by-field comparison of what an update changes
with a choice to keep or replace multi-value fields, and the refused rows as an .xlsx to fix and upload again."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from rencai.core.imports import importers
from rencai.core.models import AuditEvent, ImportJob
from rencai.talents.models import Talent
from tests.conftest import verified_client
from tests.factories import TalentFactory, make_id_number

# The headers of FORMATS.md and docs/formats-enterprises.md, in their order.
FORMATS = {
    "talents": ["姓名", "性别", "出生日期", "身份证号", "手机号", "最高学历", "最高学位", "毕业院校", "所学专业",
                "一级学科", "研究方向", "职称", "工作单位", "人才类型", "柔性方式", "人才层次", "代表性成果",
                "所在地区", "备注"],
    "needs": ["企业名称", "统一社会信用代码", "需求类型", "需求名称", "需求描述", "所属领域", "期望人才", "需求人数",
              "紧急程度", "拟投入经费(万元)", "联系人", "联系电话", "截止日期"],
    "enterprises": ["企业名称", "统一社会信用代码", "所属行业", "企业资质", "地址", "成立日期", "职工人数", "指标年度",
                    "研发投入(万元)", "是否有研发机构", "有效发明专利数", "联系人", "联系电话", "备注"],
    "social_insurance": ["姓名", "身份证号", "缴费月份", "参保单位", "统一社会信用代码"],
}


def xlsx(rows: list[list[object]], name: str = "人才.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile(name, data.getvalue())


@pytest.mark.parametrize("kind", sorted(FORMATS))
def test_each_register_has_a_template_whose_example_row_imports_cleanly(world, kind: str) -> None:
    client = verified_client(world.admin)
    page = client.get(reverse("core:import_start", args=[kind])).content.decode()
    assert reverse("core:import_template", args=[kind]) in page
    response = client.get(reverse("core:import_template", args=[kind]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    data, notes = book.worksheets
    header = [cell.value for cell in data[1]]
    assert header == FORMATS[kind]
    assert any(cell.value for cell in data[2])  # an example row
    assert notes.title == "填表说明" and [c.value for c in notes[1]] == ["列名", "必填", "说明"]
    assert {row[0].value for row in notes.iter_rows(min_row=2) if row[0].value} >= set(FORMATS[kind])

    client.post(reverse("core:import_start", args=[kind]),
                {"file": SimpleUploadedFile("模板.xlsx", response.content), "zone": world.zone_a.pk})
    job = ImportJob.objects.get(kind=kind)
    assert job.status == ImportJob.Status.PREVIEWED, job.error
    assert job.preview["refused"] == [] and job.preview["created"] + job.preview["updated"] == 1


@pytest.fixture
def registered(world) -> Talent:
    return TalentFactory(zone=world.zone_a, name="陈静", birth_date=date(1990, 5, 1), title="副教授",
                         research_directions="稀土永磁；储氢材料；磁制冷", employer="内蒙古科技大学")


def reimport(world, rows: list[list[object]]) -> tuple[ImportJob, str]:
    client = verified_client(world.admin)
    client.post(reverse("core:import_start", args=["talents"]),
                {"file": xlsx([["姓名", "出生日期", "职称", "研究方向", "工作单位"], *rows]), "zone": world.zone_a.pk})
    job = ImportJob.objects.latest("pk")
    return job, client.get(reverse("core:import_job", args=[job.pk])).content.decode()


def test_the_preview_of_an_update_compares_field_by_field(world, registered: Talent) -> None:
    job, page = reimport(world, [["陳靜", "1990-05-01", "教授", "钕铁硼", "内蒙古科技大学"]])
    assert job.preview["updated"] == 1
    assert '<td>职称</td><td class="old">副教授</td><td class="new">教授' in page
    assert "<td>研究方向</td>" in page and "合并后：稀土永磁；储氢材料；磁制冷；钕铁硼" in page
    assert "<td>工作单位</td>" not in page  # unchanged fields are not listed
    assert 'name="multi_value" value="replace"' in page


def test_re_importing_merges_research_directions_unless_replace_is_chosen(world, registered: Talent) -> None:
    job, _ = reimport(world, [["陈静", "1990-05-01", "教授", "钕铁硼", ""]])
    verified_client(world.admin).post(reverse("core:import_confirm", args=[job.pk]))
    registered.refresh_from_db()
    assert registered.research_directions == "稀土永磁；储氢材料；磁制冷；钕铁硼" and registered.title == "教授"

    job, _ = reimport(world, [["陈静", "1990-05-01", "", "钕铁硼", ""]])
    verified_client(world.admin).post(reverse("core:import_confirm", args=[job.pk]), {"multi_value": "replace"})
    registered.refresh_from_db()
    assert registered.research_directions == "钕铁硼" and registered.title == "教授"


def test_refused_rows_download_with_their_reasons_and_upload_again_once_fixed(world) -> None:
    bad_id = make_id_number(date(1986, 2, 3), seq=4)[:-1] + "X"
    rows = [["姓名", "身份证号", "职称", "籍贯"], ["刘洋", "", "教授", "山西"], ["", "", "研究员", ""],
            ["周杰", bad_id, "", "河北"]]
    client = verified_client(world.admin)
    client.post(reverse("core:import_start", args=["talents"]), {"file": xlsx(rows), "zone": world.zone_a.pk})
    job = ImportJob.objects.get()
    page = client.get(reverse("core:import_job", args=[job.pk])).content.decode()
    assert reverse("core:import_refused", args=[job.pk]) in page
    client.post(reverse("core:import_confirm", args=[job.pk]))  # the good row is written; the file is deleted

    response = client.get(reverse("core:import_refused", args=[job.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    got = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert got[0] == ["姓名", "身份证号", "职称", "籍贯", "拒绝原因"]
    assert got[1][:4] == [None, None, "研究员", None] and got[1][4].startswith("原第3行 · 姓名：姓名不能为空")
    assert got[2][:4] == ["周杰", bad_id, None, "河北"] and "身份证号" in got[2][4]
    assert AuditEvent.objects.filter(action="export", object_repr__contains="被拒绝的行").exists()

    got[1][0], got[2][1] = "孙磊", ""  # fixed by the clerk
    client.post(reverse("core:import_start", args=["talents"]),
                {"file": xlsx(got, "改正.xlsx"), "zone": world.zone_a.pk})
    again = ImportJob.objects.latest("pk")
    assert again.preview["refused"] == [] and again.preview["created"] == 2
    assert again.preview["unknown_columns"] == ["籍贯"]  # the reason column is not taken for data


def test_the_refused_rows_are_kept_encrypted(world) -> None:
    rows = [["姓名", "手机号"], ["刘洋", "12345"]]
    verified_client(world.admin).post(reverse("core:import_start", args=["talents"]),
                                      {"file": xlsx(rows), "zone": world.zone_a.pk})
    job = ImportJob.objects.get()
    assert "12345" not in str(job.preview) and "refused_cells" in job.preview


def test_every_importer_documents_its_columns() -> None:
    for kind, importer in importers().items():
        assert list(importer.columns) == FORMATS[kind]
        assert set(importer.notes) <= set(importer.columns) and set(importer.example) == set(importer.columns)
