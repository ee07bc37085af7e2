"""Official letters in the GB/T 9704 layout: the office's own sender line and 文号, a CJK serif, never 示例."""

from __future__ import annotations

import io
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest

from rencai.core.office import office_of
from rencai.core.officialdoc import DOCX_BODY_FONT, DOCX_TITLE_FONT, docx_bytes, letter_for, pdf_bytes
from tests.system import run_tool

pytestmark = pytest.mark.django_db


def _serif_installed() -> bool:
    if not shutil.which("fc-list"):
        return False
    out = run_tool("fc-list", ":lang=zh", "family")
    return any(name in out for name in ("Noto Serif CJK", "仿宋", "小标宋", "Source Han Serif", "UMing"))


def _letter(world, **kw):  # type: ignore[no-untyped-def]
    profile = office_of(world.zone_a.city)
    profile.name, profile.region = "市委人才工作领导小组办公室", "内蒙古自治区包头市"
    profile.save()
    return letter_for(city=world.zone_a.city, kind="test.notice", prefix="包人才办函",
                      title="关于开展人才认定工作的通知",
                      institution="各旗县区委组织部", dated=date(2026, 12, 7), cc="市委组织部",
                      paragraphs=["为做好年度人才认定工作，现将有关事项通知如下。", "请于规定时间内报送材料。" * 8])


def _pdf(tmp_path: Path, data: bytes) -> tuple[str, str]:
    path = tmp_path / "letter.pdf"
    path.write_bytes(data)
    text = run_tool("pdftotext", "-layout", str(path), "-")
    fonts = run_tool("pdffonts", str(path))
    return text.replace(" ", ""), fonts


def test_letter_carries_sender_line_with_region_and_a_real_number(world, tmp_path):
    letter = _letter(world)
    assert letter.office == "内蒙古自治区包头市市委人才工作领导小组办公室"
    text, _ = _pdf(tmp_path, pdf_bytes(letter))
    assert letter.office in text
    assert "包人才办函〔2026〕1号" in text
    assert "示例" not in text
    assert "2026年12月7日" in text and "2026年12月7日印发" in text
    assert "—1—" in text  # the page number as 公文 print it


def test_two_letters_get_consecutive_numbers_and_the_series_restarts_each_year(world):
    first, second = _letter(world), _letter(world)
    assert (first.number, second.number) == ("包人才办函〔2026〕1号", "包人才办函〔2026〕2号")
    next_year = letter_for(city=world.zone_a.city, kind="test.notice", title="t", institution="", paragraphs=[],
                           dated=date(2027, 1, 4))
    assert next_year.number.endswith("〔2027〕1号")


@pytest.mark.skipif(not _serif_installed(), reason="no CJK serif font installed (apt-get install fonts-noto-cjk)")
def test_pdf_is_set_in_a_cjk_serif_not_a_sans(world, tmp_path):
    _, fonts = _pdf(tmp_path, pdf_bytes(_letter(world)))
    rows = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert rows, fonts
    assert any(("Serif" in r and "CJK" in r) or "FangSong" in r or "XiaoBiaoSong" in r for r in rows), fonts
    assert not any("Sans" in r or "MicroHei" in r for r in rows), fonts


def test_docx_names_the_official_serif_fonts_and_the_gbt9704_margins(world):
    data = docx_bytes(_letter(world))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        document = archive.read("word/document.xml").decode()
        styles = archive.read("word/styles.xml").decode()
        footers = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("word/footer"))
    assert f'w:eastAsia="{DOCX_BODY_FONT}"' in styles + document
    assert f'w:eastAsia="{DOCX_TITLE_FONT}"' in document
    assert "Sans" not in styles + document and "Hei" not in document
    assert 'w:top="2098"' in document and 'w:left="1587"' in document  # 37 mm and 28 mm in twips
    assert "PAGE" in footers and "—" in footers
    from docx import Document

    paragraphs = [p.text for p in Document(io.BytesIO(data)).paragraphs]
    assert "内蒙古自治区包头市市委人才工作领导小组办公室" in paragraphs and "包人才办函〔2026〕1号" in paragraphs
    assert not any("示例" in p for p in paragraphs)
