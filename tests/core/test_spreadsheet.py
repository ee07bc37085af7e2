"""Spreadsheets as they really arrive (FORMATS.md), written to real files in tmp_path."""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from rencai.core import spreadsheet
from rencai.core.spreadsheet import (
    PartialDate,
    SpreadsheetError,
    parse_date,
    parse_decimal,
    parse_int,
    read_table,
    write_xlsx,
)
from rencai.core.textnorm import fold_width, name_key
from rencai.core.validators import credit_code_problem, id_number_problem, is_valid_id_number

TALENT_COLUMNS = ["姓名", "性别", "出生日期", "身份证号", "手机号", "研究方向", "备注"]
NEED_COLUMNS = [
    "企业名称",
    "统一社会信用代码",
    "需求名称",
    "需求描述",
    "需求人数",
    "拟投入经费(万元)",
    "联系人 / 联系电话",
]
NUMERIC_ID = "身份证号被表格存成了数字，后几位已经丢失，请把该列设为文本格式后重新填写"


def write_book(path: Path, *sheets: list[list[object]], titles: tuple[str, ...] = ()) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for index, rows in enumerate(sheets):
        sheet = book.create_sheet(titles[index] if index < len(titles) else f"Sheet{index + 1}")
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def write_csv(path: Path, rows: list[list[str]], encoding: str, delimiter: str = ",") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def read_talents(source: object, **kwargs: object) -> tuple[object, list]:
    table = read_table(source, known_columns=TALENT_COLUMNS, required=["姓名"], **kwargs)
    return table, list(table.rows)


# --- the header ------------------------------------------------------------------------------------


def test_merged_title_row_and_notes_above_the_header_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "人才.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["XX高新区2024年引进人才信息表"])
    sheet.merge_cells("A1:E1")
    sheet.append(["填表说明：带*号为必填项，日期写成 1988-05-12"])
    sheet.append([])
    sheet.append(["*姓名", "性别", "出生日期", "身份证号（必填）", "手机号"])
    sheet.append(["张伟", "男", "1988-05-12", "150203198805121248", "13812345678"])
    book.save(path)

    table, rows = read_talents(path)

    assert table.header_row == 4
    assert table.columns == ["姓名", "性别", "出生日期", "身份证号", "手机号"]
    assert [row.number for row in rows] == [5]
    assert rows[0].values["姓名"] == "张伟"


def test_serial_number_column_is_ignored(tmp_path: Path) -> None:
    path = write_book(tmp_path / "a.xlsx", [["序号", "姓名", "性别"], [1, "张伟", "男"], [2, "李娜", "女"]])

    table, rows = read_talents(path)

    assert "序号" not in table.columns and "序号" not in table.unknown_columns
    assert all("序号" not in row.values and "序号" not in row.extra for row in rows)


def test_header_found_despite_full_width_brackets_spaces_and_combined_columns(tmp_path: Path) -> None:
    header = [
        "序 号",
        "企业名称",
        "统一社会\n信用代码",
        "需求名称",
        "需求描述",
        "拟投入经费（万元）",
        "联系人/联系电话",
    ]
    path = write_book(
        tmp_path / "需求.xlsx", [header, [1, "包钢", "91350100M000100Y43", "稀土", "攻关", 50, "王工"]]
    )

    table = read_table(path, known_columns=NEED_COLUMNS, required=["企业名称", "需求名称", "需求描述"])
    rows = list(table.rows)

    assert table.columns == [
        "企业名称",
        "统一社会信用代码",
        "需求名称",
        "需求描述",
        "拟投入经费(万元)",
        "联系人 / 联系电话",
    ]
    assert rows[0].values["拟投入经费(万元)"] == 50
    assert rows[0].values["联系人 / 联系电话"] == "王工"


def test_missing_required_column_is_reported(tmp_path: Path) -> None:
    path = write_book(tmp_path / "需求.xlsx", [["企业名称", "需求名称", "需求人数"], ["包钢", "稀土", 2]])

    table = read_table(path, known_columns=NEED_COLUMNS, required=["企业名称", "需求名称", "需求描述"])

    assert table.missing_required == ["需求描述"]
    table.close()


def test_header_not_found_gives_a_chinese_error(tmp_path: Path) -> None:
    path = write_book(tmp_path / "乱.xlsx", [["随便写的"], ["a", "b", "c"], [1, 2, 3]])

    with pytest.raises(SpreadsheetError, match="没有找到表头.*姓名"):
        read_talents(path)


def test_empty_file_gives_a_chinese_error(tmp_path: Path) -> None:
    path = tmp_path / "空.csv"
    path.write_bytes(b"")

    with pytest.raises(SpreadsheetError, match="文件是空的"):
        read_talents(path)


def test_data_on_the_second_sheet_after_instructions(tmp_path: Path) -> None:
    path = write_book(
        tmp_path / "a.xlsx",
        [["填表说明"], ["1. 姓名必填"]],
        [["姓名", "性别"], ["张伟", "男"]],
        titles=("填表说明", "人才信息"),
    )

    _, rows = read_talents(path)

    assert [(row.number, row.values["姓名"]) for row in rows] == [(2, "张伟")]


# --- rows ------------------------------------------------------------------------------------------


def test_blank_rows_are_skipped_and_row_numbers_are_the_ones_excel_shows(tmp_path: Path) -> None:
    path = write_book(
        tmp_path / "a.xlsx",
        [
            ["人才信息表"],
            ["序号", "姓名", "性别"],
            [1, "张伟", "男"],
            [None, None, None],
            [2, "  ", "\u3000"],  # a pre-numbered template row left empty
            [],
            [3, "李娜", "女"],
        ],
    )

    _, rows = read_talents(path)

    assert [(row.number, row.values["姓名"]) for row in rows] == [(3, "张伟"), (7, "李娜")]


def test_unknown_columns_are_kept_in_extra(tmp_path: Path) -> None:
    rows_in = [["姓名", "特长", "性别", "爱好"], ["张伟", "篮球", "男", None], ["李娜", None, "女", "读书"]]
    path = write_book(tmp_path / "a.xlsx", rows_in)

    table, rows = read_talents(path)

    assert table.unknown_columns == ["特长", "爱好"]
    assert rows[0].extra == {"特长": "篮球"}
    assert rows[1].extra == {"爱好": "读书"}


def test_data_in_a_column_without_a_header_is_kept_under_its_letter(tmp_path: Path) -> None:
    path = write_book(tmp_path / "a.xlsx", [["姓名", "性别"], ["张伟", "男", "见附件"]])

    _, rows = read_talents(path)

    assert rows[0].extra == {"C列": "见附件"}


def test_cells_are_trimmed_and_known_columns_always_present(tmp_path: Path) -> None:
    path = write_book(
        tmp_path / "a.xlsx", [["姓名", "性别", "研究方向"], ["\u3000张伟 ", None, "稀土  永磁"]]
    )

    _, rows = read_talents(path)

    assert rows[0].values == {"姓名": "张伟", "性别": None, "研究方向": "稀土 永磁"}


def test_a_wrong_size_written_by_another_program_does_not_cut_rows(tmp_path: Path) -> None:
    path = write_book(tmp_path / "a.xlsx", [["姓名", "性别"], *[[f"人{i}", "男"] for i in range(50)]])
    patched = tmp_path / "b.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', data)
            dst.writestr(item, data)

    _, rows = read_talents(patched)

    assert len(rows) == 50


def test_rows_are_streamed_not_loaded(tmp_path: Path) -> None:
    path = write_book(tmp_path / "a.xlsx", [["姓名", "性别"], *[[f"人{i}", "男"] for i in range(100)]])

    with read_table(path, known_columns=TALENT_COLUMNS) as table:
        assert iter(table.rows) is table.rows  # an iterator, read lazily
        assert table.source_rows == 101
        assert next(table.rows).number == 2


def test_traditional_name_in_a_sheet_matches_its_simplified_duplicate(tmp_path: Path) -> None:
    path = write_book(tmp_path / "a.xlsx", [["姓名"], ["張偉"], ["张 伟"]])

    table = read_table(path, known_columns=["姓名"], required=["姓名"])
    first, second = (row.values["姓名"] for row in table.rows)

    assert first == "張偉"  # the name is kept as written
    assert name_key(first) == name_key(second)


# --- ID numbers and codes as the file delivers them ------------------------------------------------


def test_id_number_in_a_numeric_cell_is_refused(tmp_path: Path) -> None:
    path = write_book(
        tmp_path / "a.xlsx", [["姓名", "身份证号"], ["张伟", 150203198805121248], ["李娜", 1.50203e17]]
    )

    _, rows = read_talents(path)

    for row in rows:
        raw = row.values["身份证号"]
        assert isinstance(raw, int | float)  # the reader keeps the type so this can be seen
        assert id_number_problem(raw) == NUMERIC_ID


def test_id_number_shown_in_scientific_notation_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [["姓名", "身份证号"], ["张伟", "1.50203E+17"]], "utf-8-sig")

    _, rows = read_talents(path)

    assert id_number_problem(rows[0].values["身份证号"]) == NUMERIC_ID


def test_full_width_digits_and_letters_in_codes_and_dates(tmp_path: Path) -> None:
    rows_in = [
        ["姓名", "出生日期", "身份证号"],
        ["张伟", "１９８８年５月１２日", "１５０２０３１９８８０５１２１２４８"],
    ]
    path = write_book(tmp_path / "a.xlsx", rows_in)

    _, rows = read_talents(path)

    assert parse_date(rows[0].values["出生日期"]) == PartialDate(1988, 5, 12)
    assert is_valid_id_number(rows[0].values["身份证号"])
    assert credit_code_problem("９１３５０１００ｍ０００１００ｙ４３") is None
    assert parse_int("２") == 2
    assert fold_width("ＡＢＣ") == "ABC"


# --- csv -------------------------------------------------------------------------------------------

CSV_ROWS = [
    ["人才信息表", "", ""],
    ["序号", "姓名", "研究方向"],
    ["1", "張偉", "稀土；氢能"],
    ["", "", ""],
    ["2", "李娜", ""],
]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("gbk", ","), ("gb18030", ","), ("utf-8-sig", ","), ("utf-8", ","), ("utf-8", "\t"), ("utf-16", "\t")],
    ids=["GBK", "GB18030", "UTF-8-BOM", "UTF-8", "UTF-8-tab", "Excel-Unicode-text"],
)
def test_csv_in_the_encodings_excel_writes(tmp_path: Path, encoding: str, delimiter: str) -> None:
    path = write_csv(tmp_path / "a.csv", CSV_ROWS, encoding, delimiter)

    table, rows = read_talents(path)

    assert table.header_row == 2
    assert [(row.number, row.values["姓名"]) for row in rows] == [(3, "張偉"), (5, "李娜")]
    assert rows[0].values["研究方向"] == "稀土；氢能"
    assert rows[1].values["研究方向"] is None


def test_upload_object_with_a_filename(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "x", CSV_ROWS, "gbk").read_bytes()
    upload = io.BytesIO(data)

    _, rows = read_talents(upload, filename="人才.CSV")

    assert [row.values["姓名"] for row in rows] == ["張偉", "李娜"]
    assert not upload.closed  # the caller's upload is theirs to close


def test_xlsx_upload_object_without_a_name_is_recognised(tmp_path: Path) -> None:
    path = write_book(tmp_path / "a.xlsx", [["姓名", "性别"], ["张伟", "男"]])

    _, rows = read_talents(io.BytesIO(path.read_bytes()))

    assert rows[0].values["姓名"] == "张伟"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("人才.xls", "另存为 .xlsx 后再导入"),
        ("人才.pdf", "请上传 .xlsx 或 .csv"),
        ("人才.xlsx", "无法读取这个 .xlsx"),
    ],
)
def test_wrong_or_broken_files_give_chinese_errors(name: str, message: str) -> None:
    with pytest.raises(SpreadsheetError, match=message):
        read_talents(io.BytesIO(b"\xd0\xcf\x11\xe0 not really a workbook"), filename=name)


def test_missing_file_gives_a_chinese_error(tmp_path: Path) -> None:
    with pytest.raises(SpreadsheetError, match="找不到文件"):
        read_talents(tmp_path / "没有.xlsx")


# --- dates and numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1988-05-12", PartialDate(1988, 5, 12)),
        ("1988/5/12", PartialDate(1988, 5, 12)),
        ("1988.5.12", PartialDate(1988, 5, 12)),
        ("1988.5", PartialDate(1988, 5)),
        ("1988-5", PartialDate(1988, 5)),
        ("1988年5月", PartialDate(1988, 5)),
        ("1988年5月12日", PartialDate(1988, 5, 12)),
        ("19880512", PartialDate(1988, 5, 12)),
        ("１９８８．５．１２", PartialDate(1988, 5, 12)),
        ("1988-05-12 00:00:00", PartialDate(1988, 5, 12)),
        (datetime.datetime(1988, 5, 12), PartialDate(1988, 5, 12)),
        (datetime.date(1988, 5, 12), PartialDate(1988, 5, 12)),
        (32275, PartialDate(1988, 5, 12)),  # an Excel serial number
        (32275.0, PartialDate(1988, 5, 12)),
        (1988.05, PartialDate(1988, 5)),
        (1988.12, PartialDate(1988, 12)),
        (19880512, PartialDate(1988, 5, 12)),
        (None, None),
        ("  ", None),
    ],
)
def test_every_date_form(value: object, expected: PartialDate | None) -> None:
    assert parse_date(value) == expected


def test_dates_from_real_cells(tmp_path: Path) -> None:
    rows_in = [
        ["姓名", "出生日期"],
        ["张伟", datetime.date(1988, 5, 12)],
        ["李娜", "1990年3月"],
        ["王五", 1988.5],
    ]
    path = write_book(tmp_path / "a.xlsx", rows_in)

    _, rows = read_talents(path)

    assert [str(parse_date(row.values["出生日期"])) for row in rows] == ["1988-05-12", "1990-03", "1988-05"]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (1988.1, "月份不明确：1988.1 可能是1988年10月，请写成 1988年10月 或 1988-10"),
        ("1988-02-30", "日期不存在：1988-02-30"),
        ("1988-13", "月份不对：1988-13"),
        ("1988", "只有年份"),
        ("5/12/1988", "看不懂的日期：5/12/1988"),
        ("1850-01-01", "年份不合理：1850-01-01"),
        (12, "看不懂的日期：12"),
    ],
)
def test_bad_dates_are_explained(value: object, reason: str) -> None:
    with pytest.raises(ValueError, match=re.escape(reason)):
        parse_date(value)


def test_partial_date() -> None:
    month = PartialDate(1988, 5)
    assert month.as_date() == datetime.date(1988, 5, 1)
    assert str(month) == "1988-05"
    assert str(PartialDate(1988, 5, 12)) == "1988-05-12"
    with pytest.raises(ValueError):
        PartialDate(1988, 2, 30)


@pytest.mark.parametrize(
    ("value", "expected"), [(3, 3), (3.0, 3), ("３", 3), (" 1,200 ", 1200), ("2.0", 2), (None, None)]
)
def test_parse_int(value: object, expected: int | None) -> None:
    assert parse_int(value) == expected


@pytest.mark.parametrize("value", ["3人", 2.5, "两", True, float("nan")])
def test_parse_int_refuses(value: object) -> None:
    with pytest.raises(ValueError, match="不是整数"):
        parse_int(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (50, Decimal(50)),
        (0.1, Decimal("0.1")),
        ("１２.５", Decimal("12.5")),
        ("1,200.5", Decimal("1200.5")),
        ("50万元", Decimal(50)),
        ("￥300元", Decimal(300)),
        (None, None),
    ],
)
def test_parse_decimal(value: object, expected: Decimal | None) -> None:
    assert parse_decimal(value) == expected


def test_parse_decimal_in_a_wan_yuan_column_honours_the_unit() -> None:
    assert parse_decimal("5000元", unit="万元") == Decimal("0.5")
    assert parse_decimal("50万", unit="万元") == Decimal(50)


@pytest.mark.parametrize("value", ["约50", "50-100", "NaN", "1e5"])
def test_parse_decimal_refuses(value: str) -> None:
    with pytest.raises(ValueError, match="不是数字"):
        parse_decimal(value)


# --- writing ---------------------------------------------------------------------------------------


def test_write_xlsx_for_people(tmp_path: Path) -> None:
    path = tmp_path / "结果.xlsx"
    plan = ((f"需求{i}", "包头稀土研究院", 0.87, PartialDate(1988, 5)) for i in range(1000))
    write_xlsx(
        path,
        [("匹配方案", ["需求名称", "人才工作单位", "得分", "日期"], plan), ("候选/名单", ["a"], [["=1+1"]])],
    )

    book = openpyxl.load_workbook(path)
    sheet = book["匹配方案"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b
    assert sheet.max_row == 1001
    assert sheet["D2"].value == "1988-05"
    # CJK characters count double: 包头稀土研究院 is 7 characters, 14 wide.
    assert sheet.column_dimensions["B"].width >= 14 > sheet.column_dimensions["C"].width
    other = book["候选_名单"]
    assert other["A2"].value == "=1+1" and other["A2"].data_type == "s"  # text, never a live formula


def test_written_file_reads_back(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    write_xlsx(buffer, [("人才", ["姓名", "身份证号"], [["张伟", "150203198805121248"]])])

    _, rows = read_talents(io.BytesIO(buffer.getvalue()), filename="人才.xlsx")

    assert rows[0].values == {"姓名": "张伟", "身份证号": "150203198805121248"}
    assert id_number_problem(rows[0].values["身份证号"]) is None


# --- encodings we cannot read (issue 12 item 11) -----------------------------------------------------------


def _encoded_csv(path: Path, encoding: str) -> Path:
    text = "\r\n".join(",".join(row) for row in CSV_ROWS) + "\r\n"
    path.write_bytes(text.encode(encoding, errors="replace"))
    return path


@pytest.mark.parametrize("encoding", ["big5", "shift_jis", "utf-16-le", "utf-16-be"],
                         ids=["Big5", "Shift-JIS", "UTF-16LE-no-BOM", "UTF-16BE-no-BOM"])
def test_a_csv_in_an_encoding_we_cannot_tell_is_refused_as_such_not_as_a_missing_header(
    tmp_path: Path, encoding: str
) -> None:
    path = _encoded_csv(tmp_path / "人才.csv", encoding)
    with pytest.raises(SpreadsheetError) as refused:
        read_talents(path)
    assert str(refused.value).startswith("无法识别文件编码")
    assert "UTF-8" in str(refused.value)


@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_a_utf16_csv_with_a_bom_is_simply_read(tmp_path: Path, delimiter: str) -> None:
    path = write_csv(tmp_path / "a.csv", CSV_ROWS, "utf-16", delimiter)
    _, rows = read_talents(path)
    assert [row.values["姓名"] for row in rows] == ["張偉", "李娜"]


def test_a_gbk_csv_with_other_headers_still_says_the_header_is_missing(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [["单位", "地址"], ["包头市人才办", "钢铁大街"]], "gbk")
    with pytest.raises(SpreadsheetError, match="没有找到表头"):
        read_talents(path)


# --- both .xlsx readers (issue 18 item 3) ------------------------------------------------------------------


def _awkward_book(path: Path) -> Path:
    """What the readers must agree on: notes sheet first but data sheet active, a title row, an empty first
    column, blank rows, dates, whole and decimal numbers, a numeric ID number, a formula's cached value."""
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "填表说明"
    notes.append(["请按模板填写"])
    data = book.create_sheet("人才")
    data.append([])
    data.append([None, "2026年人才信息表"])
    data.append([None, "序号", "姓名", "出生日期", "身份证号", "职称", "籍贯"])
    data.append([None, 1, "张伟", datetime.datetime(1980, 1, 2), "150203198001021234", "教授", "山西"])
    data.append([])
    data.append([None, 2, "李娜", "1990年5月", 150203199005021234, 3, 2.5])
    book.active = 1
    book.save(path)
    return path


@pytest.mark.skipif(spreadsheet.python_calamine is None, reason="python-calamine is not installed")
def test_calamine_and_openpyxl_read_the_same_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _awkward_book(tmp_path / "人才.xlsx")
    seen = {}
    for reader in ("calamine", "openpyxl"):
        monkeypatch.setenv("RENCAI_XLSX_READER", reader)
        assert spreadsheet.xlsx_reader() == reader
        table, rows = read_talents(path)
        seen[reader] = (table.header_row, table.source_rows,
                        [(r.number, {k: _day(v) for k, v in r.values.items() if v is not None}, r.extra) for r in rows])
    assert seen["calamine"] == seen["openpyxl"]
    header_row, source_rows, rows = seen["calamine"]
    assert (header_row, source_rows) == (3, 6)
    assert [number for number, _, _ in rows] == [4, 6]
    assert rows[0][1]["出生日期"] == datetime.date(1980, 1, 2)
    assert rows[1][2] == {"职称": 3, "籍贯": 2.5}


def _day(value: object) -> object:
    """A date cell: openpyxl gives a datetime at midnight, calamine a date; both read as the same date."""
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date()
    return value


def test_openpyxl_learns_a_sheets_size_without_reading_it_twice(tmp_path: Path) -> None:
    """openpyxl looked for <dimension> until the end of the sheet (a second full pass) in files without one."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("人才")
    sheet.append(["姓名", "性别"])
    for n in range(2000):
        sheet.append([f"张{n}", "男"])
    book.save(tmp_path / "w.xlsx")
    opened = openpyxl.load_workbook(tmp_path / "w.xlsx", read_only=True)
    worksheet = opened.worksheets[0]
    original, read = worksheet._get_source, []

    class Counting:
        def __init__(self, stream) -> None:  # type: ignore[no-untyped-def]
            self.stream = stream

        def read(self, size: int = -1) -> bytes:
            data = self.stream.read(size)
            read.append(len(data))
            return data

        def close(self) -> None:
            self.stream.close()

    worksheet._get_source = lambda: Counting(original())
    worksheet._get_size()
    whole = zipfile.ZipFile(tmp_path / "w.xlsx").getinfo("xl/worksheets/sheet1.xml").file_size
    assert sum(read) < whole / 2  # stopped at <sheetData>, not at the end
    opened.close()
