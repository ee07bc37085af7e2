"""The scarce-talent catalog: computed from open needs against the pool, adjusted, published, compared."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image

from rencai.core.roles import Role
from rencai.needs.catalog import Scope, draft
from rencai.needs.models import CatalogEdition, Kind
from rencai.needs.services import catalog_adjust, catalog_publish, need_transition
from tests.conftest import verified_client
from tests.factories import TalentFactory, UserFactory
from tests.needs.conftest import make_need
from tests.system import run_tool


@pytest.fixture
def open_needs(world):
    """Zone A: 5 doctors of 0805 wanted across two needs, 1 master of 0817, 1 closed, 1 still pending."""
    a = make_need(world.enterprise, world.admin, title="钕铁硼博士", headcount=3, discipline_code="0805",
                  level="博士", industry_code="32")
    b = make_need(world.enterprise, world.admin, title="永磁电机博士", headcount=2, discipline_code="0805",
                  level="博士", industry_code="32")
    c = make_need(world.enterprise, world.admin, title="煤化工硕士", headcount=1, discipline_code="0817",
                  level="硕士", industry_code="26")
    make_need(world.enterprise, world.enterprise_user, title="还在审核的需求", headcount=9, discipline_code="0817",
              level="硕士", industry_code="26")
    closed = make_need(world.enterprise, world.admin, title="已关闭的需求", headcount=9, discipline_code="0710",
                       level="不限")
    need_transition(need=closed, to="closed", by=world.admin, reason="企业已招到")
    make_need(world.enterprise_b, world.admin, title="乙区需求", headcount=4, discipline_code="0805", level="博士")
    return a, b, c


def _lines(world):
    return {x.key: x for x in draft(Scope.of(world.admin), 2026)}


def test_draft_counts_open_needs_against_the_pool_and_ranks_by_shortage(world, open_needs):
    # world already has two 0805 doctors in zone A (王建国, 赵志强) and one in zone B.
    lines = _lines(world)
    assert set(lines) == {"0805|32|博士", "0817|26|硕士"}
    doctors = lines["0805|32|博士"]
    assert (doctors.demand, doctors.supply, doctors.shortage, doctors.rank) == (5, 2, 3, 1)
    chem = lines["0817|26|硕士"]
    assert (chem.demand, chem.supply, chem.shortage, chem.rank) == (1, 0, 1, 2)
    assert sorted(doctors.need_ids) == sorted([open_needs[0].pk, open_needs[1].pk])


def test_a_doctor_in_the_pool_answers_a_masters_need(world, open_needs):
    TalentFactory(zone=world.zone_a, discipline_code="0817", degree="博士")
    assert _lines(world)["0817|26|硕士"].supply == 1


def test_solved_and_filled_needs_leave_the_catalog(world, open_needs):
    a, b, c = open_needs
    need_transition(need=c, to="matching", by=world.admin)
    need_transition(need=c, to="matched", by=world.admin)
    assert "0817|26|硕士" not in _lines(world)


def test_staff_adjust_a_line_and_notes_survive_recomputation(world, open_needs):
    scope = Scope.of(world.admin)
    catalog_adjust(scope=scope, year=2026, key="0817|26|硕士", demand=10, note="园区新上煤制烯烃项目", hidden=False,
                   by=world.admin)
    lines = _lines(world)
    assert (lines["0817|26|硕士"].demand, lines["0817|26|硕士"].rank) == (10, 1)
    assert lines["0817|26|硕士"].note == "园区新上煤制烯烃项目"
    catalog_adjust(scope=scope, year=2026, key="0805|32|博士", demand=None, note="", hidden=True, by=world.admin)
    assert _lines(world)["0805|32|博士"].rank == 0


def test_published_edition_is_frozen_and_versioned(world, open_needs):
    scope = Scope.of(world.admin)
    first = catalog_publish(scope=scope, year=2026, title="", notes="", by=world.admin)
    assert (first.version, first.title, first.lines.count()) == (1, "2026年紧缺人才目录", 2)
    more = make_need(world.enterprise, world.admin, title="又一个化工需求", headcount=6, discipline_code="0817",
                     level="硕士", industry_code="26")
    assert more.status == "published"
    assert first.lines.get(key="0817|26|硕士").demand == 1  # the edition does not move with the data
    second = catalog_publish(scope=scope, year=2026, title="", notes="", by=world.admin)
    assert second.version == 2 and second.lines.get(key="0817|26|硕士").rank == 1
    client = verified_client(world.reviewer)
    page = client.get(f"/needs/catalog/editions/compare/?old={first.pk}&new={second.pk}").content.decode()
    assert "上升" in page and "下降" in page
    assert client.get(f"/needs/catalog/editions/{first.pk}/").status_code == 200


def test_the_needs_behind_a_line_are_one_click_away(world, open_needs):
    client = verified_client(world.reviewer)
    page = client.get("/needs/catalog/").content.decode()
    assert "/needs/catalog/line/?key=0805%7C32%7C%E5%8D%9A%E5%A3%AB" in page
    behind = client.get("/needs/catalog/line/", {"key": "0805|32|博士", "year": 2026}).content.decode()
    assert "钕铁硼博士" in behind and "永磁电机博士" in behind and "煤化工硕士" not in behind
    edition = catalog_publish(scope=Scope.of(world.admin), year=2026, title="", notes="", by=world.admin)
    frozen = client.get("/needs/catalog/line/", {"key": "0805|32|博士", "edition": edition.pk}).content.decode()
    assert "钕铁硼博士" in frozen


def test_reviewer_adjusts_and_publishes_through_the_pages(world, open_needs):
    client = verified_client(world.reviewer)
    client.post("/needs/catalog/adjust/", {"key": "0805|32|博士", "demand": "", "note": "稀土产业链重点", "year": 2026})
    response = client.post("/needs/catalog/publish/", {"year": 2026, "title": "稀土高新区2026年紧缺人才目录",
                                                      "notes": ""})
    edition = CatalogEdition.objects.get()
    assert response.status_code == 302 and edition.zone == world.zone_a
    assert edition.lines.get(rank=1).note == "稀土产业链重点"
    assert verified_client(world.finance).post("/needs/catalog/publish/", {"year": 2026}).status_code == 403


def test_other_zones_editions_are_not_readable(world, open_needs):
    edition = catalog_publish(scope=Scope.of(world.admin), year=2026, title="", notes="", by=world.admin)
    zone_b_reviewer = UserFactory(username="reviewer_b", role=Role.REVIEWER, zone=world.zone_b, city=world.zone_b.city)
    assert verified_client(world.reviewer).get(f"/needs/catalog/editions/{edition.pk}/").status_code == 200
    assert verified_client(world.city_admin).get(f"/needs/catalog/editions/{edition.pk}/").status_code == 200
    assert verified_client(zone_b_reviewer).get(f"/needs/catalog/editions/{edition.pk}/").status_code == 404
    assert verified_client(zone_b_reviewer).get(f"/needs/catalog/editions/{edition.pk}/pdf/").status_code == 404
    assert verified_client(world.enterprise_user).get(f"/needs/catalog/editions/{edition.pk}/").status_code == 403


def test_edition_exports_to_xlsx(world, open_needs):
    edition = catalog_publish(scope=Scope.of(world.admin), year=2026, title="", notes="", by=world.admin)
    response = verified_client(world.reviewer).get(f"/needs/catalog/editions/{edition.pk}/xlsx/")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("排名", "一级学科", "所属行业", "学历层次")
    assert rows[1][:7] == (1, "材料科学与工程", "C32 有色金属冶炼和压延加工业", "博士", 5, 2, 3)


def _poppler(tool: str, *args: str) -> str:
    return run_tool(tool, *args)


def test_edition_pdf_is_typeset_in_chinese_with_embedded_fonts(world, open_needs, tmp_path: Path):
    edition = catalog_publish(scope=Scope.of(world.admin), year=2026, title="稀土高新区2026年紧缺人才目录",
                              notes="", by=world.admin)
    response = verified_client(world.reviewer).get(f"/needs/catalog/editions/{edition.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "catalog.pdf"
    pdf.write_bytes(response.content)
    text = _poppler("pdftotext", "-layout", str(pdf), "-")
    assert "稀土高新区2026年紧缺人才目录" in text and "材料科学与工程" in text and "第 1 页，共 1 页" in text
    fonts = _poppler("pdffonts", str(pdf))
    embedded_cjk = [line for line in fonts.splitlines()[2:]
                    if re.search(r"WenQuanYi|Noto[\w-]*CJK|SourceHan", line) and line.split()[-5] == "yes"]
    assert embedded_cjk, fonts  # a CJK font travels inside the file, so it prints the same anywhere
    _poppler("pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page"))
    page = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    title_band = page.crop((0, 0, page.width, page.height // 6))
    assert sum(title_band.histogram()[:128]) > 200  # the title is drawn, not left blank


def test_draft_changes_when_a_pending_need_is_published(world, open_needs):
    pending = [n for n in world.enterprise.needs.all() if n.status == "pending"][0]
    assert _lines(world)["0817|26|硕士"].demand == 1
    need_transition(need=pending, to="published", by=world.reviewer)
    assert _lines(world)["0817|26|硕士"].demand == 10


def test_kinds_that_ask_for_no_one_stay_out(world):
    make_need(world.enterprise, world.admin, title="专利转让", kind=Kind.TRANSFER, discipline_code="0805")
    assert _lines(world) == {}


def test_city_draft_compares_only_with_city_editions(world, open_needs):
    catalog_publish(scope=Scope.of(world.admin), year=2026, title="稀土高新区目录", notes="", by=world.admin)
    page = verified_client(world.city_admin).get("/needs/catalog/").content.decode()
    assert "稀土高新区目录" not in page and "包头市2026年紧缺人才目录" in page
    city = catalog_publish(scope=Scope.of(world.city_admin), year=2026, title="", notes="", by=world.city_admin)
    assert (city.zone, city.city, city.version) == (None, world.zone_a.city, 1)
    assert f"与 {city} 相比" in verified_client(world.city_admin).get("/needs/catalog/").content.decode()
