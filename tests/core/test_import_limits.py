"""Spreadsheet bombs (issue 12 item 3): a file that is small on disk but huge once opened is refused before it is
parsed, with a plain Chinese reason, in the web UI and on the command line alike."""

from __future__ import annotations

import io
import resource
import subprocess
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from rencai.core.models import ImportJob
from rencai.core.spreadsheet import Limits, SpreadsheetError, read_table
from tests.conftest import verified_client
from tests.core.test_import_cli import RENCAI, clerk_home, migrated  # noqa: F401

COLUMNS = ["姓名", "性别", "职称"]
MIB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"
SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def _inline(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def crafted_xlsx(path: Path, body: Callable[[IO[bytes]], None], *, dimension: str | None = None) -> Path:
    """A real workbook from openpyxl whose first sheet is replaced by XML written by body(), streamed into the
    zip as an attacker's tool would, compressed as hard as deflate can."""
    book = Workbook()
    book.active.append(COLUMNS)
    template = io.BytesIO()
    book.save(template)
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED,
                                                              compresslevel=9) as target:
        for info in source.infolist():
            if info.filename != SHEET:
                target.writestr(info, source.read(info))
                continue
            with target.open(SHEET, "w", force_zip64=True) as sheet:
                sheet.write(SHEET_HEAD)
                if dimension:
                    sheet.write(f'<dimension ref="{dimension}"/>'.encode())
                sheet.write(b"<sheetData><row r=\"1\">")
                sheet.write(b"".join(_inline(f"{col}1", name) for col, name in zip("ABC", COLUMNS, strict=True)))
                sheet.write(b"</row>")
                body(sheet)
                sheet.write(b"</sheetData></worksheet>")
    return path


def huge_cell(size: int) -> Callable[[IO[bytes]], None]:
    def body(sheet: IO[bytes]) -> None:
        sheet.write(b'<row r="2"><c r="A2" t="inlineStr"><is><t>')
        chunk = b"A" * MIB
        for _ in range(size // MIB):
            sheet.write(chunk)
        sheet.write(b"</t></is></c></row>")

    return body


def many_rows(count: int) -> Callable[[IO[bytes]], None]:
    def body(sheet: IO[bytes]) -> None:
        batch: list[bytes] = []
        for n in range(2, count + 2):
            batch.append(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (n, n))
            if len(batch) == 10_000:
                sheet.write(b"".join(batch))
                batch.clear()
        sheet.write(b"".join(batch))

    return body


def read_all(path: Path, limits: Limits | None = None) -> list[object]:
    table = read_table(path, known_columns=COLUMNS, required=["姓名"], limits=limits or Limits())
    return list(table.rows)


@pytest.fixture
def cell_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A few hundred KB on disk that expands to a 300 MiB cell (the attack used 2 GiB)."""
    return crafted_xlsx(tmp_path_factory.mktemp("bomb") / "人才.xlsx", huge_cell(300 * MIB))


def test_an_xlsx_that_expands_to_a_huge_cell_is_refused_before_it_is_parsed(cell_bomb: Path) -> None:
    assert cell_bomb.stat().st_size < 2 * MIB
    tracemalloc.start()
    try:
        with pytest.raises(SpreadsheetError) as refused:
            read_all(cell_bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "解压后" in str(refused.value) and "超过上限 200 MB" in str(refused.value)
    assert peak < 20 * MIB  # the sheet was never read into memory


def test_a_sheet_of_a_million_rows_is_refused_from_its_size_before_any_row_is_checked(tmp_path: Path) -> None:
    path = crafted_xlsx(tmp_path / "百万行.xlsx", many_rows(1_048_575), dimension="A1:C1048576")
    with pytest.raises(SpreadsheetError) as refused:
        read_all(path)
    assert "1048576 行" in str(refused.value) and "超过上限 200000 行" in str(refused.value)


def test_rows_beyond_the_limit_are_refused_even_when_the_file_hides_its_size(tmp_path: Path) -> None:
    path = crafted_xlsx(tmp_path / "无尺寸.xlsx", many_rows(5_000))  # no <dimension>: rows counted as read
    with pytest.raises(SpreadsheetError) as refused:
        read_all(path, Limits(max_rows=1_000))
    assert "超过上限 1000 行" in str(refused.value)


def test_a_csv_with_too_many_rows_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    path.write_text("姓名,性别\n" + "张三,男\n" * 1_001, encoding="utf-8")
    with pytest.raises(SpreadsheetError) as refused:
        read_all(path, Limits(max_rows=1_000))
    assert "超过上限 1000 行" in str(refused.value)


@pytest.mark.parametrize("length", [40_000, 200_000])  # below and above the csv module's own field limit
def test_a_cell_longer_than_excel_allows_is_refused_naming_its_row_and_column(tmp_path: Path, length: int) -> None:
    path = tmp_path / "long.csv"
    path.write_text(f"姓名,性别\n张三,男\n{'李' * length},女\n", encoding="utf-8")
    with pytest.raises(SpreadsheetError) as refused:
        read_all(path)
    assert f"第3行“姓名”列有 {length} 个字符，超过上限 32767" in str(refused.value)


def test_a_file_larger_than_the_upload_limit_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("姓名,性别\n" + "张三,男\n" * 200, encoding="utf-8")
    with pytest.raises(SpreadsheetError) as refused:
        read_all(path, Limits(max_bytes=1_000))
    assert "超过导入上限" in str(refused.value)


def test_the_web_upload_refuses_a_file_over_the_limit_in_chinese(world, settings) -> None:
    settings.RENCAI_IMPORT_MAX_BYTES = 1_000
    client = verified_client(world.admin)
    upload = SimpleUploadedFile("人才.csv", ("姓名,性别\n" + "张三,男\n" * 200).encode())
    response = client.post(reverse("core:import_start", args=["talents"]), {"file": upload, "zone": world.zone_a.pk})
    assert response.status_code == 200
    assert "超过导入上限 1000 B" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_web_import_of_a_bomb_fails_with_a_chinese_reason(world, cell_bomb: Path) -> None:
    client = verified_client(world.admin)
    upload = SimpleUploadedFile("人才.xlsx", cell_bomb.read_bytes())
    client.post(reverse("core:import_start", args=["talents"]), {"file": upload, "zone": world.zone_a.pk})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and "解压后" in job.error
    assert "解压后" in client.get(reverse("core:import_job", args=[job.pk])).content.decode()


def test_the_command_refuses_a_bomb_with_status_1(world, cell_bomb: Path) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("import", "talents", str(cell_bomb), "--zone", "xitu")
    assert refused.value.returncode == 1 and "解压后" in str(refused.value)


def _limit_memory() -> None:  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_AS, (1024 * MIB, 1024 * MIB))


@pytest.mark.slow
def test_the_installed_program_out_of_memory_says_so_in_chinese_not_a_bare_memory_error(
    migrated: Path, tmp_path: Path, cell_bomb: Path  # noqa: F811
) -> None:
    # Limits raised too far. With openpyxl: python-calamine's Rust code aborts the process when an allocation
    # fails (no MemoryError to catch), which is why the limits are checked before either reader starts.
    env = clerk_home(migrated, tmp_path) | {"RENCAI_IMPORT_MAX_UNCOMPRESSED": str(4096 * MIB),
                                            "RENCAI_IMPORT_MAX_CELL": str(4096 * MIB), "RENCAI_XLSX_READER": "openpyxl"}
    done = subprocess.run([str(RENCAI), "import", "talents", str(cell_bomb)], env=env,  # noqa: S603
                          capture_output=True, text=True, timeout=300, check=False, preexec_fn=_limit_memory)
    assert done.returncode == 1, done.stderr
    assert "内存不足" in done.stderr and "Traceback" not in done.stderr and "MemoryError" not in done.stderr

