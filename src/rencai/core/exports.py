"""Excel exports of any list: same filters as the page, masked unless revealed with a reason, audited."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import quote

from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from rencai.core.access import AuthedRequest
from rencai.core.audit import audit_record
from rencai.core.sensitive import can_reveal, masked_value, may_reveal_any
from rencai.core.spreadsheet import write_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Column:
    """A column of an export: a header and how to get the cell; sensitive columns name their field."""

    def __init__(self, header: str, get: str | Callable[[Any], Any], *, sensitive: bool = False) -> None:
        self.header = header
        self.field = get if isinstance(get, str) else ""
        self.get = (lambda obj: getattr(obj, get)) if isinstance(get, str) else get
        self.sensitive = sensitive

    def value(self, obj: Model, user: Any, reveal: bool) -> Any:
        if self.sensitive:
            if reveal and can_reveal(user, obj, self.field):
                return getattr(obj, self.field)
            return masked_value(obj, self.field)
        value = self.get(obj)
        return "" if value is None else value


def xlsx_response(filename: str, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> HttpResponse:
    buffer = io.BytesIO()
    write_xlsx(buffer, sheets)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = attachment_header(_filename(filename))
    return response


def _filename(title: str) -> str:
    return f"{title}-{timezone.localtime().strftime('%Y%m%d-%H%M')}.xlsx"


def attachment_header(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"


def export_queryset(
    request: AuthedRequest,
    *,
    queryset: QuerySet,
    columns: Sequence[Column],
    title: str,
    filters: dict[str, Any],
) -> HttpResponse:
    """Full values only when asked for with a reason; the export and any reveal go to the audit log.

    More rows than RENCAI_EXPORT_INLINE_ROWS: the answer is a job page and the worker writes the file
    (core.export_jobs replays this same call there)."""
    from rencai.core.export_jobs import export_job_start, inline_limit, running_job, save_workbook, stream_rows

    job = running_job(request)
    if job is None:
        total = queryset.count()
        if total > inline_limit():
            return export_job_start(request, title=title, rows_total=total)
    reason = request.GET.get("reveal_reason", "").strip()
    # A role that may reveal none of the model's fields gets the masked file, and the log says so.
    reveal = bool(request.GET.get("reveal")) and len(reason) >= 2 and may_reveal_any(request.user, queryset.model)
    rows: Any = ([c.value(obj, request.user, reveal) for c in columns] for obj in queryset.iterator(chunk_size=2000))
    if job is not None:
        sheets = [(title, [c.header for c in columns], stream_rows(job, rows))]
        save_workbook(job, _filename(title), lambda target: write_xlsx(target, sheets))
        _audit_export(request, queryset, title, filters, job.rows_done, reveal, reason)
        return HttpResponse(status=204)
    rows = list(rows)
    _audit_export(request, queryset, title, filters, len(rows), reveal, reason)
    return xlsx_response(title, [(title, [c.header for c in columns], rows)])


def _audit_export(request: HttpRequest, queryset: QuerySet, title: str, filters: dict[str, Any], count: int,
                  reveal: bool, reason: str) -> None:
    audit_record(
        action="reveal" if reveal else "export",
        request=request,
        object_type=queryset.model._meta.label_lower,
        object_repr=f"导出{title}（{count}条）",
        detail={"rows": count, "filters": filters, "unmasked": reveal, "reason": reason if reveal else ""},
    )
    if reveal:
        audit_record(action="export", request=request, object_type=queryset.model._meta.label_lower,
                     object_repr=f"导出{title}（{count}条，含完整个人信息）", detail={"rows": count})
