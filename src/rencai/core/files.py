"""Uploaded files are never public: every attachment link goes through a view that checks scope.

`/media/...` is not served at all (uploads hold ID scans, contracts, meeting minutes). A view that shows a
file link points at a small view of its own app, which calls `serve_attachment(request, obj, field)`:
the row is fetched again through its declared scope (out of scope → 404 and an audit row), the download
is audited, and the file is streamed as a download (never rendered inline, so an uploaded HTML page cannot
run in the site's origin).
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from django.db import models
from django.http import FileResponse, Http404, HttpRequest

from rencai.core.audit import audit_record
from rencai.core.scoping import get_visible_or_404


def attachment_name(file: Any) -> str:
    return PurePosixPath(file.name).name


def serve_attachment(request: HttpRequest, obj: models.Model, field: str) -> FileResponse:
    """The file in `obj.<field>`, to a user whose scope includes `obj`; 404 otherwise or when there is none."""
    user: Any = request.user  # an anonymous visitor never gets here (every view declares its roles)
    visible = get_visible_or_404(user, type(obj), pk=obj.pk)
    file = getattr(visible, field)
    if not file:
        raise Http404(f"{visible._meta.verbose_name}没有上传{visible._meta.get_field(field).verbose_name}")
    try:
        handle = file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404(f"{visible._meta.get_field(field).verbose_name}文件已不存在") from exc
    audit_record(action="view", request=request, obj=visible, detail={"file": file.name, "field": field})
    return FileResponse(handle, as_attachment=True, filename=attachment_name(file))
