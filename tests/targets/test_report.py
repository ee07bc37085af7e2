"""The monthly report in the official-letter layout: sender line, 文号, title, 主送, body with every area's live
figures, 落款 and date — read back from the .docx (python-docx) and the PDF (pdftotext)."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import timezone

from rencai.core.models import AuditEvent
from rencai.core.office import office_of
from rencai.core.officialdoc import cn_date
from rencai.core.roles import Role
from rencai.targets import services
from rencai.targets.models import MonthlyReport
from tests.conftest import verified_client
from tests.factories import TalentFactory, UserFactory
from tests.system import run_tool
from tests.targets.helpers import D, arrivals

pytestmark = pytest.mark.django_db
NUMBER = re.compile(r"\S+〔\d{4}〕\d+号")


def docx_lines(content: bytes) -> list[str]:
    from docx import Document

    return [p.text for p in Document(io.BytesIO(content)).paragraphs]


def pdf_text(content: bytes, tmp_path) -> str:  # noqa: ANN001
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    # CJK text comes back with line breaks and layout spaces
    return re.sub(r"\s+", "", run_tool("pdftotext", "-layout", str(path), "-"))


@pytest.fixture
def report_world(world, areas):
    city = world.zone_a.city
    office = office_of(city)
    office.name, office.region = "包头市委人才工作领导小组办公室", "包头市"
    office.save()
    ind = arrivals()
    services.target_set(indicator=ind, year=areas, city=city, value=10, by=world.city_admin)
    t = TalentFactory(zone=world.zone_a, name="欧阳明月", degree="博士")
    services.stay_record(talent=t, zone=world.zone_a, arrived_on=timezone.localdate().replace(day=1), by=None)
    return areas


def test_the_docx_is_an_official_letter_with_every_areas_figures(world, report_world):
    year, today = report_world, timezone.localdate()
    response = verified_client(world.city_admin).get("/targets/report.docx")
    assert response.status_code == 200
    lines = docx_lines(response.content)
    text = "\n".join(lines)
    # the official layout's parts, in order: sender line, 文号, title, 主送, body …, 落款, date, 印发 line
    assert lines[0] == "包头市委人才工作领导小组办公室"
    number = next(line for line in lines if NUMBER.fullmatch(line))
    title = f"{year}年{today.month}月人才工作月度报告"
    assert lines.index(number) < lines.index(title) < lines.index("包头市委人才工作领导小组：")
    assert lines.index(cn_date(today)) > lines.index("八、招才引智")
    assert f"{cn_date(today)}印发" in text
    # targets and progress
    assert "引进博士：目标10人，完成1人，完成率10%" in text
    # the newer areas: the year's figures counted by their sources …
    assert "六、揭榜挂帅" in lines and "七、一站式服务" in lines and "八、招才引智" in lines
    assert "发布榜单 1" in text
    assert "服务申请 2，办结 1，按期办结 1，按期办结率 100%，发放人才码 1，人才公寓在住 1，走访专家 1" in text
    assert "登记意向 2，签约 1，到岗 1" in text
    # … and their own headline figures, read through each area's selectors
    assert "累计服务申请 2，累计办结 1，按期办结率 100%" in text
    assert f"{year}年登记意向 2，其中签约 1" in text
    assert "累计立项项目 0" in text
    assert response["Content-Disposition"].endswith(".docx") or "docx" in response["Content-Disposition"]


def test_the_pdf_carries_the_same_number_and_figures(world, report_world, tmp_path):
    client = verified_client(world.city_admin)
    number = next(line for line in docx_lines(client.get("/targets/report.docx").content) if NUMBER.fullmatch(line))
    response = client.get("/targets/report.pdf")
    assert response.content[:4] == b"%PDF"
    text = pdf_text(response.content, tmp_path)
    today = timezone.localdate()
    for part in ("包头市委人才工作领导小组办公室", number, f"{report_world}年{today.month}月人才工作月度报告",
                 "包头市委人才工作领导小组：", "六、揭榜挂帅", "七、一站式服务", "八、招才引智", "服务申请2",
                 "登记意向2", "到岗1", cn_date(today)):
        assert part in text, part
    # one number for the month, however often and in whichever format it is written
    assert MonthlyReport.objects.filter(city=world.zone_a.city, zone=None).count() == 1
    exports = AuditEvent.objects.filter(action="export", object_type="targets.report")
    assert exports.count() == 2 and all(number in e.object_repr for e in exports)


def test_a_zone_report_is_numbered_apart_and_counts_only_its_zone(world, report_world):
    staff_b = UserFactory(username="admin_b", role=Role.OFFICE_ADMIN, zone=world.zone_b, city=world.zone_b.city)
    city_lines = docx_lines(verified_client(world.city_admin).get("/targets/report.docx").content)
    lines = docx_lines(verified_client(staff_b).get("/targets/report.docx").content)
    text = "\n".join(lines)
    today = timezone.localdate()
    assert f"{world.zone_b.name}{report_world}年{today.month}月人才工作月度报告" in lines
    city_number = next(line for line in city_lines if NUMBER.fullmatch(line))
    zone_number = next(line for line in lines if NUMBER.fullmatch(line))
    assert city_number != zone_number
    assert "服务申请 0" in text and "登记意向 0" in text and "欧阳明月" not in text


def test_a_past_month_is_reported_as_of_its_last_day(world, report_world):
    city = world.zone_a.city
    ind = arrivals(code="phd_2025")
    services.target_set(indicator=ind, year=2025, city=city, value=12, by=world.city_admin)
    for month in (2, 5, 9):
        t = TalentFactory(zone=world.zone_a, name=f"往年博士{month}", degree="博士")
        services.stay_record(talent=t, zone=world.zone_a, arrived_on=D(2025, month, 3), by=None)
    text = "\n".join(docx_lines(verified_client(world.city_admin).get("/targets/report.docx?year=2025&month=6")
                                .content))
    assert "2025年6月人才工作月度报告" in text and "数据截至2025年6月30日" in text
    assert "2025年1—6月" in text
    assert "目标12人，完成2人" in text  # February and May; September is after the month reported
    assert MonthlyReport.objects.filter(city=city, year=2025, month=6).exists()
