"""`rencai import needs FILE` and /import/needs/: preview first, refused rows by number, then all or nothing."""

from __future__ import annotations

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook

from rencai.core.lifecycle import history_for
from rencai.core.models import ImportJob
from rencai.needs.models import Need, Status
from rencai.orgs.models import Enterprise
from tests.conftest import verified_client
from tests.factories import make_credit_code

HEADER = ["序号", "企业名称", "统一社会信用代码", "需求类型", "需求名称", "需求描述", "所属领域", "期望人才",
          "需求人数", "紧急程度", "拟投入经费(万元)", "联系人", "联系电话", "截止日期", "对接部门"]


def _rows(world):
    known_code = world.enterprise.credit_code
    new_code = make_credit_code(9001)
    bad_code = new_code[:-1] + ("0" if new_code[-1] != "0" else "1")
    return [
        [1, "随便写的名字", known_code, "技术攻关", "晶界扩散降镝", "降低重稀土用量", "材料科学与工程",
         "博士", "2", "紧急", "50", "张工", "13812345678", "2027.6", "科技局"],
        [2, "昆区乳业有限公司", "", "人才引进", "发酵工程师", "乳品发酵", "食品科学与工程", "硕士及以上", "1", "一般",
         "", "", "", "2027-03-31", ""],
        [3, "包头氢能科技有限公司", new_code, "科研助理岗位", "储氢材料科研助理", "协助实验", "材料", "本科", "5",
         "", "", "", "", "", ""],
        [4, "坏代码企业", bad_code, "技术攻关", "需求四", "描述", "", "", "1", "", "", "", "", "", ""],
        [5, "缺描述企业", "", "技术攻关", "需求五", "", "", "", "两个", "非常急", "", "", "", "", ""],
        [6, "随便写的名字", known_code, "技术攻关", "晶界扩散降镝", "重复的一行", "", "", "1", "", "", "", "", "", ""],
    ]


def _csv(path: Path, rows) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["2026年入企问需需求汇总表"])  # a title row above the header, as files really arrive
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _run(*args: str) -> dict:
    out = StringIO()
    call_command("import", *args, "--format", "json", "--zone", "xitu", stdout=out)
    return json.loads(out.getvalue())


def test_dry_run_refuses_bad_rows_by_number_and_writes_nothing(world, tmp_path):
    report = _run("needs", str(_csv(tmp_path / "needs.csv", _rows(world))), "--dry-run")
    assert (report["created"], report["written"]) == (3, False)
    refused = {(r["row"], r["column"]) for r in report["refused"]}
    assert (6, "统一社会信用代码") in refused  # row numbers as Excel shows them: title row 1, header row 2
    assert {(7, "需求描述"), (7, "需求人数"), (7, "紧急程度")} <= refused
    assert [d["row"] for d in report["duplicates"]] == [8]
    assert not Need.objects.exists()
    assert not Enterprise.objects.filter(name="包头氢能科技有限公司").exists()


def test_confirmed_import_writes_the_good_rows_and_finds_or_creates_enterprises(world, tmp_path):
    report = _run("needs", str(_csv(tmp_path / "needs.csv", _rows(world))))
    assert report["written"] and report["created"] == 3
    by_code = Need.objects.get(title="晶界扩散降镝")
    assert by_code.enterprise == world.enterprise  # found by credit code, not by the name written
    assert (by_code.urgency, by_code.headcount, by_code.discipline_code, by_code.level) == ("紧急", 2, "0805", "博士")
    assert by_code.extra == {"对接部门": "科技局"}  # unknown columns kept
    assert by_code.status == Status.PUBLISHED and history_for(by_code).get().reason == "表格导入"
    assert Need.objects.get(title="发酵工程师").enterprise.name == "昆区乳业有限公司"
    created = Need.objects.get(title="储氢材料科研助理")
    assert created.enterprise.name == "包头氢能科技有限公司" and created.enterprise.zone == world.zone_a
    assert created.kind == "科研助理岗位" and created.headcount == 5
    assert not Need.objects.filter(title__in=["需求四", "需求五"]).exists()


def test_name_lookup_stays_in_the_import_zone(world, tmp_path):
    # 昆区乳业 is registered in zone B; importing into zone A by name alone creates a zone-A enterprise.
    _run("needs", str(_csv(tmp_path / "needs.csv", _rows(world)[1:2])))
    assert Need.objects.get().enterprise != world.enterprise_b


def test_reimport_updates_instead_of_duplicating(world, tmp_path):
    path = _csv(tmp_path / "needs.csv", _rows(world)[:1])
    _run("needs", str(path))
    again = _run("needs", str(path))
    assert (again["created"], again["updated"]) == (0, 1)
    assert Need.objects.count() == 1


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    from io import BytesIO

    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_web_import_previews_then_writes_on_confirmation(world):
    client = verified_client(world.reviewer)
    upload = SimpleUploadedFile("需求.xlsx", _xlsx(_rows(world)))
    response = client.post("/import/needs/", {"file": upload, "zone": world.zone_a.pk})
    job = ImportJob.objects.get(kind="needs")
    assert response.status_code == 302 and job.status == ImportJob.Status.PREVIEWED
    preview = client.get(f"/import/job/{job.pk}/").content.decode()
    assert "第 5 行" in preview and "统一社会信用代码" in preview  # no title row here: header is row 1
    assert not Need.objects.exists()
    client.post(f"/import/job/{job.pk}/confirm/")
    assert Need.objects.count() == 3


@pytest.mark.parametrize("persona", ["enterprise", "finance"])
def test_only_office_writers_may_import_needs(world, persona):
    assert verified_client(world.personas()[persona]).get("/import/needs/").status_code == 403
