"""Background work for imports: checking a file (preview) and writing it, each claimed atomically.

An upload holds personal data in plaintext, so it lives only as long as its job: it is deleted when the job is
done, when it fails on the file itself, and when a preview is abandoned (never confirmed). A job whose worker
died (SIGKILL, power cut) stops beating; the stale check fails it with a reason and keeps its file a while so
the user can run it again from the job page.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_tasks import task

from rencai.core.audit import audit_record
from rencai.core.crypto import decrypt, encrypt
from rencai.core.imports import OUT_OF_MEMORY, ImportReport, run_import
from rencai.core.models import ImportJob
from rencai.core.spreadsheet import SpreadsheetError

# A preview not confirmed within this time is abandoned: its file is deleted, the job failed.
ABANDON_AFTER = timedelta(hours=24)
BEAT_SECONDS = 5  # at most one heartbeat write per this many seconds
INTERRUPTED = ("导入任务在处理中中断（工作进程已停止或被终止），数据库未做任何修改。"
               "可以点击“重新检查”再次运行。")
ABANDONED = "预览后 24 小时内未确认，导入已作废，上传的文件已删除。如需导入，请重新上传。"
WORKING = (ImportJob.Status.PREVIEWING, ImportJob.Status.RUNNING)


def progress_key(job_id: int) -> str:
    return f"rencai:import-progress:{job_id}"


def beat_key(job_id: int) -> str:
    return f"rencai:import-beat:{job_id}"


def mark_beat(job_id: int, *, at: datetime | None = None) -> None:
    """The worker is alive. Kept in the cache (shared by the worker and the scheduler through its file backend),
    not the database: the write runs in one long transaction whose row updates no one else could see."""
    cache.set(beat_key(job_id), (at or timezone.now()).timestamp(), int(ABANDON_AFTER.total_seconds()))


def _claim(job_id: int, expected: str, running: str) -> ImportJob | None:
    """Move the job on only if it is still where we expect it; a retried task then does nothing."""
    with transaction.atomic():
        if ImportJob.objects.filter(pk=job_id, status=expected).update(status=running,
                                                                       started_at=timezone.now()) != 1:
            return None
    mark_beat(job_id)
    return ImportJob.objects.select_related("zone", "created_by").get(pk=job_id)


def _reporter(job_id: int):
    last = 0.0

    def report(done: int, total: int | None, phase: str) -> None:
        nonlocal last
        cache.set(progress_key(job_id), {"done": done, "total": total or 0, "phase": phase}, 3600)
        if time.monotonic() - last >= BEAT_SECONDS:
            last = time.monotonic()
            mark_beat(job_id)

    return report


def discard_file(job: ImportJob) -> None:
    """Delete the upload (it holds ID numbers and phones); the job keeps only its filename and counts."""
    if job.file:
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")


def _kept(report: ImportReport) -> dict[str, Any]:
    """What the job keeps of a report: the counts and reasons, and the refused rows' cells encrypted with the
    field key (they hold ID numbers and phones) so they can be handed back as an .xlsx after the file is gone."""
    kept = report.as_json() | {"header_row": report.header_row, "columns": report.columns}
    if report.refused_cells:
        kept["refused_cells"] = encrypt(json.dumps(report.refused_cells, ensure_ascii=False))
    return kept


def refused_cells(job: ImportJob) -> list[dict[str, Any]]:
    """The refused rows of the job's last check or write: [{"row", "cells", "reason"}]."""
    data = job.result if job.status == ImportJob.Status.DONE else job.preview
    token = data.get("refused_cells")
    return json.loads(decrypt(token)) if token else []


def _run(job: ImportJob, *, dry_run: bool) -> None:
    with job.file.open("rb") as handle:
        report = run_import(job.kind, handle, filename=job.filename, zone=job.zone, user=job.created_by,
                            dry_run=dry_run, progress=_reporter(job.pk), multi_value=job.multi_value)
    field = "preview" if dry_run else "result"
    setattr(job, field, _kept(report))
    job.status = ImportJob.Status.PREVIEWED if dry_run else ImportJob.Status.DONE
    job.progress_done = job.progress_total = report.rows
    job.save(update_fields=[field, "status", "progress_done", "progress_total"])
    if not dry_run:
        discard_file(job)


def _fail(job: ImportJob, message: str, *, keep_file: bool = False) -> None:
    job.status, job.error = ImportJob.Status.FAILED, message
    job.save(update_fields=["status", "error"])
    if not keep_file:
        discard_file(job)


@task()
def import_preview(job_id: int) -> None:
    job = _claim(job_id, ImportJob.Status.UPLOADED, ImportJob.Status.PREVIEWING)
    if job is None:
        return
    try:
        _run(job, dry_run=True)
    except SpreadsheetError as exc:
        _fail(job, str(exc))
    except MemoryError:
        _fail(job, OUT_OF_MEMORY)
    except Exception:
        _fail(job, "检查文件时发生内部错误，数据库未做任何修改，请联系管理员", keep_file=True)
        raise


@task()
def import_write(job_id: int) -> None:
    job = _claim(job_id, ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)
    if job is None:
        return
    try:
        _run(job, dry_run=False)
    except SpreadsheetError as exc:
        _fail(job, str(exc))
    except MemoryError:
        _fail(job, OUT_OF_MEMORY)
    except Exception:
        _fail(job, "导入时发生内部错误，数据库未做任何修改，请联系管理员", keep_file=True)
        raise


def import_job_retry(*, job: ImportJob, by: Any, request: HttpRequest | None = None) -> bool:
    """Run a failed job again from its kept file: checked afresh (the register may have changed since), then
    confirmed by the user as before. False when the job is not failed or its file is gone."""
    if not job.file:
        return False
    with transaction.atomic():
        again = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.FAILED).update(
            status=ImportJob.Status.UPLOADED, error="", preview={}, result={}, started_at=None,
            progress_done=0, progress_total=0)
        if again == 1:
            audit_record(action="import_retry", request=request, user=by, obj=job,
                         object_repr=f"重新检查导入：{job.filename}", detail={"kind": job.kind, "error": job.error})
    if again != 1:
        return False
    cache.delete(progress_key(job.pk))
    import_preview.enqueue(job.pk)
    return True


def import_stale_check(stale: Sequence[Any]) -> int:
    """Registered with rencai.core.schedule.register_stale_check: `stale` are the background tasks the scheduler
    just found dead (their worker is gone) and marked failed. Their import jobs are failed with a reason, whatever
    step they were at; then jobs whose own heartbeat stopped longer than the task lease ago, and abandoned ones."""
    from rencai.core.schedule import lease_seconds

    ours = (import_preview.module_path, import_write.module_path)
    ids = [int(s.args[0]) for s in stale if s.task_path in ours and s.args]
    failed = ImportJob.objects.filter(pk__in=ids, status__in=[*WORKING, ImportJob.Status.UPLOADED,
                                                              ImportJob.Status.QUEUED]).update(
        status=ImportJob.Status.FAILED, error=INTERRUPTED)
    return failed + fail_stale_import_jobs(timezone.now() - timedelta(seconds=lease_seconds()))


def fail_stale_import_jobs(expiry: datetime | timedelta) -> int:
    """The scheduler's stale check: a checking or writing job whose heartbeat is older than expiry is dead
    (its worker was killed; its transaction was rolled back): fail it with a reason, keeping its file so it can
    be run again. Also abandons previews never confirmed, and deletes files of jobs failed long ago.
    Returns how many jobs it failed."""
    cutoff = timezone.now() - expiry if isinstance(expiry, timedelta) else expiry
    failed = 0
    for job in ImportJob.objects.filter(status__in=WORKING, started_at__lt=cutoff):
        beat = cache.get(beat_key(job.pk))
        if beat is not None and beat >= cutoff.timestamp():
            continue
        # Conditional: a job that finished meanwhile is left as it is.
        failed += ImportJob.objects.filter(pk=job.pk, status=job.status).update(
            status=ImportJob.Status.FAILED, error=INTERRUPTED)
    abandoned_before = timezone.now() - ABANDON_AFTER
    for job in ImportJob.objects.filter(status=ImportJob.Status.PREVIEWED, created_at__lt=abandoned_before):
        if ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWED).update(
                status=ImportJob.Status.FAILED, error=ABANDONED) == 1:
            discard_file(job)
            failed += 1
    ended = (ImportJob.Status.FAILED, ImportJob.Status.DONE)
    for job in ImportJob.objects.filter(status__in=ended, created_at__lt=abandoned_before).exclude(file=""):
        discard_file(job)  # kept for a retry that never came, or left by a worker killed after its commit
    return failed
