"""Upload a spreadsheet, read the preview, confirm: the web side of core.imports."""

from __future__ import annotations

from typing import cast

from django import forms
from django.core.cache import cache
from django.forms import ModelChoiceField
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rencai.core.access import AuthedRequest, allow
from rencai.core.audit import audit_record
from rencai.core.exports import xlsx_response
from rencai.core.imports import MERGE, REPLACE, import_limits, importers, refused_sheets, template_sheets
from rencai.core.models import ImportJob, Zone
from rencai.core.roles import REGISTER_WRITERS
from rencai.core.scoping import get_visible_or_404
from rencai.core.spreadsheet import too_large
from rencai.core.tasks import import_job_retry, import_preview, import_write, progress_key, refused_cells

ACCEPT = ".xlsx,.csv"


class UploadForm(forms.Form):
    file = forms.FileField(label="表格文件", help_text="支持 .xlsx 与 .csv（UTF-8 或 GBK）",
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))
    zone = forms.ModelChoiceField(label="导入到", queryset=Zone.objects.none(), empty_label=None)

    def __init__(self, *args, zones, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(ModelChoiceField, self.fields["zone"]).queryset = zones

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError("只支持 .xlsx 或 .csv 文件；.xls 请先在 Excel 中另存为 .xlsx")
        refusal = too_large(upload.size, import_limits().max_bytes)
        if refusal:
            raise forms.ValidationError(refusal)
        return upload


def _importer_or_404(kind: str):
    found = importers().get(kind)
    if found is None:
        raise Http404
    return found


@allow(*REGISTER_WRITERS)
def import_start(request: AuthedRequest, kind: str) -> HttpResponse:
    importer = _importer_or_404(kind)
    zones = request.user.visible_zones()
    form = UploadForm(request.POST or None, request.FILES or None, zones=zones,
                      initial={"zone": request.user.zone_id or zones.first()})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = ImportJob.objects.create(kind=kind, file=upload, filename=upload.name, zone=form.cleaned_data["zone"],
                                       created_by=request.user)
        import_preview.enqueue(job.pk)
        return redirect("core:import_job", pk=job.pk)
    recent = ImportJob.objects.visible_to(request.user).filter(kind=kind)[:10]
    return render(request, "core/import_start.html", {"form": form, "importer": importer, "recent": recent})


def _job_for(request: AuthedRequest, pk: int) -> ImportJob:
    return get_visible_or_404(request.user, ImportJob.objects.select_related("zone"), pk=pk)


@allow(*REGISTER_WRITERS)
def import_job(request: AuthedRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    importer = _importer_or_404(job.kind)
    progress = cache.get(progress_key(job.pk)) or {}
    data = job.result if job.status == ImportJob.Status.DONE else job.preview
    refused_rows = len({r["row"] for r in data.get("refused", [])})
    context = {"job": job, "importer": importer, "progress": progress, "data": data, "refused_rows": refused_rows,
               "changed": [c for c in data.get("changes", []) if c["fields"]],
               "unchanged": sum(1 for c in data.get("changes", []) if not c["fields"]),
               "has_multi": any(f.get("multi") for c in data.get("changes", []) for f in c["fields"]),
               "busy": job.status in (ImportJob.Status.UPLOADED, ImportJob.Status.PREVIEWING,
                                      ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)}
    template = "core/import_job.html#job" if request.htmx else "core/import_job.html"
    return render(request, template, context)


@allow(*REGISTER_WRITERS)
def import_template(request: AuthedRequest, kind: str) -> HttpResponse:
    """The register's template .xlsx: its headers exactly, an example row, a sheet of notes."""
    importer = _importer_or_404(kind)
    return xlsx_response(f"{importer.label}导入模板", template_sheets(importer))


@allow(*REGISTER_WRITERS)
def import_refused(request: AuthedRequest, pk: int) -> HttpResponse:
    """The refused rows as an .xlsx with a 拒绝原因 column: fix them and upload the file again."""
    job = _job_for(request, pk)
    importer = _importer_or_404(job.kind)
    rows = refused_cells(job)
    if not rows:
        raise Http404
    data = job.result if job.status == ImportJob.Status.DONE else job.preview
    audit_record(action="export", request=request, obj=job, object_repr=f"导出被拒绝的行：{job.filename}",
                 detail={"rows": len(rows), "kind": job.kind})
    return xlsx_response(f"{importer.label}被拒绝的行", refused_sheets(importer, data.get("columns", []), rows))


@allow(*REGISTER_WRITERS)
@require_POST
def import_retry(request: AuthedRequest, pk: int) -> HttpResponse:
    """Run a failed job again from its kept file (after a worker was killed, for instance)."""
    import_job_retry(job=_job_for(request, pk), by=request.user, request=request)
    return redirect("core:import_job", pk=pk)


@allow(*REGISTER_WRITERS)
@require_POST
def import_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    multi_value = REPLACE if request.POST.get("multi_value") == REPLACE else MERGE
    if ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWED).update(
            status=ImportJob.Status.QUEUED, multi_value=multi_value) == 1:
        import_write.enqueue(job.pk)
    return redirect("core:import_job", pk=job.pk)
