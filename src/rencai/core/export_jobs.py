"""Large exports never run inside a request: the worker replays the list's export as the user who asked.

A list page's export (core.exports.export_queryset) with more rows than RENCAI_EXPORT_INLINE_ROWS answers with a
job page instead of a file. The task resolves the same URL with the same query, as the same user, and calls the
same view: so the rows, their scope, their masking and the audit entry are exactly those of an immediate export,
and no list has to describe its export twice. The rows stream into a write-only workbook on private storage; the
page polls the progress; the user is told in the inbox; the file is deleted after RENCAI_EXPORT_KEEP_HOURS.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.cache import SessionStore
from django.core.files import File
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.test import RequestFactory
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django_tasks import task

from rencai.core.access import AuthedRequest
from rencai.core.audit import audit_record, client_ip
from rencai.core.export_models import ExportJob
from rencai.core.inbox import notify
from rencai.core.notices import EXPORT_READY

PROGRESS_EVERY = 1000  # rows between two progress writes
INTERRUPTED = "生成导出文件时后台进程中断，文件没有生成。可以点击“重新导出”再试一次。"
FAILED = "生成导出文件时发生内部错误，文件没有生成，请联系管理员。"
NOT_EXPORTABLE = "这个地址不是可以在后台生成的导出，文件没有生成。"
NO_LONGER_ALLOWED = "您现在已无权使用这个导出（账号已停用或角色已改变），文件没有生成。"
EXPIRED = "导出文件含个人信息，保留期已过，已删除；如需要请重新导出。"


def inline_limit() -> int:
    return int(getattr(settings, "RENCAI_EXPORT_INLINE_ROWS", 5000))


def keep_hours() -> int:
    return int(getattr(settings, "RENCAI_EXPORT_KEEP_HOURS", 24))


def running_job(request: HttpRequest) -> ExportJob | None:
    """The export job this (replayed) request writes, or None for an ordinary request."""
    return getattr(request, "export_job", None)


def export_job_start(request: AuthedRequest, *, title: str, rows_total: int) -> HttpResponse:
    """Record the export the user asked for and hand it to the worker; the answer is the job's page."""
    with transaction.atomic():
        job = ExportJob.objects.create(
            user=request.user, title=title[:200], path=request.path[:300], query=dict(request.GET.lists()),
            address=client_ip(request), rows_total=rows_total)
        transaction.on_commit(lambda: export_run.enqueue(job.pk))
    return redirect("core:export_job", pk=job.pk)


def export_job_retry(*, job: ExportJob, request: HttpRequest) -> ExportJob:
    """A failed or expired export asked for again: a new job with the same list and filters."""
    with transaction.atomic():
        again = ExportJob.objects.create(user=job.user, title=job.title, path=job.path, query=job.query,
                                         address=client_ip(request), rows_total=job.rows_total)
        transaction.on_commit(lambda: export_run.enqueue(again.pk))
    return again


def stream_rows(job: ExportJob, rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    """Pass the rows through to the workbook, writing the progress every PROGRESS_EVERY rows."""
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % PROGRESS_EVERY == 0:
            ExportJob.objects.filter(pk=job.pk).update(rows_done=done)
    ExportJob.objects.filter(pk=job.pk).update(rows_done=done)
    job.rows_done = done


def save_workbook(job: ExportJob, filename: str, write: Any) -> None:
    """`write(target)` writes the workbook into a temporary file, which is then kept on private storage."""
    handle, temp_path = tempfile.mkstemp(suffix=".xlsx")
    try:
        with os.fdopen(handle, "w+b") as target:
            write(target)
            target.seek(0)
            job.file.save(filename, File(target), save=False)
    finally:
        os.unlink(temp_path)
    job.filename = filename[:200]
    job.export_written = True  # type: ignore[attr-defined]


def _replayed_request(job: ExportJob) -> HttpRequest:
    query = QueryDict(mutable=True)
    for name, values in job.query.items():
        query.setlist(name, values)
    request = RequestFactory().get(job.path, data=query, REMOTE_ADDR=job.address or "127.0.0.1")
    request.user = job.user
    request.session = SessionStore()
    request.export_job = job  # type: ignore[attr-defined]
    from django_htmx.middleware import HtmxDetails

    request.htmx = HtmxDetails(request)  # type: ignore[attr-defined]
    return request


def _claim(job_id: int) -> ExportJob | None:
    if ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
            status=ExportJob.Status.RUNNING) != 1:
        return None  # already run (a retried task) or no longer wanted
    return ExportJob.objects.select_related("user").get(pk=job_id)


def _fail(job: ExportJob, reason: str) -> None:
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED, error=reason,
                                               finished_at=timezone.now())


@task()
def export_run(job_id: int) -> None:
    job = _claim(job_id)
    if job is None:
        return
    try:
        match = resolve(job.path)
    except Resolver404:
        _fail(job, NOT_EXPORTABLE)
        return
    roles: frozenset[str] = getattr(match.func, "allowed_roles", frozenset())
    if not job.user.is_active or job.user.role not in roles:
        _fail(job, NO_LONGER_ALLOWED)
        return
    try:
        match.func(_replayed_request(job), *match.args, **match.kwargs)
    except Exception:
        _fail(job, FAILED)
        raise
    if not getattr(job, "export_written", False):
        _fail(job, NOT_EXPORTABLE)
        return
    job.status, job.finished_at = ExportJob.Status.DONE, timezone.now()
    job.save(update_fields=["status", "finished_at", "file", "filename", "rows_done"])
    notify(recipients=[job.user], kind=EXPORT_READY, subject=job,
           text=f"导出文件“{job.title}”（{job.rows_done} 行）已生成，可以下载；{keep_hours()} 小时后删除。",
           url=reverse("core:export_job", kwargs={"pk": job.pk}))


def export_download(*, job: ExportJob, request: HttpRequest) -> Any:
    """The finished file, opened for the response; the download is audited (the export itself already was)."""
    audit_record(action="export", request=request, obj=job, object_repr=f"下载导出文件：{job.filename}",
                 detail={"rows": job.rows_done, "export_job": job.pk})
    return job.file.open("rb")


def export_stale_check(stale: Sequence[Any]) -> int:
    """Registered with core.schedule.register_stale_check: an export whose worker died is failed with a reason."""
    ids = [int(s.args[0]) for s in stale if s.task_path == export_run.module_path and s.args]
    return ExportJob.objects.filter(pk__in=ids, status__in=[ExportJob.Status.QUEUED, ExportJob.Status.RUNNING]) \
        .update(status=ExportJob.Status.FAILED, error=INTERRUPTED, finished_at=timezone.now())


def expire_exports(day: date | None = None) -> dict[str, Any]:
    """The daily job: files older than the retention are deleted (they may hold revealed personal data)."""
    cutoff = timezone.now() - timedelta(hours=keep_hours())
    expired = 0
    for job in ExportJob.objects.filter(status=ExportJob.Status.DONE, finished_at__lt=cutoff):
        if job.file:
            job.file.delete(save=False)
        expired += ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.DONE).update(
            status=ExportJob.Status.EXPIRED, file="", error=EXPIRED)
    return {"expired": expired}
