"""Spreadsheet import with a preview: every register's importer plugs into the same flow.

Read (core.spreadsheet) → parse each row into clean data or refusals → find duplicates in the file and
matches in the database → report. Writing happens only on confirmation, all rows in one transaction,
so a refused row, a crash or a killed process leaves the database as it was.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from itertools import islice
from typing import IO, Any

from django.db import connections, models, router, transaction
from django.db.models import BooleanField, CharField, Field, SlugField, TextField
from django.utils import timezone

from rencai.core.audit import audit_record
from rencai.core.models import User, Zone
from rencai.core.spreadsheet import SheetRow, SpreadsheetError, read_table

Progress = Callable[[int, int | None, str], None]
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
        }


class Importer(ABC):
    kind: str
    label: str
    columns: Sequence[str]
    required: Sequence[str]

    @abstractmethod
    def parse(self, row: SheetRow) -> ParsedRow: ...

    @abstractmethod
    def find_existing(self, rows: Sequence[ParsedRow], zone: Zone) -> dict[str, int]:
        """Map row keys to the primary keys of records already in the register."""

    @abstractmethod
    def write(self, rows: Sequence[ParsedRow], *, zone: Zone, user: User | None) -> None:
        """Create and update records for rows marked create/update; runs inside the import transaction."""

    def model(self) -> type[models.Model]:
        raise NotImplementedError


_REGISTRY: dict[str, Importer] = {}


def register_importer(importer: Importer) -> None:
    _REGISTRY[importer.kind] = importer


def get_importer(kind: str) -> Importer:
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise SpreadsheetError(f"不支持导入“{kind}”，可导入：{'、'.join(_REGISTRY)}") from None


def importers() -> dict[str, Importer]:
    return dict(_REGISTRY)


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
    table = read_table(source, known_columns=importer.columns, required=importer.required, filename=filename)
    if table.missing_required:
        raise SpreadsheetError(f"表头缺少必填列：{'、'.join(table.missing_required)}（表头在第{table.header_row}行）")
    report = ImportReport(kind=importer.kind, header_row=table.header_row, unknown_columns=table.unknown_columns)
    parsed: list[ParsedRow] = []
    for count, sheet_row in enumerate(table.rows, start=1):
        parsed.append(importer.parse(sheet_row))
        if count % 1000 == 0:
            progress(count, table.source_rows, "检查")
    progress(len(parsed), len(parsed), "检查")
    _classify(parsed, importer.find_existing([p for p in parsed if not p.problems and p.key], zone))
    _fill_report(report, parsed)
    return report, parsed


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
        elif p.action == "duplicate":
            report.duplicates.append({"row": p.row, "of": p.of})
        else:
            report.refused.extend({"row": p.row, "column": c, "reason": r} for c, r in p.problems)


def run_import(
    kind: str,
    source: str | IO[bytes],
    *,
    filename: str | None,
    zone: Zone,
    user: User | None,
    dry_run: bool,
    progress: Progress = _noop,
    request: Any = None,
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
            importer.write(writing, zone=zone, user=user)
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
