"""Spreadsheet import with a preview: every register's importer plugs into the same flow.

Read (core.spreadsheet) → parse each row into clean data or refusals → find duplicates in the file and
matches in the database → report. Writing happens only on confirmation, all rows in one transaction,
so a refused row, a crash or a killed process leaves the database as it was.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from itertools import islice
from typing import IO, Any, BinaryIO, cast

from django.conf import settings
from django.db import connections, models, router, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import BooleanField, CharField, DecimalField, Field, SlugField, TextField
from django.http import HttpRequest
from django.utils import timezone

from rencai.core.audit import audit_record
from rencai.core.models import User, Zone
from rencai.core.spreadsheet import REASON_COLUMN, Limits, SheetRow, SpreadsheetError, read_table
from rencai.core.textnorm import split_terms

Progress = Callable[[int, int | None, str], None]
MERGE, REPLACE = "merge", "replace"  # what an update does to a multi-value column
Problem = tuple[str, str]  # (column, reason in Chinese)


@dataclass
class ParsedRow:
    row: int
    data: dict[str, Any]
    label: str
    problems: list[Problem] = field(default_factory=list)
    key: str | None = None
    action: str = ""  # create | update | duplicate | refuse
    existing_pk: int | None = None
    of: str = ""
    source: SheetRow | None = None  # the cells as read, kept for a refused row (to hand it back for fixing)
    changes: dict[str, Any] | None = None  # for an update: the record it matches and what changes, field by field


@dataclass
class ImportReport:
    kind: str
    header_row: int = 0
    rows: int = 0
    created: int = 0
    updated: int = 0
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    written: bool = False
    # For each update: {"row", "existing", "fields": [{"column", "old", "new", and for a multi-value column
    # "merged" and "multi": True}]}; the web preview shows it, --format json includes it.
    changes: list[dict[str, Any]] = field(default_factory=list)
    # The refused rows' cells ({"row", "cells": {column: text}, "reason"}) to hand back as an .xlsx; not in as_json.
    refused_cells: list[dict[str, Any]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The shape FORMATS.md and the issue fix for `--format json`, plus a few helpful extras."""
        return {
            "created": self.created,
            "updated": self.updated,
            "duplicates": self.duplicates,
            "refused": self.refused,
            "rows": self.rows,
            "unknown_columns": self.unknown_columns,
            "written": self.written,
            "changes": self.changes,
        }


@dataclass(frozen=True)
class Target:
    """Where a row's parsed data is written: data key → (model field, the column the user sees). With part, the
    values are in the nested dict data[part] (a contact, a year's figures) rather than in data itself."""

    model: type[models.Model]
    fields: Mapping[str, tuple[str, str]]
    part: str | None = None


Check = Callable[[Any], "str | None"]


def _field_checks(field: Field, column: str) -> list[Check]:
    """What the database (or the model) will refuse in this field, read from the field itself, so the preview
    stays true as models change: NOT NULL, max_length, choices, integer range, decimal digits."""
    checks: list[Check] = []
    if not field.null:
        checks.append(lambda v: f"{column}不能为空" if v is None else None)
    if isinstance(field, CharField | TextField) and field.max_length:
        limit = field.max_length
        checks.append(lambda v: f"{column}最多 {limit} 个字符，这里有 {len(v)} 个，请缩短"
                      if isinstance(v, str) and len(v) > limit else None)
    if field.choices:
        allowed = {str(value) for value, _ in field.flatchoices}
        shown = "、".join(str(value) for value, _ in field.flatchoices)
        checks.append(lambda v: f"“{v}”不是可选值，应为：{shown}"
                      if v not in (None, "") and str(v) not in allowed else None)
    ranges = BaseDatabaseOperations.integer_field_ranges
    if field.get_internal_type() in ranges:
        low, high = ranges[field.get_internal_type()]
        checks.append(lambda v: (f"{column}不能小于 {low}" if v < low else f"{column}不能大于 {high}")
                      if isinstance(v, int) and not isinstance(v, bool) and not low <= v <= high else None)
    if isinstance(field, DecimalField):
        whole = field.max_digits - field.decimal_places
        checks.append(lambda v: f"{column}太大：整数部分最多 {whole} 位"
                      if v is not None and abs(v) >= 10**whole else None)
    return checks


def model_checker(targets: Sequence[Target]) -> Callable[[ParsedRow], None]:
    """A function adding to a parsed row a problem for each value its write would fail on (one per column)."""
    plan: list[tuple[str | None, str, str, list[Check]]] = []
    for target in targets:
        for key, (name, column) in target.fields.items():
            # importer targets name concrete model fields, never reverse relations or generic keys
            checks = _field_checks(cast(Field, target.model._meta.get_field(name)), column)
            if checks:
                plan.append((target.part, key, column, checks))

    def check(parsed: ParsedRow) -> None:
        refused = {column for column, _ in parsed.problems}
        for part, key, column, checks in plan:
            holder = parsed.data.get(part) if part else parsed.data
            if not isinstance(holder, dict) or key not in holder or column in refused:
                continue
            value = holder[key]
            for one in checks:
                reason = one(value)
                if reason:
                    parsed.problems.append((column, reason))
                    refused.add(column)
                    break

    return check


class Importer(ABC):
    kind: str
    label: str
    columns: Sequence[str]
    required: Sequence[str]

    # Columns holding several values (研究方向, 企业资质): an update merges them with what the register holds
    # (MERGE, the default) or replaces them (REPLACE), as the user chooses when confirming.
    multi_value_columns: Sequence[str] = ()
    # The template to download: an example row (column → value) and a note per column ("必填" first when required).
    example: Mapping[str, object] = {}
    notes: Mapping[str, str] = {}
    # Columns whose values the comparison shows masked (it is kept in the job's preview and shown on a page).
    masked_columns: Mapping[str, Callable[[str], str]] = {}

    def targets(self) -> Sequence[Target]:
        """The models and fields rows are written to, so the preview checks what the write will meet."""
        return ()

    def compared(self) -> Mapping[str, tuple[str, str]]:
        """data key → (model field, column) shown in an update's field-by-field comparison."""
        targets = self.targets()
        return targets[0].fields if targets else {}

    def show(self, value: Any) -> str:
        """A value as the comparison shows it."""
        if value is None:
            return ""
        if isinstance(value, list | tuple):
            return "、".join(map(str, value))
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return str(value)

    def merged(self, column: str, old: Any, new: Any) -> Any:
        """A multi-value column's old and new values together (old first, each value once)."""
        if isinstance(old, list):
            return list(dict.fromkeys([*old, *new]))
        terms = split_terms(str(old or "")) + split_terms(str(new or ""))
        return "；".join(dict.fromkeys(terms))

    def compare(self, rows: Sequence[ParsedRow]) -> None:
        """Set each update row's changes: the record it matches and, per column, its value now and after."""
        model = self.targets()[0].model if self.targets() else None
        if model is None or not rows:
            return
        fields = self.compared()
        wanted = [p.existing_pk for p in rows if p.existing_pk]
        existing: dict[int, models.Model] = {}
        for start in range(0, len(wanted), 500):
            existing.update(model._default_manager.in_bulk(wanted[start : start + 500]))
        for p in rows:
            obj = existing.get(p.existing_pk or 0)
            if obj is None:
                continue
            shown: dict[str, dict[str, Any]] = {}
            for key, (name, column) in fields.items():
                new = p.data.get(key)
                if new in (None, "", []) or column in shown:
                    continue
                old = getattr(obj, name)
                if self.show(old) == self.show(new):
                    continue
                change: dict[str, Any] = {"column": column, "old": self.show(old), "new": self.show(new)}
                if column in self.masked_columns:
                    mask = self.masked_columns[column]
                    change |= {"old": mask(change["old"]) if change["old"] else "", "new": mask(change["new"])}
                if column in self.multi_value_columns and old not in (None, "", []):
                    together = self.merged(column, old, new)
                    if self.show(together) == self.show(old):
                        continue  # every value is already there
                    change |= {"merged": self.show(together), "multi": True}
                shown[column] = change
            p.changes = {"row": p.row, "existing": str(obj), "fields": list(shown.values())}

    @abstractmethod
    def parse(self, row: SheetRow) -> ParsedRow: ...

    @abstractmethod
    def find_existing(self, rows: Sequence[ParsedRow], zone: Zone) -> dict[str, int]:
        """Map row keys to the primary keys of records already in the register."""

    @abstractmethod
    def write(self, rows: Sequence[ParsedRow], *, zone: Zone, user: User | None, multi_value: str = MERGE) -> None:
        """Create and update records for rows marked create/update; runs inside the import transaction."""

    def model(self) -> type[models.Model]:
        raise NotImplementedError


_REGISTRY: dict[str, Importer] = {}


def template_sheets(importer: Importer) -> list[tuple[str, list[str], list[list[object]]]]:
    """The register's template: a sheet to fill (the headers, one example row) and a sheet of notes."""
    columns = list(importer.columns)
    notes: list[list[object]] = [[column, "是" if column in importer.required else "", importer.notes.get(column, "")]
             for column in columns]
    notes += [[], ["说明"], ["表头上方可以有标题行；列的顺序可以调整；“序号”列会被忽略；不认识的列会作为备注保留。"],
              ["日期可写 1988-05-12、1988/5/12、1988.5.12、1988年5月；身份证号、统一社会信用代码请设为文本格式。"],
              ["导入时先显示预览，确认后才写入；被拒绝的行可下载为表格，改正后重新上传。"],
              ["请删除示例行后再填写。"]]
    example: list[list[object]] = [[importer.example.get(column, "") for column in columns]]
    return [(importer.label, columns, example),
            ("填表说明", ["列名", "必填", "说明"], notes)]


def refused_sheets(
    importer: Importer, columns: Sequence[str], refused: Sequence[dict[str, Any]]
) -> list[tuple[str, list[str], list[list[object]]]]:
    """The refused rows as a sheet to fix and upload again: the file's columns, then 拒绝原因."""
    header = [c for c in columns if c] or list(importer.columns)
    for row in refused:  # a column only some rows have (data under a column letter)
        header += [c for c in row["cells"] if c not in header]
    rows = [[row["cells"].get(c) for c in header] + [f"原第{row['row']}行 · {row['reason']}"] for row in refused]
    return [(f"{importer.label}（被拒绝的行）", [*header, REASON_COLUMN], rows)]


def register_importer(importer: Importer) -> None:
    _REGISTRY[importer.kind] = importer


def get_importer(kind: str) -> Importer:
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise SpreadsheetError(f"不支持导入“{kind}”，可导入：{'、'.join(_REGISTRY)}") from None


def importers() -> dict[str, Importer]:
    return dict(_REGISTRY)


# Settings (or environment variables of the same name) that bound what an import may read; see Limits.
LIMIT_SETTINGS = {
    "max_bytes": "RENCAI_IMPORT_MAX_BYTES",
    "max_uncompressed": "RENCAI_IMPORT_MAX_UNCOMPRESSED",
    "max_rows": "RENCAI_IMPORT_MAX_ROWS",
    "max_cell": "RENCAI_IMPORT_MAX_CELL",
}
OUT_OF_MEMORY = ("内存不足，无法读完这个文件，数据库未做任何修改。请删除表格中的空白行和多余的工作表，"
                 "或把表格拆成几个较小的文件分别导入。")


def import_limits() -> Limits:
    """The limits in force: a setting wins, then an environment variable, then Limits' default."""
    defaults = Limits()
    values = {}
    for attribute, name in LIMIT_SETTINGS.items():
        value = getattr(settings, name, None) or os.environ.get(name) or getattr(defaults, attribute)
        values[attribute] = int(value)
    return Limits(**values)


def _noop(done: int, total: int | None, phase: str) -> None:
    return None


# Where an importer's write() reports its progress; run_import points it at the caller's progress function,
# so importers keep the plain write(rows, *, zone, user) signature.
_write_progress: ContextVar[Progress] = ContextVar("import_write_progress", default=_noop)


def write_progress(done: int, total: int) -> None:
    """Called by an importer's write() as batches land: moves the 写入 progress bar."""
    _write_progress.get()(done, total, "写入")


def plan_import(
    importer: Importer, source: str | IO[bytes], *, filename: str | None, zone: Zone, progress: Progress = _noop
) -> tuple[ImportReport, list[ParsedRow]]:
    # an IO[bytes] upload is a binary stream: read_table only reads and seeks it
    table = read_table(cast("str | BinaryIO", source), known_columns=importer.columns, required=importer.required,
                       filename=filename,
                       limits=import_limits())
    if table.missing_required:
        raise SpreadsheetError(f"表头缺少必填列：{'、'.join(table.missing_required)}（表头在第{table.header_row}行）")
    report = ImportReport(kind=importer.kind, header_row=table.header_row, unknown_columns=table.unknown_columns)
    parsed: list[ParsedRow] = []
    check = model_checker(importer.targets())
    for count, sheet_row in enumerate(table.rows, start=1):
        row = importer.parse(sheet_row)
        check(row)
        if row.problems:
            row.source = sheet_row
        parsed.append(row)
        if count % 1000 == 0:
            progress(count, table.source_rows, "检查")
    progress(len(parsed), len(parsed), "检查")
    _classify(parsed, importer.find_existing([p for p in parsed if not p.problems and p.key], zone))
    importer.compare([p for p in parsed if p.action == "update"])
    report.columns = list(table.columns) + list(table.unknown_columns)
    _fill_report(report, parsed)
    return report, parsed


def importer_cell(value: Any) -> Any:
    """A cell of a refused row as it can be stored (JSON) and written back to a sheet unchanged."""
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if not getattr(value, "hour", 0) else value.isoformat()
    return str(value)


def _classify(parsed: Iterable[ParsedRow], existing: dict[str, int]) -> None:
    first_seen: dict[str, ParsedRow] = {}
    for p in parsed:
        if p.problems:
            p.action = "refuse"
        elif p.key and p.key in first_seen:
            earlier = first_seen[p.key]
            p.action, p.of = "duplicate", f"第{earlier.row}行（{earlier.label}）"
        else:
            if p.key:
                first_seen[p.key] = p
            p.existing_pk = existing.get(p.key) if p.key else None
            p.action = "update" if p.existing_pk else "create"


def _fill_report(report: ImportReport, parsed: Sequence[ParsedRow]) -> None:
    report.rows = len(parsed)
    for p in parsed:
        if p.action == "create":
            report.created += 1
        elif p.action == "update":
            report.updated += 1
            if p.changes is not None:
                report.changes.append(p.changes)
        elif p.action == "duplicate":
            report.duplicates.append({"row": p.row, "of": p.of})
        else:
            report.refused.extend({"row": p.row, "column": c, "reason": r} for c, r in p.problems)
            if p.source is not None:
                cells = {k: v for k, v in (p.source.values | p.source.extra).items() if v is not None}
                report.refused_cells.append({
                    "row": p.row, "cells": {k: importer_cell(v) for k, v in cells.items()},
                    "reason": "；".join(f"{c}：{r}" for c, r in p.problems)})


def run_import(
    kind: str,
    source: str | IO[bytes],
    *,
    filename: str | None,
    zone: Zone,
    user: User | None,
    dry_run: bool,
    progress: Progress = _noop,
    request: HttpRequest | None = None,
    multi_value: str = MERGE,
) -> ImportReport:
    """Preview (dry_run) or write a spreadsheet; writing is all-or-nothing."""
    importer = get_importer(kind)
    report, parsed = plan_import(importer, source, filename=filename, zone=zone, progress=progress)
    if dry_run:
        return report
    writing = [p for p in parsed if p.action in ("create", "update")]
    progress(0, len(writing), "写入")
    reporting = _write_progress.set(progress)
    try:
        with transaction.atomic():
            importer.write(writing, zone=zone, user=user, multi_value=multi_value)
            report.written = True
            audit_record(
                action="import",
                request=request,
                user=user,
                object_type=kind,
                object_repr=f"{importer.label}：{filename or source}",
                detail={k: v for k, v in report.as_json().items() if k in ("created", "updated", "rows")}
                | {"duplicates": len(report.duplicates), "refused": len(report.refused), "zone": zone.code},
            )
    finally:
        _write_progress.reset(reporting)
    progress(report.rows, report.rows, "完成")
    return report


# --- fast inserts for large imports ----------------------------------------------------------------------

# Fields whose value, when it already has the right Python type, goes to the database unchanged. Exact classes
# only: a subclass (an encrypted text field…) prepares its values itself.
_PASS_THROUGH: dict[type[Field], type] = {CharField: str, TextField: str, SlugField: str, BooleanField: bool}
INSERT_BATCH = 2000


def _preparer(field: Field, connection: Any, now: Any) -> Callable[[dict[str, Any]], Any]:
    """How one column's database value is made from a row: as the ORM would prepare it for bulk_create."""
    attname = field.attname
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        stamped = field.get_db_prep_save(now, connection)
        return lambda row: stamped
    default = field.get_default()
    fast = _PASS_THROUGH.get(type(field))
    prep = field.get_db_prep_save

    def prepare(row: dict[str, Any]) -> Any:
        value = row.get(attname, default)
        if value is None or value.__class__ is fast:
            return value
        return prep(value, connection)

    return prepare


def search_after_bulk_write(model: type[models.Model]) -> None:
    """A bulk write fires no signals, so the model's search index is taken out of use (lists fall back to
    icontains: no row goes missing) and rebuilt in the task worker once the write commits."""
    from rencai.core import search

    if search.registered(model) is None:
        return
    search.mark_stale(model)
    label = model._meta.label_lower
    transaction.on_commit(lambda: search.reindex_task.enqueue(label))


def bulk_insert(
    model: type[models.Model], rows: Iterable[dict[str, Any]], *, total: int, done: int = 0,
    batch_size: int = INSERT_BATCH,
) -> None:
    """INSERT plain rows (field attname, e.g. zone_id → Python value) with one prepared statement, in batches.

    bulk_create without building a model instance per row: for a 100,000-row import Django's per-instance and
    per-value machinery costs more than the database. Each value is still prepared by its field (encryption, JSON,
    dates), a missing field gets its default and auto_now fields the current time. Like bulk_create: no save(),
    no signals, no primary keys returned. rows may be a generator (only one batch is held at a time); progress
    goes through write_progress(), counting on from done out of total.
    """
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    known = {f.attname for f in fields}
    preparers = [_preparer(f, connection, timezone.now()) for f in fields]
    quote = connection.ops.quote_name
    # Identifiers come from the model's meta and are quoted; every value is a query parameter.
    columns = ", ".join(quote(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    remaining, first = iter(rows), True
    with connection.cursor() as cursor:
        while batch := list(islice(remaining, batch_size)):
            if first and (unknown := set(batch[0]) - known):  # Model(**row) would refuse these too
                raise TypeError(f"{model.__name__} has no field(s) {', '.join(sorted(unknown))}")
            first = False
            cursor.executemany(sql, [[prepare(row) for prepare in preparers] for row in batch])
            done += len(batch)
            write_progress(done, total)
    search_after_bulk_write(model)


def bulk_update_all(
    model: type[models.Model], objects: Sequence[models.Model], *, total: int, done: int = 0
) -> None:
    """Write every field of already saved instances back (auto_now fields get the current time), with one
    prepared UPDATE per row sent in a single executemany.

    Django's bulk_update builds a CASE WHEN per field and object: for thousands of rows with thirty fields that
    costs seconds of CPU per batch. As with bulk_update: no save(), no signals. Progress as in bulk_insert.
    """
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key and not getattr(f, "auto_now_add", False)]
    preparers = [_preparer(f, connection, timezone.now()) for f in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(objects), INSERT_BATCH):
            batch = objects[start : start + INSERT_BATCH]
            cursor.executemany(sql, [
                [prepare({f.attname: getattr(obj, f.attname) for f in fields}) for prepare in preparers] + [obj.pk]
                for obj in batch
            ])
            write_progress(done + start + len(batch), total)
    search_after_bulk_write(model)
