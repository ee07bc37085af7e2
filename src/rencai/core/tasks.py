"""Background work for imports: checking a file (preview) and writing it, each claimed atomically."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django_tasks import task

from rencai.core.imports import run_import
from rencai.core.models import ImportJob
from rencai.core.spreadsheet import SpreadsheetError


def progress_key(job_id: int) -> str:
    return f"rencai:import-progress:{job_id}"


def _claim(job_id: int, expected: str, running: str) -> ImportJob | None:
    """Move the job on only if it is still where we expect it; a retried task then does nothing."""
    with transaction.atomic():
        if ImportJob.objects.filter(pk=job_id, status=expected).update(status=running) != 1:
            return None
    return ImportJob.objects.select_related("zone", "created_by").get(pk=job_id)


def _reporter(job_id: int):  # type: ignore[no-untyped-def]
    def report(done: int, total: int | None, phase: str) -> None:
        cache.set(progress_key(job_id), {"done": done, "total": total or 0, "phase": phase}, 3600)

    return report


def _run(job: ImportJob, *, dry_run: bool) -> None:
    with job.file.open("rb") as handle:
        report = run_import(job.kind, handle, filename=job.filename, zone=job.zone, user=job.created_by,
                            dry_run=dry_run, progress=_reporter(job.pk))
    field = "preview" if dry_run else "result"
    setattr(job, field, report.as_json() | {"header_row": report.header_row})
    job.status = ImportJob.Status.PREVIEWED if dry_run else ImportJob.Status.DONE
    job.progress_done = job.progress_total = report.rows
    job.save(update_fields=[field, "status", "progress_done", "progress_total"])


def _fail(job: ImportJob, message: str) -> None:
    job.status, job.error = ImportJob.Status.FAILED, message
    job.save(update_fields=["status", "error"])


@task()
def import_preview(job_id: int) -> None:
    job = _claim(job_id, ImportJob.Status.UPLOADED, ImportJob.Status.PREVIEWING)
    if job is None:
        return
    try:
        _run(job, dry_run=True)
    except SpreadsheetError as exc:
        _fail(job, str(exc))


@task()
def import_write(job_id: int) -> None:
    job = _claim(job_id, ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)
    if job is None:
        return
    try:
        _run(job, dry_run=False)
    except SpreadsheetError as exc:
        _fail(job, str(exc))
    except Exception:
        _fail(job, "导入时发生内部错误，数据库未做任何修改，请联系管理员")
        raise
