"""A large export's page: its progress while the worker writes it, then the download (core.export_jobs)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rencai.core.access import AuthedRequest, allow
from rencai.core.export_jobs import export_download, export_job_retry, keep_hours
from rencai.core.export_models import ExportJob
from rencai.core.exports import XLSX, attachment_header
from rencai.core.roles import Role
from rencai.core.scoping import get_visible_or_404

EVERYONE = tuple(Role.values)  # any signed-in user may export what their lists show; the job is theirs alone
BUSY = (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING)


@allow(*EVERYONE)
def export_list(request: AuthedRequest) -> HttpResponse:
    jobs = ExportJob.objects.visible_to(request.user).filter(user=request.user)[:50]
    return render(request, "core/export_list.html", {"jobs": jobs, "keep_hours": keep_hours()})


@allow(*EVERYONE)
def export_job(request: AuthedRequest, pk: int) -> HttpResponse:
    job = get_visible_or_404(request.user, ExportJob, pk=pk)
    context = {"job": job, "busy": job.status in BUSY, "keep_hours": keep_hours()}
    template = "core/export_job.html#job" if request.htmx else "core/export_job.html"
    return render(request, template, context)


@allow(*EVERYONE)
def export_file(request: AuthedRequest, pk: int) -> FileResponse:
    job = get_visible_or_404(request.user, ExportJob, pk=pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    response = FileResponse(export_download(job=job, request=request), content_type=XLSX)
    response["Content-Disposition"] = attachment_header(job.filename)
    return response


@allow(*EVERYONE)
@require_POST
def export_retry(request: AuthedRequest, pk: int) -> HttpResponse:
    job = get_visible_or_404(request.user, ExportJob, pk=pk)
    if job.status not in (ExportJob.Status.FAILED, ExportJob.Status.EXPIRED):
        return redirect("core:export_job", pk=job.pk)
    return redirect("core:export_job", pk=export_job_retry(job=job, request=request).pk)
