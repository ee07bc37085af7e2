"""The statistics pages' shared half: a "picture" (a dict of figures and of (label, count) lists) served as
JSON for the page's ECharts and as an .xlsx workbook, audited. Each app computes its picture in selectors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

from rencai.core.audit import audit_record
from rencai.core.exports import xlsx_response

Sheet = tuple[str, Sequence[str], list[list[Any]]]


def picture_json(picture: dict[str, Any]) -> JsonResponse:
    """Lists of (label, count) become ECharts' [{"name", "value"}]; single figures pass as they are."""
    return JsonResponse({k: ([{"name": a, "value": b} for a, b in v] if isinstance(v, list) else v)
                         for k, v in picture.items()}, json_dumps_params={"ensure_ascii": False})


def picture_xlsx(request: HttpRequest, *, picture: dict[str, Any], sheets: Sequence[tuple[str, str, str]],
                 title: str, object_type: str, count_header: str = "数量", first: Sequence[Sheet] = (),
                 last: Sequence[Sheet] = (), filters: dict[str, Any] | None = None) -> HttpResponse:
    """One sheet per (key, sheet title, label header) of the picture, with any extra sheets first or last."""
    audit_record(action="export", request=request, object_type=object_type, object_repr=f"导出{title}",
                 detail={"filters": filters or {}})
    body: list[Sheet] = [(name, [header, count_header], [list(row) for row in picture[key]])
                         for key, name, header in sheets]
    return xlsx_response(title, [*first, *body, *last])
