"""Reading spreadsheets as they really arrive, and writing .xlsx for people.

Reads .xlsx (with python-calamine where it is installed, else streamed with openpyxl's read-only mode; the
environment variable RENCAI_XLSX_READER=openpyxl|calamine chooses) and .csv (UTF-8 with or without BOM, GBK/GB18030,
UTF-16 "Unicode text"; comma or tab). The header row is found among the first rows rather than assumed,
a 序号 column is ignored, blank rows are skipped and unknown columns are kept. Pure Python, no Django.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import chain, islice
from pathlib import Path
from typing import Any, BinaryIO
from zipfile import BadZipFile, ZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.functions import iterparse

try:
    import python_calamine
except ImportError:  # pragma: no cover - an optional, faster reader
    python_calamine = None  # type: ignore[assignment]  # the usual optional-import idiom

from rencai.core.textnorm import clean_cell, fold_width, to_simplified

__all__ = [
    "Limits",
    "PartialDate",
    "SheetRow",
    "SpreadsheetError",
    "Table",
    "parse_date",
    "parse_decimal",
    "parse_int",
    "read_table",
    "write_xlsx",
]

HEADER_SCAN_ROWS = 30
SERIAL_COLUMN = "序号"
REASON_COLUMN = "拒绝原因"  # added to the refused rows handed back for fixing; ignored when they are re-uploaded
_SAMPLE_BYTES = 1 << 20  # enough of a csv to tell its encoding and delimiter
_WIDTH_SAMPLE_ROWS = 200

_XLSX_SUFFIXES = {".xlsx", ".xlsm"}
_CSV_SUFFIXES = {".csv", ".tsv", ".txt"}
_OLD_EXCEL_SUFFIXES = {".xls", ".et", ".ods", ".numbers", ".wps"}


class SpreadsheetError(Exception):
    """A problem with the whole file (type, encoding, no header); the message is plain Chinese."""


@dataclass(frozen=True)
class Limits:
    """What a file may weigh before it is read: checked before parsing, so a small file that expands to gigabytes
    (a "zip bomb"), a sheet of a million rows or a cell longer than Excel allows is refused, not read."""

    max_bytes: int = 20 * 1024 * 1024  # the file as uploaded
    max_uncompressed: int = 200 * 1024 * 1024  # an .xlsx's zip members together, once expanded
    max_rows: int = 200_000  # rows below the header, blank ones included
    max_cell: int = 32_767  # characters in one cell: Excel's own limit


def _size_text(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.0f} MB" if size % (1024 * 1024) == 0 else f"{size / (1024 * 1024):.1f} MB"


def too_large(size: int, limit: int) -> str | None:
    """The Chinese refusal for a file of size bytes over limit, or None."""
    if size <= limit:
        return None
    return f"文件有 {_size_text(size)}，超过导入上限 {_size_text(limit)}。请把表格拆成几个较小的文件分别导入。"


def _too_many_rows(rows: int, limit: int) -> SpreadsheetError:
    return SpreadsheetError(
        f"表格有 {rows} 行，超过上限 {limit} 行。如果表格末尾有大量空行（例如整列设置了格式），"
        "请删除这些空行后另存再导入；否则请把表格拆成几个文件分别导入。"
    )


def _too_long(number: int, column: str, length: int, limit: int) -> SpreadsheetError:
    return SpreadsheetError(
        f"第{number}行“{column}”列有 {length} 个字符，超过上限 {limit}（Excel 一个单元格最多 32767 个字符）。"
        "请缩短该单元格后再导入。"
    )


# --- dates and numbers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PartialDate:
    """A date that may be known only to the month (1988年5月): day is None then."""

    year: int
    month: int
    day: int | None = None

    def __post_init__(self) -> None:
        datetime.date(self.year, self.month, self.day or 1)  # raises ValueError for an impossible date

    def as_date(self) -> datetime.date:
        return datetime.date(self.year, self.month, self.day or 1)

    def __str__(self) -> str:
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


_MIN_YEAR, _MAX_YEAR = 1900, 2100
# Excel serial numbers taken as dates: 1910-01-01 .. 2099-12-31. Smaller numbers are more likely junk,
# and 1900..2100 are read as a bare year, which is refused.
_SERIAL_MIN, _SERIAL_MAX = 3654, 73050
_EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial 0 once Excel's fictitious 1900-02-29 is accounted for

_TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_DATE_FORMS = (
    re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})(?:[-/.](?P<d>\d{1,2}))?"),
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})[日号])?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})?"),
)
_YEAR_ONLY = re.compile(r"(\d{4})年?")


def _make_date(text: str, year: int, month: int, day: int | None) -> PartialDate:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise ValueError(f"年份不合理：{text}")
    if not 1 <= month <= 12:
        raise ValueError(f"月份不对：{text}")
    try:
        return PartialDate(year, month, day)
    except ValueError:
        raise ValueError(f"日期不存在：{text}") from None


def _date_from_text(raw: str) -> PartialDate:
    text = fold_width(raw).strip()
    text = _TIME_SUFFIX.sub("", text)
    text = "".join(text.split())
    for form in _DATE_FORMS:
        match = form.fullmatch(text)
        if match:
            day = match["d"]
            return _make_date(raw, int(match["y"]), int(match["m"]), int(day) if day else None)
    if _YEAR_ONLY.fullmatch(text):
        raise ValueError(f"只有年份，缺少月份：{raw}，请写成 1988年5月 或 1988-05-12")
    raise ValueError(f"看不懂的日期：{raw}，请写成 1988-05-12、1988年5月 这样的格式")


def _date_from_number(original: int | float | Decimal) -> PartialDate:
    value = float(original)
    if _MIN_YEAR <= value <= _MAX_YEAR:
        if float(value).is_integer():
            raise ValueError(f"只有年份，缺少月份：{original}，请写成 1988年5月 或 1988-05-12")
        # A number cell such as 1988.05: Excel dropped trailing zeros, so 1988.1 may have been 1988.10.
        text = repr(value)
        year, fraction = text.split(".")
        if fraction == "1":
            raise ValueError(f"月份不明确：{text} 可能是{year}年10月，请写成 {year}年10月 或 {year}-10")
        return _date_from_text(f"{year}.{fraction}")
    if value.is_integer() and 19000101 <= value <= 21001231:
        return _date_from_text(str(int(value)))  # 19880512 typed into a number cell
    if _SERIAL_MIN <= value <= _SERIAL_MAX:
        day = _EXCEL_EPOCH + datetime.timedelta(days=int(value))
        return PartialDate(day.year, day.month, day.day)
    raise ValueError(f"看不懂的日期：{original}，请写成 1988-05-12 或设为日期格式")


def parse_date(value: object) -> PartialDate | None:
    """A date from a date cell, an Excel serial number or text such as 1988-05-12, 1988.5, 1988年5月.

    Returns None for an empty cell; raises ValueError with a Chinese reason naming the value otherwise.
    """
    value = clean_cell(value)
    if value is None:
        return None
    if isinstance(value, datetime.date):  # datetime is a date too
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, str):
        return _date_from_text(value)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return _date_from_number(value)
    raise ValueError(f"看不懂的日期：{value}")


_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?:\D|$))")
_INT_TEXT = re.compile(r"[+-]?\d+(?:\.0*)?")
_DECIMAL_TEXT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def _number_text(value: str) -> str:
    """Full width folded, spaces and thousands separators removed: "１２，３４５ " -> "12345"."""
    text = "".join(fold_width(value).split())
    return _THOUSANDS.sub("", text)


def parse_int(value: object) -> int | None:
    """A whole number from a cell: 3, 3.0, "３", "1,200". None for empty; ValueError (Chinese) otherwise."""
    value = clean_cell(value)
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"不是整数：{value}")
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        try:
            whole = int(value)
        except (ValueError, OverflowError):  # NaN, infinity
            raise ValueError(f"不是整数：{value}") from None
        if whole == value:
            return whole
        raise ValueError(f"不是整数：{value}")
    if isinstance(value, str):
        text = _number_text(value)
        if _INT_TEXT.fullmatch(text):
            return int(text.split(".")[0])
        raise ValueError(f"不是整数：「{value}」，请只填阿拉伯数字")
    raise ValueError(f"不是整数：{value}")


def parse_decimal(value: object, *, unit: str | None = None) -> Decimal | None:
    """A number from a cell: 12.5, "１２.５", "1,200", "50万元". None for empty; ValueError otherwise.

    A trailing 万元 or 元 is stripped. With unit="万元" (a column counted in 万元) the suffix is honoured
    instead, so "5000元" gives 0.5 rather than 5000; "50万" is read as 50 too.
    """
    value = clean_cell(value)
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"不是数字：{value}")
    if isinstance(value, int | float | Decimal):
        # str() of a float is its shortest repr, so 0.1 stays 0.1 rather than 0.1000000000000000055…
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite():
            raise ValueError(f"不是数字：{value}")
        return number
    if isinstance(value, str):
        text = _number_text(value).lstrip("¥￥")
        scale = 1
        for suffix in ("万元", "万", "元") if unit == "万元" else ("万元", "元"):
            if text.endswith(suffix):
                text = text[: -len(suffix)]
                scale = 10_000 if unit == "万元" and suffix == "元" else 1
                break
        if _DECIMAL_TEXT.fullmatch(text):
            try:
                return Decimal(text) / scale if scale != 1 else Decimal(text)
            except InvalidOperation:  # pragma: no cover - the pattern admits only valid literals
                pass
        raise ValueError(f"不是数字：「{value}」，请只填数字")
    raise ValueError(f"不是数字：{value}")


# --- reading ----------------------------------------------------------------------------------------


@dataclass
class SheetRow:
    """One data row. values has every known column present in the file (None when empty);
    extra has the non-empty cells of unknown columns (kept as remarks)."""

    number: int
    values: dict[str, object]
    extra: dict[str, object]


@dataclass
class Table:
    header_row: int
    columns: list[str]
    unknown_columns: list[str]
    missing_required: list[str]
    rows: Iterator[SheetRow]
    source_rows: int | None
    _close: Callable[[], None] | None = field(default=None, repr=False, compare=False)

    def close(self) -> None:
        """Release the file early (rows need not be read to the end); reading rows to the end also does."""
        if self._close is not None:
            self._close()
            self._close = None

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


_REQUIRED_MARKS = ("(必填)", "(选填)", "*")
_CJK_BRACKETS = str.maketrans({"【": "(", "】": ")", "〔": "(", "〕": ")", "［": "(", "］": ")"})


def _header_key(cell: object) -> str:
    """How a header cell compares: width folded, no spaces, no 'required' marks (*姓名, 姓名（必填）)."""
    if cell is None:
        return ""
    text = "".join(to_simplified(fold_width(str(cell))).translate(_CJK_BRACKETS).split())  # 性別 = 性别
    changed = True
    while changed and text:
        changed = False
        for mark in _REQUIRED_MARKS:
            if text.endswith(mark):
                text, changed = text[: -len(mark)], True
        if text.startswith("*"):
            text, changed = text[1:], True
    return text


@dataclass
class _Layout:
    """Which column index feeds which key, worked out once from the header row."""

    header_row: int
    known: list[tuple[int, str]]
    unknown: list[tuple[int, str]]
    unknown_titles: list[str]  # unknown columns that have a header (headerless ones appear only in extra)
    width: int


def _match_header(cells: Sequence[object], known_keys: dict[str, str]) -> set[str]:
    return {known_keys[key] for key in map(_header_key, cells) if key in known_keys}


def _find_header(
    head: Sequence[Sequence[object]], known_keys: dict[str, str], required: Sequence[str]
) -> int | None:
    """Index in head of the row matching the most known columns; it must hold all required ones or ≥ 2."""
    best, best_score = None, 0
    for index, cells in enumerate(head):
        matched = _match_header(cells, known_keys)
        qualifies = (required and all(name in matched for name in required)) or len(matched) >= 2
        if qualifies and len(matched) > best_score:
            best, best_score = index, len(matched)
    return best


def _layout(header_row: int, cells: Sequence[object], known_keys: dict[str, str]) -> _Layout:
    known: list[tuple[int, str]] = []
    unknown: list[tuple[int, str]] = []
    titles: list[str] = []
    used: set[str] = set()
    for index, cell in enumerate(cells):
        key = _header_key(cell)
        if key in (SERIAL_COLUMN, REASON_COLUMN):
            continue
        name = known_keys.get(key)
        if name is not None and name not in used:
            known.append((index, name))
        else:
            title = clean_cell(str(cell)) if cell is not None else None
            # A column without a header is kept only if it holds data, under its column letter.
            name = str(title) if title is not None else f"{get_column_letter(index + 1)}列"
            if name in used:
                name = f"{name}（{get_column_letter(index + 1)}列）"
            unknown.append((index, name))
            if title is not None:
                titles.append(name)
        used.add(name)
    return _Layout(header_row, known, unknown, titles, len(cells))


_EXACT = 2**53  # floats below this that are whole are whole numbers; above, digits were already lost


def _rows(
    layout: _Layout, raw_rows: Iterable[Sequence[object]], first_number: int, limits: Limits
) -> Iterator[SheetRow]:
    """The hot loop: per cell only an index, a type check and, for strings, a length check and clean_cell."""
    known, unknown, width = layout.known, layout.unknown, layout.width
    known_names = [name for _, name in known]
    padding = (None,) * width
    last_row, max_cell = layout.header_row + limits.max_rows, limits.max_cell
    for number, raw in enumerate(raw_rows, first_number):
        if number > last_row:
            raise _too_many_rows(number - layout.header_row, limits.max_rows)
        size = len(raw)
        if size < width:
            raw = (*raw, *padding[size:])
        values = dict.fromkeys(known_names)
        filled = False
        for index, name in known:
            value = raw[index]
            if value is not None:
                if value.__class__ is str:
                    if len(value) > max_cell:  # type: ignore[arg-type]
                        raise _too_long(number, name, len(value), max_cell)  # type: ignore[arg-type]
                    value = clean_cell(value)
                    if value is None:
                        continue
                elif value.__class__ is float and value.is_integer() and -_EXACT < value < _EXACT:  # type: ignore[attr-defined, operator]  # `__class__ is float` does not narrow
                    value = int(value)  # type: ignore[call-overload]  # calamine gives 3.0 where openpyxl gives 3
                values[name] = value
                filled = True
        extra: dict[str, object] = {}
        for index, name in unknown:
            value = raw[index]
            if value is not None:
                if value.__class__ is str:
                    if len(value) > max_cell:  # type: ignore[arg-type]
                        raise _too_long(number, name, len(value), max_cell)  # type: ignore[arg-type]
                    value = clean_cell(value)
                    if value is None:
                        continue
                elif value.__class__ is float and value.is_integer() and -_EXACT < value < _EXACT:  # type: ignore[attr-defined, operator]  # `__class__ is float` does not narrow
                    value = int(value)  # type: ignore[call-overload]
                extra[name] = value
        if size > width:
            _tail(raw, width, extra, number, max_cell)
        if filled or extra:
            yield SheetRow(number, values, extra)


def _tail(raw: Sequence[object], width: int, extra: dict[str, object], number: int, max_cell: int) -> None:
    """Cells to the right of the header: data without a column name is still kept, under its letter."""
    for index in range(width, len(raw)):
        value = raw[index]
        if isinstance(value, str) and len(value) > max_cell:
            raise _too_long(number, f"{get_column_letter(index + 1)}", len(value), max_cell)
        value = clean_cell(value)
        if value is not None:
            extra[f"{get_column_letter(index + 1)}列"] = value


def _suffix(source: str | Path | BinaryIO, filename: str | None) -> str:
    name = filename or (source if isinstance(source, str | Path) else getattr(source, "name", None))
    suffix = Path(name).suffix.lower() if isinstance(name, str | Path) else ""
    if suffix or isinstance(source, str | Path):
        return suffix
    return _sniff_kind(source)  # an upload without a usable name


def _sniff_kind(stream: BinaryIO) -> str:
    """A file object without a name: tell the kind from its first bytes, then rewind."""
    if not hasattr(stream, "seek"):
        return ".csv"
    start = stream.tell()
    magic = stream.read(8)
    stream.seek(start)
    if magic.startswith(b"PK\x03\x04"):
        return ".xlsx"
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        return ".xls"
    return ".csv"


def read_table(
    source: str | Path | BinaryIO,
    *,
    known_columns: Sequence[str],
    required: Sequence[str] = (),
    filename: str | None = None,
    limits: Limits = Limits(),  # noqa: B008 - frozen, so one shared default is safe
) -> Table:
    """Open a spreadsheet, find its header row and stream its data rows.

    source is a path or a binary file object (a Django upload: pass its name as filename).
    Raises SpreadsheetError (Chinese message) for a problem with the whole file, including a file over limits:
    its size, an .xlsx's expanded size and its declared rows are checked before anything is parsed; rows and
    cell lengths also as they are read, for a file that hides its size.
    """
    if isinstance(source, str | Path) and not Path(source).is_file():
        raise SpreadsheetError(f"找不到文件：{source}")
    suffix = _suffix(source, filename)
    known_keys = {_header_key(name): name for name in known_columns}
    if suffix in _XLSX_SUFFIXES or suffix in _CSV_SUFFIXES:
        refusal = too_large(_file_size(source), limits.max_bytes)
        if refusal:
            raise SpreadsheetError(refusal)
    if suffix in _XLSX_SUFFIXES:
        _check_expanded_size(source, limits)
        return _read_xlsx(source, known_keys, known_columns, required, limits)
    if suffix in _CSV_SUFFIXES:
        return _read_csv(source, known_keys, known_columns, required, limits)
    if suffix in _OLD_EXCEL_SUFFIXES:
        raise SpreadsheetError(f"不能直接读取 {suffix} 文件，请用 Excel 或 WPS 打开后另存为 .xlsx 后再导入")
    if not suffix:
        raise SpreadsheetError("文件名没有扩展名，无法判断文件类型，请上传 .xlsx 或 .csv 文件")
    raise SpreadsheetError(f"不支持 {suffix} 文件，请上传 .xlsx 或 .csv 文件")


def _file_size(source: str | Path | BinaryIO) -> int:
    if isinstance(source, str | Path):
        return Path(source).stat().st_size
    size = getattr(source, "size", None)  # a Django upload knows its size
    if isinstance(size, int):
        return size
    if not hasattr(source, "seek"):
        return 0
    start = source.tell()
    end = source.seek(0, io.SEEK_END)
    source.seek(start)
    return end - start


_BROKEN_XLSX = (
    "无法读取这个 .xlsx 文件：文件可能已损坏、设有打开密码，或其实是旧版 .xls。"
    "请用 Excel 或 WPS 打开，取消密码后另存为 .xlsx 再导入。"
)


def _check_expanded_size(source: str | Path | BinaryIO, limits: Limits) -> None:
    """An .xlsx is a zip: add up what its members say they expand to, from the zip's directory alone. (A member
    that lies about its size is cut off at the size it declares when read, so the sum is a true bound.)"""
    start = None if isinstance(source, str | Path) else source.tell()
    try:
        with ZipFile(source) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
            declared = max((_declared_rows(archive, info.filename) for info in archive.infolist()
                            if info.filename.startswith("xl/worksheets/") and expanded <= limits.max_uncompressed),
                           default=0)
    except (BadZipFile, OSError, ValueError) as exc:
        raise SpreadsheetError(_BROKEN_XLSX) from exc
    finally:
        if start is not None:
            source.seek(start)  # type: ignore[union-attr]
    if declared > limits.max_rows + HEADER_SCAN_ROWS:
        raise _too_many_rows(declared, limits.max_rows)
    if expanded > limits.max_uncompressed:
        raise SpreadsheetError(
            f"这个 .xlsx 文件解压后有 {_size_text(expanded)}，超过上限 {_size_text(limits.max_uncompressed)}"
            "（文件可能被恶意构造，或含有大量空白格式）。请把数据复制到一个新的工作簿、另存为 .xlsx 后再导入，"
            "或把表格拆成几个文件。"
        )


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]{1,3}\d+(?::[A-Z]{1,3}(\d+))?"')


def _declared_rows(archive: ZipFile, member: str) -> int:
    """The rows a worksheet says it has (its <dimension>, near the start of its XML), without parsing it."""
    if not member.endswith(".xml"):
        return 0
    with archive.open(member) as stream:
        match = _DIMENSION.search(stream.read(4096))
    return int(match[1]) if match and match[1] else 0


def _table(
    head: Sequence[Sequence[object]],
    rest: Iterator[Sequence[object]],
    known_keys: dict[str, str],
    known_columns: Sequence[str],
    required: Sequence[str],
    close: Callable[[], None],
    source_rows: int | None,
    limits: Limits,
) -> Table:
    found = _find_header(head, known_keys, required)
    if found is None:
        close()
        raise _no_header(head, known_columns, required)
    layout = _layout(found + 1, head[found], known_keys)
    present = [name for _, name in layout.known]
    missing = [name for name in required if name not in present]
    closed = False

    def close_once() -> None:
        nonlocal closed
        if not closed:
            closed = True
            getattr(rest, "close", lambda: None)()  # the reader first, then the file under it
            close()

    def rows() -> Iterator[SheetRow]:
        try:
            yield from _rows(layout, chain(head[found + 1 :], rest), found + 2, limits)
        finally:
            close_once()

    return Table(layout.header_row, present, layout.unknown_titles, missing, rows(), source_rows, close_once)


def _no_header(
    head: Sequence[Sequence[object]], known_columns: Sequence[str], required: Sequence[str]
) -> SpreadsheetError:
    if not any(clean_cell(cell) is not None for row in head for cell in row):
        return SpreadsheetError("文件是空的，没有读到任何内容")
    names = "、".join(required or known_columns[:6])
    return SpreadsheetError(
        f"没有找到表头：前{HEADER_SCAN_ROWS}行里没有一行写着这些列名：{names}。"
        "请确认表头行的列名与模板一致（列的顺序可以不同）。"
    )


def _declared_size(self: Any) -> None:  # a ReadOnlyWorksheet: its private parts are untyped
    """ReadOnlyWorksheet._get_size without its second pass: openpyxl looks for <dimension> listening to *end*
    events, so in a sheet without one (every write-only workbook, many exports) it parses the whole sheet at
    open just to find there is none. Start events stop at <sheetData>."""
    source = self._get_source()
    try:
        for _event, element in iterparse(source, events=("start",)):
            if element.tag == DIMENSION_TAG:
                boundaries = SheetDimension(ref=element.get("ref")).boundaries
                self._min_column, self._min_row, self._max_column, self._max_row = boundaries
                return
            if element.tag == DATA_TAG:
                return
    finally:
        source.close()


if callable(getattr(ReadOnlyWorksheet, "_get_size", None)):
    ReadOnlyWorksheet._get_size = _declared_size  # type: ignore[attr-defined]  # private in openpyxl, checked above


def xlsx_reader() -> str:
    """"calamine" when python-calamine is installed (several times faster), else "openpyxl"."""
    wanted = os.environ.get("RENCAI_XLSX_READER", "")
    if wanted == "openpyxl" or python_calamine is None:
        return "openpyxl"
    return "calamine"


def _read_xlsx(
    source: str | Path | BinaryIO,
    known_keys: dict[str, str],
    known_columns: Sequence[str],
    required: Sequence[str],
    limits: Limits,
) -> Table:
    if xlsx_reader() == "calamine":
        return _read_xlsx_calamine(source, known_keys, known_columns, required, limits)
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise SpreadsheetError(_BROKEN_XLSX) from exc
    # The active sheet first; a workbook that opens on a 填表说明 sheet has its data on another one.
    active = book.active if book.active in book.worksheets else None
    sheets = [sheet for sheet in (active, *book.worksheets) if sheet is not None]
    seen: list[Sequence[object]] = []
    for sheet in dict.fromkeys(sheets):  # keeps order, drops the active sheet's second appearance
        source_rows = sheet.max_row if sheet.max_row and sheet.max_row > 1 else None
        if source_rows and source_rows > limits.max_rows + HEADER_SCAN_ROWS:  # as the sheet declares its size
            book.close()
            raise _too_many_rows(source_rows, limits.max_rows)
        # Some programs write a wrong <dimension>; without this openpyxl would stop reading at it.
        sheet.reset_dimensions()
        raw_rows = sheet.iter_rows(values_only=True)
        head = list(islice(raw_rows, HEADER_SCAN_ROWS))
        if _find_header(head, known_keys, required) is not None:
            return _table(head, raw_rows, known_keys, known_columns, required, book.close, source_rows, limits)
        raw_rows.close()
        seen.extend(head)
    book.close()
    raise _no_header(seen, known_columns, required)


_ACTIVE_TAB = re.compile(rb'<(?:\w+:)?workbookView\b[^>]*\bactiveTab="(\d+)"')


def _active_index(source: str | Path | BinaryIO) -> int:
    """The sheet the workbook opens on (workbook.xml's activeTab), read from the zip without parsing sheets."""
    start = None if isinstance(source, str | Path) else source.tell()
    try:
        with ZipFile(source) as archive:
            names = archive.namelist()
            book = next((n for n in ("xl/workbook.xml", "xl/workbook2.xml") if n in names), None)
            match = _ACTIVE_TAB.search(archive.read(book)[:65536]) if book else None
            return int(match[1]) if match else 0
    except (BadZipFile, OSError, KeyError, ValueError):
        return 0
    finally:
        if start is not None:
            source.seek(start)  # type: ignore[union-attr]


def _calamine_rows(sheet: object) -> Iterator[Sequence[object]]:
    """Rows from the first sheet row on (calamine gives leading empty rows but starts at the first used column)."""
    start = sheet.start  # type: ignore[attr-defined]
    rows = sheet.iter_rows()  # type: ignore[attr-defined]
    if not start or not start[1]:
        return rows
    pad = [None] * start[1]
    return (pad + row for row in rows)


def _read_xlsx_calamine(
    source: str | Path | BinaryIO,
    known_keys: dict[str, str],
    known_columns: Sequence[str],
    required: Sequence[str],
    limits: Limits,
) -> Table:
    assert python_calamine is not None
    errors = (python_calamine.CalamineError, python_calamine.PasswordError, python_calamine.ZipError,
              python_calamine.XmlError, OSError, ValueError, KeyError)
    active = _active_index(source)
    try:
        if isinstance(source, str | Path):
            book = python_calamine.CalamineWorkbook.from_path(str(source))
        else:
            book = python_calamine.CalamineWorkbook.from_filelike(source)
        names = [m.name for m in book.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
    except errors as exc:
        raise SpreadsheetError(_BROKEN_XLSX) from exc
    order = [names[active]] if active < len(names) else []
    seen: list[Sequence[object]] = []
    for name in dict.fromkeys([*order, *names]):
        try:
            sheet = book.get_sheet_by_name(name)
        except errors as exc:
            book.close()
            raise SpreadsheetError(_BROKEN_XLSX) from exc
        start = sheet.start
        source_rows = (start[0] + sheet.height) if start else 0
        if source_rows > limits.max_rows + HEADER_SCAN_ROWS:
            book.close()
            raise _too_many_rows(source_rows, limits.max_rows)
        raw_rows = _calamine_rows(sheet)
        head = list(islice(raw_rows, HEADER_SCAN_ROWS))
        if _find_header(head, known_keys, required) is not None:
            return _table(head, raw_rows, known_keys, known_columns, required, book.close, source_rows or None,
                          limits)
        seen.extend(head)
    book.close()
    raise _no_header(seen, known_columns, required)


class _Replay(io.RawIOBase):
    """A binary stream that gives back the bytes already sniffed, then the rest of the source."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head, self._rest = memoryview(head), rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]  # a view: no copying of the rest
            return size
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _encoding(sample: bytes, complete: bool) -> str:
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # Excel's "Unicode text" export
    try:
        codecs.getincrementaldecoder("utf-8-sig")().decode(sample, final=complete)
    except UnicodeDecodeError:
        return "gb18030"  # a superset of GBK, which Chinese Excel writes by default
    return "utf-8-sig"


_UNKNOWN_ENCODING = (
    "无法识别文件编码：这个 .csv 文件不是 UTF-8 或 GBK/GB18030 编码（可能是 Big5、Shift-JIS 或不带 BOM 的 UTF-16）。"
    "请用 Excel 或 WPS 打开，另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后再导入。"
)


def _looks_like_gbk_text(text: str) -> bool:
    """Bytes of another encoding (Big5, Shift-JIS) decode as GB18030 without error, but into characters a
    Chinese text rarely holds: most characters of a real GBK file are in the common GB2312 set."""
    wide = [char for char in text if ord(char) > 0x7F]
    if not wide:
        return True
    common = 0
    for char in wide:
        try:
            char.encode("gb2312")
        except UnicodeEncodeError:
            continue
        common += 1
    return common >= 0.9 * len(wide)


def _delimiter(sample: str) -> str:
    lines = sample.splitlines()[:HEADER_SCAN_ROWS]
    tabs = sum(line.count("\t") for line in lines)
    commas = sum(line.count(",") for line in lines)
    return "\t" if tabs > commas else ","


def _read_csv(
    source: str | Path | BinaryIO,
    known_keys: dict[str, str],
    known_columns: Sequence[str],
    required: Sequence[str],
    limits: Limits,
) -> Table:
    # The csv module refuses fields over 128 KiB with an English error; the file is within max_bytes, and
    # _rows refuses an over-long cell naming its row and column.
    if csv.field_size_limit() < limits.max_bytes:
        csv.field_size_limit(limits.max_bytes)
    stream: BinaryIO = open(source, "rb") if isinstance(source, str | Path) else source
    owned = stream is not source
    sample = stream.read(_SAMPLE_BYTES)
    encoding = _encoding(sample, complete=len(sample) < _SAMPLE_BYTES)
    if encoding != "utf-16" and b"\x00" in sample[:65536]:  # UTF-16 without its BOM, or not text at all
        if owned:
            stream.close()
        raise SpreadsheetError(_UNKNOWN_ENCODING)
    # _Replay never closes what it wraps, so a caller's upload stays open for them to close.
    text = io.TextIOWrapper(io.BufferedReader(_Replay(sample, stream)), encoding=encoding, newline="")

    def close() -> None:
        if owned:
            stream.close()

    preview = sample[:65536].decode(encoding, errors="ignore")
    reader = csv.reader(text, delimiter=_delimiter(preview))
    try:
        head = list(islice(reader, HEADER_SCAN_ROWS))
    except (UnicodeDecodeError, csv.Error) as exc:
        close()
        if isinstance(exc, UnicodeDecodeError) and encoding == "gb18030":
            raise SpreadsheetError(_UNKNOWN_ENCODING) from exc
        raise SpreadsheetError(f"无法读取这个 .csv 文件：{_csv_reason(exc)}") from exc
    if (encoding == "gb18030" and _find_header(head, known_keys, required) is None
            and not _looks_like_gbk_text(preview)):
        close()
        raise SpreadsheetError(_UNKNOWN_ENCODING)
    return _table(head, _checked(reader), known_keys, known_columns, required, close, None, limits)


def _checked(reader: Iterator[list[str]]) -> Iterator[list[str]]:
    """Turn a decoding error deep in a csv into a SpreadsheetError with a reason a clerk can act on."""
    try:
        yield from reader
    except (UnicodeDecodeError, csv.Error) as exc:
        raise SpreadsheetError(f"无法读取这个 .csv 文件：{_csv_reason(exc)}") from exc


def _csv_reason(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "文件里混有不同的文字编码。请用 Excel 打开后另存为“CSV UTF-8”或 .xlsx 再导入。"
    return f"格式有误（{exc}）。请用 Excel 打开后另存为 .xlsx 再导入。"


# --- writing ----------------------------------------------------------------------------------------

_INVALID_TITLE_CHARS = re.compile(r"[\[\]:*?/\\]")
_MIN_WIDTH, _MAX_WIDTH = 6, 60


def _display_width(value: object) -> int:
    """Width in Excel's units, roughly: CJK and other wide characters count double."""
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 19
    if isinstance(value, datetime.date):
        return 10
    text = str(value)
    if text.isascii():
        return max(map(len, text.split("\n")))
    return max(sum(2 if _is_wide(char) else 1 for char in line) for line in text.split("\n"))


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def _column_widths(header: Sequence[str], sample: Sequence[Sequence[object]]) -> list[float]:
    widths = [_display_width(title) for title in header]
    for row in sample:
        for index, value in enumerate(row):
            size = _display_width(value)
            if index >= len(widths):
                widths.append(size)
            elif size > widths[index]:
                widths[index] = size
    return [min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH) for width in widths]


def _cell_value(value: object) -> Any:  # what openpyxl writes: str, number, date, None
    """What openpyxl may store: known scalars as they are, anything else (PartialDate…) as its text."""
    if value is None or isinstance(value, int | float | Decimal | datetime.date | datetime.time):
        return value
    text = value if isinstance(value, str) else str(value)
    if not text.isprintable():
        text = ILLEGAL_CHARACTERS_RE.sub("", text)  # control characters make Excel refuse the file
    return text


def _sheet_title(title: str) -> str:
    return (_INVALID_TITLE_CHARS.sub("_", title).strip("'") or "Sheet")[:31]


def write_xlsx(
    target: str | Path | BinaryIO,
    sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[object]]]],
) -> None:
    """Write one sheet per (title, header, rows), streaming (write-only mode): bold frozen header,
    column widths estimated from the first rows. Text that starts with "=" is written as text, not a formula.
    """
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title=_sheet_title(title))
        remaining = iter(rows)
        sample = list(islice(remaining, _WIDTH_SAMPLE_ROWS))
        # Column widths and panes must be set before the first row is written in write-only mode.
        for index, width in enumerate(_column_widths(header, sample), 1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        header_cells = []
        for title_text in header:
            cell = WriteOnlyCell(sheet, value=_cell_value(title_text))
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in chain(sample, remaining):
            sheet.append([_write_cell(sheet, value) for value in row])
    book.save(target)


def _write_cell(sheet: Any, value: Any) -> object:
    value = _cell_value(value)
    if value.__class__ is str and value.startswith("="):
        # User data such as "=HYPERLINK(...)" must not become a live formula in an export.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value
