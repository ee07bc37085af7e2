"""Scheduled work that runs by itself, and no background task left "running" after its worker died.

Apps register their jobs in ``AppConfig.ready()``::

    register_job("postdoc_daily", _("博士后期限提醒"), run=daily_job, daily_at="07:00")

``rencai scheduler`` (started by ``make demo``, a systemd unit in production, or ``rencai scheduler --once``
from cron) looks every 30 seconds for jobs whose slot — the latest scheduled time not in the future — has
no run yet. It claims the slot by inserting a ``JobRun`` row: (name, slot) is unique, so when two schedulers
race only one insert succeeds and the slot runs once. The run is handed to the task worker (``rencai
db_worker``) in the same transaction, so a claimed slot is never left without its task. A slot missed while
the scheduler was down runs once when it is back (only the latest one); a job whose previous run is still
queued or running waits for it instead of piling up. The office admin sees every job, its last run, what it
found and its next slot on ``/jobs/``, and may run it now (recorded as manual, audited).

Dead work: while a worker runs a task it keeps a ``TaskLease`` heartbeat, and a running ``JobRun`` keeps its
own. The every-minute job ``stale_work`` marks as failed, with a Chinese reason, every task and run whose
process is gone (same host: the process no longer exists) or whose heartbeat is older than
``RENCAI_TASK_LEASE_SECONDS`` (default 300; used when the process runs on another host), then calls the hooks
registered with ``register_stale_check(fn)``: ``fn(stale)`` receives the list of ``StaleTask`` just marked
failed (possibly empty: a hook may also sweep its own orphans) and returns how many of its records it marked
failed (or None). The import flow registers one so an ImportJob stuck in "running" becomes "failed" and can
be started again.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from rencai.core.schedule_models import JobRun, TaskLease

logger = logging.getLogger("rencai.schedule")

HOST = socket.gethostname()
WORKER_LOST = "rencai.core.schedule.WorkerLost"


class WorkerLost(Exception):  # noqa: N818 - the name the failed task result records
    """Recorded as the exception of a task whose worker died while running it."""


# --- the registry ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    name: str
    label: str | Promise
    run: Callable[[date], dict[str, Any]]
    daily_at: time | None = None
    every_minutes: int | None = None
    describe: Callable[[dict[str, Any]], str] | None = None

    @property
    def plan(self) -> str:
        if self.daily_at is not None:
            return f"每天 {self.daily_at:%H:%M}"
        return f"每 {self.every_minutes} 分钟"

    @property
    def frequent(self) -> bool:
        return self.every_minutes is not None and self.every_minutes < 60

    def current_slot(self, now: datetime) -> datetime:
        """The latest scheduled time not after `now` (local time of the installation)."""
        local = timezone.localtime(now)
        if self.daily_at is not None:
            slot = datetime.combine(local.date(), self.daily_at, tzinfo=local.tzinfo)
            if slot > local:
                slot = datetime.combine(local.date() - timedelta(days=1), self.daily_at, tzinfo=local.tzinfo)
            return slot
        assert self.every_minutes
        midnight = datetime.combine(local.date(), time(0), tzinfo=local.tzinfo)
        minutes = int((local - midnight).total_seconds() // 60)
        return midnight + timedelta(minutes=minutes - minutes % self.every_minutes)

    def next_slot(self, now: datetime) -> datetime:
        """The first scheduled time after `now`."""
        current = self.current_slot(now)
        if self.daily_at is not None:
            return datetime.combine(current.date() + timedelta(days=1), self.daily_at, tzinfo=current.tzinfo)
        assert self.every_minutes
        midnight = datetime.combine(current.date() + timedelta(days=1), time(0), tzinfo=current.tzinfo)
        return min(current + timedelta(minutes=self.every_minutes), midnight)

    def summary_text(self, summary: dict[str, Any] | None) -> str:
        if not summary:
            return ""
        if self.describe is not None:
            try:
                return self.describe(summary)
            except Exception:  # a describer must never break the jobs page
                logger.exception("describing the summary of %s failed", self.name)
        return "，".join(f"{key} {value}" for key, value in summary.items())


_JOBS: dict[str, Job] = {}
_STALE_CHECKS: list[Callable[[Sequence[StaleTask]], int | None]] = []


def _parse_time(text: str) -> time:
    try:
        hour, minute = (int(part) for part in text.split(":"))
        return time(hour, minute)
    except ValueError as exc:
        raise ValueError(f"daily_at 应为 HH:MM，例如 02:30，而不是 {text!r}") from exc


def register_job(name: str, label: str | Promise, *, run: Callable[[date], dict[str, Any]], daily_at: str | None = None,
                 every_minutes: int | None = None,
                 describe: Callable[[dict[str, Any]], str] | None = None) -> None:
    """Register a job: `run(day)` does the work for that local day and returns what it found, as JSON.

    Exactly one of `daily_at` ("HH:MM", local time) or `every_minutes` (slots from local midnight).
    `describe(summary)` turns the summary into the Chinese sentence the jobs page shows. Registering the
    same name again replaces the job (an app reloaded in tests).
    """
    if (daily_at is None) == (every_minutes is None):
        raise ValueError(f"{name}: 需要且只能给出 daily_at 或 every_minutes 之一")
    if every_minutes is not None and not 1 <= every_minutes <= 24 * 60:
        raise ValueError(f"{name}: every_minutes 应在 1 到 1440 之间")
    _JOBS[name] = Job(name=name, label=label, run=run, daily_at=_parse_time(daily_at) if daily_at else None,
                      every_minutes=every_minutes, describe=describe)


def unregister_job(name: str) -> None:
    _JOBS.pop(name, None)


def jobs() -> list[Job]:
    return list(_JOBS.values())


def get_job(name: str) -> Job:
    try:
        return _JOBS[name]
    except KeyError:
        raise LookupError(f"没有名为 {name} 的定时任务；已登记：{'、'.join(_JOBS) or '无'}") from None


@dataclass(frozen=True)
class StaleTask:
    """A background task found running in a worker that is gone, just marked failed."""

    id: str
    task_path: str
    args: list[Any]
    kwargs: dict[str, Any]
    started_at: datetime | None
    reason: str


def register_stale_check(fn: Callable[[Sequence[StaleTask]], int | None]) -> None:
    """`fn(stale)` runs in every `stale_work` run after dead tasks were marked failed; see the module text."""
    if fn not in _STALE_CHECKS:
        _STALE_CHECKS.append(fn)


# --- who runs it, and is it still alive ----------------------------------------------------------------


def lease_seconds() -> int:
    """RENCAI_TASK_LEASE_SECONDS: the setting, else the environment variable, else 300."""
    value = getattr(settings, "RENCAI_TASK_LEASE_SECONDS", None) or os.environ.get("RENCAI_TASK_LEASE_SECONDS")
    return int(value or 300)


def _proc_stat(pid: int) -> list[str] | None:
    """The fields after the command name in /proc/<pid>/stat, or None when there is no such process."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return text[text.rindex(")") + 2:].split()


def _start_mark(pid: int) -> str:
    """When the process started (clock ticks since boot), so a reused process number is not taken for it."""
    if not Path("/proc").is_dir():
        return ""
    fields = _proc_stat(pid)
    return fields[19] if fields and len(fields) > 19 else ""


def this_owner() -> str:
    return f"{HOST}:{os.getpid()}:{_start_mark(os.getpid())}"


def _process_alive(pid: int, start: str) -> bool:
    if Path("/proc").is_dir():
        fields = _proc_stat(pid)
        if fields is None or fields[0] in ("Z", "X"):  # gone, or killed and not yet reaped
            return False
        return not start or len(fields) <= 19 or fields[19] == start
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def dead_reason(owner: str, beat_at: datetime | None, now: datetime) -> str | None:
    """Why the process that owns this work is taken for dead, or None while it is alive.

    On this host the process table decides (exact, and a long write that delays the heartbeat is no death);
    for another host the lease decides: no heartbeat for RENCAI_TASK_LEASE_SECONDS.
    """
    host, _, rest = owner.partition(":")
    pid_text, _, start = rest.partition(":")
    if host == HOST and pid_text.isdigit():
        if _process_alive(int(pid_text), start):
            return None
        return f"执行它的后台进程（{host} 上的进程 {pid_text}）已不存在"
    lease = lease_seconds()
    if beat_at is None or (now - beat_at).total_seconds() > lease:
        return f"超过 {lease} 秒没有收到执行进程（{owner or '未知'}）的心跳"
    return None


def _failure_text(reason: str) -> str:
    return f"{reason}，任务没有做完，已标记为失败；可以重新运行。"


class Heartbeat:
    """Calls `beat()` every few seconds in a thread while work runs; errors only log (the work goes on)."""

    def __init__(self, beat: Callable[[], Any]) -> None:
        self._beat = beat
        self._stop = threading.Event()
        self._interval = max(1.0, min(60.0, lease_seconds() / 5))
        self._thread = threading.Thread(target=self._loop, name="rencai-heartbeat", daemon=True)

    def start(self) -> Heartbeat:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=10)

    def _loop(self) -> None:
        try:
            while not self._stop.wait(self._interval):
                try:
                    self._beat()
                except Exception:  # a locked SQLite file, a dropped connection: try again next beat
                    logger.warning("heartbeat failed", exc_info=True)
        finally:
            connection.close()


# --- the task lease, kept through django-tasks' signals in the worker process ---------------------------


def _is_db_backend(backend: Any) -> bool:
    try:
        from django_tasks_db.backend import DatabaseBackend
    except ImportError:  # pragma: no cover - the database backend is a dependency
        return False
    cls = backend if isinstance(backend, type) else type(backend)
    return issubclass(cls, DatabaseBackend)


_task_beats: dict[str, Heartbeat] = {}


def _on_task_started(sender: Any, task_result: Any, **kwargs: Any) -> None:
    if not _is_db_backend(sender):
        return
    task_id = str(task_result.id)
    try:
        now = timezone.now()
        TaskLease.objects.update_or_create(task_id=task_id, defaults={
            "task_path": task_result.task.module_path[:200], "owner": this_owner(), "started_at": now, "beat_at": now})
        _task_beats[task_id] = Heartbeat(
            lambda: TaskLease.objects.filter(task_id=task_id).update(beat_at=timezone.now())).start()
    except Exception:  # never stop a task from running because its lease could not be written
        logger.warning("could not write the lease of task %s", task_id, exc_info=True)


def _on_task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    if not _is_db_backend(sender):
        return
    task_id = str(task_result.id)
    beat = _task_beats.pop(task_id, None)
    if beat is not None:
        beat.stop()
    try:
        TaskLease.objects.filter(task_id=task_id).delete()
    except Exception:  # the sweep removes leases of finished tasks too
        logger.warning("could not remove the lease of task %s", task_id, exc_info=True)


def connect_signals() -> None:
    from django_tasks.signals import task_finished, task_started

    task_started.connect(_on_task_started, dispatch_uid="rencai.schedule.task_started")
    task_finished.connect(_on_task_finished, dispatch_uid="rencai.schedule.task_finished")


# --- claiming a slot and running it ---------------------------------------------------------------------


def _ahead_of_imports() -> dict[str, Any]:
    """Scheduled runs go ahead of queued imports where the backend orders by priority (the database one does);
    a Redis queue (RENCAI_TASK_BROKER) has no priorities, so there the option is left out."""
    from django_tasks import task_backends

    return {"priority": 10} if task_backends["default"].supports_priority else {}


@task(**_ahead_of_imports())
def run_job_task(run_id: int) -> dict[str, Any] | None:
    """The background task of one JobRun: safe to retry, a run already claimed is left alone."""
    return execute_run(run_id)


def _enqueue_is_transactional() -> bool:
    return _is_db_backend(run_job_task.get_backend())


def _enqueue(run: JobRun) -> None:
    result = run_job_task.enqueue(run.pk)
    JobRun.objects.filter(pk=run.pk).update(task_id=str(result.id))
    run.task_id = str(result.id)


def _claim(fields: dict[str, Any], *, then: Callable[[JobRun], Any] | None = None) -> JobRun | None:
    """Insert the run (None when its slot is taken) and hand it to the worker.

    With the database task backend the task row is written in the same transaction as the run, so a claimed
    slot always has its task; with another backend the task is enqueued right after the insert commits.
    """
    transactional = _enqueue_is_transactional()
    try:
        with transaction.atomic():
            run = JobRun.objects.create(**fields)
            if then is not None:
                then(run)
            if transactional:
                _enqueue(run)
    except IntegrityError:
        return None
    if not transactional:
        _enqueue(run)
    return run


def claim_slot(job: Job, slot: datetime) -> JobRun | None:
    """Claim one scheduled slot by insert; None when another scheduler (or an earlier pass) has it."""
    return _claim({"name": job.name, "slot": slot, "day": timezone.localtime(slot).date(),
                   "trigger": JobRun.Trigger.SCHEDULE})


def _task_result_row(task_id: str) -> Any:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(pk=task_id).only("status", "traceback").first()


def run_dead_reason(run: JobRun, now: datetime) -> str | None:
    """Why an unfinished run will never finish, or None while it may."""
    if run.status == JobRun.Status.RUNNING:
        return dead_reason(run.owner, run.heartbeat_at, now)
    if run.status != JobRun.Status.QUEUED:
        return None
    if run.task_id and _enqueue_is_transactional():
        try:
            row = _task_result_row(run.task_id)
        except ValidationError:
            row = None
        if row is None:
            return "它的后台任务记录已不存在"
        if row.status == "FAILED":
            last = (row.traceback or "").strip().splitlines()
            return f"它的后台任务失败（{last[-1] if last else '原因不明'}）"
        if row.status == "SUCCESSFUL":
            return "它的后台任务已结束，却没有运行该任务"
        return None  # READY: waiting for a worker; RUNNING: starting up
    if not run.task_id and (now - run.created_at).total_seconds() > lease_seconds():
        return "登记后没有交给后台任务进程"
    return None


def _fail_run(run: JobRun, reason: str, now: datetime) -> bool:
    return bool(JobRun.objects.filter(pk=run.pk, status__in=[JobRun.Status.QUEUED, JobRun.Status.RUNNING])
                .update(status=JobRun.Status.FAILED, finished_at=now, error=_failure_text(reason)))


def unfinished_run(name: str, now: datetime | None = None) -> JobRun | None:
    """The run of this job still queued or running, if any; a dead one is marked failed on the way."""
    now = now or timezone.now()
    for run in JobRun.objects.filter(name=name, status__in=[JobRun.Status.QUEUED, JobRun.Status.RUNNING]):
        reason = run_dead_reason(run, now)
        if reason is None:
            return run
        _fail_run(run, reason, now)
    return None


def run_due(now: datetime | None = None, *, names: Sequence[str] | None = None, inline: bool = False) -> list[JobRun]:
    """Claim every due slot and hand it to the worker (or, `inline`, run it here). Returns the runs claimed."""
    now = now or timezone.now()
    claimed: list[JobRun] = []
    for job in jobs():
        if names is not None and job.name not in names:
            continue
        slot = job.current_slot(now)
        if JobRun.objects.filter(name=job.name, slot=slot).exists() or unfinished_run(job.name, now):
            continue
        if inline:
            run = _claim_inline(job, slot=slot, day=timezone.localtime(slot).date(), trigger=JobRun.Trigger.SCHEDULE)
            if run is not None:
                _execute_quietly(run)
        else:
            run = claim_slot(job, slot)
        if run is not None:
            claimed.append(run)
    return claimed


def _claim_inline(job: Job, *, slot: datetime, day: date, trigger: str, by: Any = None) -> JobRun | None:
    try:
        with transaction.atomic():
            return JobRun.objects.create(name=job.name, slot=slot, day=day, trigger=trigger, by=by)
    except IntegrityError:
        return None


def _execute_quietly(run: JobRun) -> None:
    try:
        execute_run(run.pk)
    except Exception:  # recorded on the run; the scheduler goes on with the next job
        logger.exception("job %s failed", run.name)
    run.refresh_from_db()


def execute_run(run_id: int) -> dict[str, Any] | None:
    """Claim a queued run, run its job and record what it found (or why it failed, and re-raise)."""
    now = timezone.now()
    if not JobRun.objects.filter(pk=run_id, status=JobRun.Status.QUEUED).update(
            status=JobRun.Status.RUNNING, started_at=now, heartbeat_at=now, owner=this_owner()):
        return None  # a retried task, or a run already marked failed: nothing to do
    run = JobRun.objects.get(pk=run_id)
    job = _JOBS.get(run.name)
    if job is None:
        _finish(run_id, status=JobRun.Status.FAILED, error=f"没有登记名为 {run.name} 的定时任务（代码已更新？）")
        return None
    beat = Heartbeat(lambda: JobRun.objects.filter(pk=run_id, status=JobRun.Status.RUNNING)
                     .update(heartbeat_at=timezone.now())).start()
    try:
        summary = job.run(run.day)
    except BaseException as exc:
        beat.stop()
        message = "被中断（Ctrl+C）" if isinstance(exc, KeyboardInterrupt) else f"{type(exc).__name__}：{exc}"
        _finish(run_id, status=JobRun.Status.FAILED,
                error=f"运行出错：{message}\n\n{traceback.format_exc()[-4000:]}")
        raise
    beat.stop()
    summary = dict(summary or {})
    _finish(run_id, status=JobRun.Status.DONE, summary=summary)
    return summary


def _finish(run_id: int, *, status: str, summary: dict[str, Any] | None = None, error: str = "") -> None:
    """Record the outcome; the truth wins even over a sweep that took a slow run for dead."""
    JobRun.objects.filter(pk=run_id).update(status=status, finished_at=timezone.now(), summary=summary or {},
                                            error=error)


# --- runs a person asks for -----------------------------------------------------------------------------


def job_run_now(*, name: str, by: Any, request: HttpRequest | None = None, day: date | None = None) -> JobRun:
    """The office's 立即运行: a manual run handed to the worker now, audited. Refused while one is unfinished."""
    from rencai.core.audit import audit_record

    job = get_job(name)
    busy = unfinished_run(name)
    if busy is not None:
        raise ValidationError(f"「{job.label}」上一次运行尚未结束（{busy.get_status_display()}），请等它结束后再运行")
    now = timezone.now()

    def audit(run: JobRun) -> None:
        audit_record(action="create", request=request, user=by, obj=run,
                     detail={"job": name, "label": job.label, "trigger": "manual"})

    run = _claim({"name": name, "slot": now, "day": day or timezone.localdate(now),
                  "trigger": JobRun.Trigger.MANUAL, "by": by}, then=audit)
    if run is None:
        raise ValidationError("同一时刻已有一次手动运行，请稍后再试")
    run.refresh_from_db()
    return run


def run_job_inline(name: str, *, day: date | None = None, by: Any = None) -> JobRun:
    """Run a job now in this process (the `rencai <job>` commands): recorded as manual; errors re-raised."""
    from rencai.core.audit import audit_record

    job = get_job(name)
    now = timezone.now()
    with transaction.atomic():
        run = JobRun.objects.create(name=name, slot=now, day=day or timezone.localdate(now),
                                    trigger=JobRun.Trigger.MANUAL, by=by)
        audit_record(action="create", user=by, obj=run, detail={"job": name, "label": job.label, "via": "command"})
    try:
        execute_run(run.pk)
    finally:
        run.refresh_from_db()
    return run


# --- stale work -----------------------------------------------------------------------------------------


def _sweep_tasks(now: datetime) -> list[StaleTask]:
    if "django_tasks_db" not in settings.INSTALLED_APPS:
        return []
    from django_tasks_db.models import DBTaskResult

    leases = {lease.task_id: lease for lease in TaskLease.objects.all()}
    stale: list[StaleTask] = []
    running = list(DBTaskResult.objects.filter(status="RUNNING"))
    for result in running:
        lease = leases.get(str(result.id))
        if lease is not None:
            reason = dead_reason(lease.owner, lease.beat_at, now)
        elif result.started_at is None or (now - result.started_at).total_seconds() > lease_seconds():
            reason = f"开始运行已超过 {lease_seconds()} 秒，却没有执行进程的心跳记录"
        else:
            reason = None
        if reason is None:
            continue
        text = _failure_text(reason)
        if DBTaskResult.objects.filter(pk=result.pk, status="RUNNING").update(
                status="FAILED", finished_at=now, return_value=None, exception_class_path=WORKER_LOST,
                traceback=f"{WORKER_LOST}: {text}"):
            args_kwargs = result.args_kwargs or {}
            stale.append(StaleTask(id=str(result.id), task_path=result.task_path, args=args_kwargs.get("args", []),
                                   kwargs=args_kwargs.get("kwargs", {}), started_at=result.started_at, reason=text))
    still_running = {str(r.id) for r in running} - {s.id for s in stale}
    TaskLease.objects.exclude(task_id__in=still_running).delete()
    return stale


def _prune(now: datetime) -> int:
    """Old runs go (each job's latest run stays, so the page still shows it); so do their task rows."""
    keep_days = int(getattr(settings, "RENCAI_JOB_RUN_KEEP_DAYS", 30))
    finished = JobRun.objects.filter(status__in=[JobRun.Status.DONE, JobRun.Status.FAILED])
    latest = [pk for job in jobs() if (pk := JobRun.objects.filter(name=job.name).values_list("pk", flat=True).first())]
    frequent = [job.name for job in jobs() if job.frequent]
    old = finished.filter(created_at__lt=now - timedelta(days=keep_days)) | finished.filter(
        name__in=frequent, status=JobRun.Status.DONE, created_at__lt=now - timedelta(days=1))
    pruned, _ = JobRun.objects.filter(pk__in=old.exclude(pk__in=latest).values("pk")).delete()
    if _enqueue_is_transactional():
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.filter(task_path=run_job_task.module_path, status__in=["SUCCESSFUL", "FAILED"],
                                    finished_at__lt=now - timedelta(days=1)).delete()
    return pruned


def sweep_stale(now: datetime | None = None) -> dict[str, Any]:
    """Mark dead tasks and runs failed, let the registered checks mark their records, prune old runs."""
    now = now or timezone.now()
    stale = _sweep_tasks(now)
    runs = sum(_fail_run(run, reason, now) for run in
               JobRun.objects.filter(status__in=[JobRun.Status.QUEUED, JobRun.Status.RUNNING])
               if (reason := run_dead_reason(run, now)) is not None)
    marked, errors = 0, []
    for check in list(_STALE_CHECKS):
        try:
            marked += check(stale) or 0
        except Exception as exc:
            logger.exception("stale check %r failed", check)
            errors.append(f"{getattr(check, '__qualname__', check)}：{exc}")
    summary: dict[str, Any] = {"tasks": len(stale), "runs": runs, "records": marked, "pruned": _prune(now)}
    if errors:
        summary["errors"] = errors
    return summary


def describe_sweep(summary: dict[str, Any]) -> str:
    text = (f"中断的后台任务 {summary.get('tasks', 0)} 个，中断的定时任务 {summary.get('runs', 0)} 次，"
            f"随之标记失败的业务记录 {summary.get('records', 0)} 条")
    if summary.get("errors"):
        text += f"；检查出错：{'；'.join(summary['errors'])}"
    return text


def register_core_jobs() -> None:
    register_job("stale_work", _("检查中断的后台任务"), run=lambda day: sweep_stale(), every_minutes=1,
                 describe=describe_sweep)


# --- what the jobs page reads ---------------------------------------------------------------------------


@dataclass(frozen=True)
class JobRow:
    job: Job
    last: JobRun | None  # the latest run, finished or not
    finished: JobRun | None  # the latest finished run
    next_slot: datetime
    found: str  # what the latest finished run found, in words
    failure: str  # why it failed (first line), when it did


def job_overview(now: datetime | None = None) -> list[JobRow]:
    now = now or timezone.now()
    rows = []
    for job in jobs():
        runs = JobRun.objects.filter(name=job.name).select_related("by")
        last = runs.first()
        finished = runs.filter(status__in=[JobRun.Status.DONE, JobRun.Status.FAILED]).first()
        failure = ""
        if finished is not None and finished.status == JobRun.Status.FAILED:
            failure = finished.error.strip().split("\n")[0]
        found = job.summary_text(finished.summary) if finished is not None and not failure else ""
        rows.append(JobRow(job=job, last=last, finished=finished, next_slot=job.next_slot(now), found=found,
                           failure=failure))
    return rows


def recent_runs(limit: int = 30) -> list[tuple[JobRun, Job | None, str]]:
    """The latest runs with what each found; every-minute runs that found nothing are left out."""
    quiet = [job.name for job in jobs() if job.frequent]
    runs = (JobRun.objects.exclude(name__in=quiet, status=JobRun.Status.DONE, summary__tasks=0, summary__runs=0,
                                summary__records=0)
            .select_related("by")[:limit])
    out = []
    for run in runs:
        job = _JOBS.get(run.name)
        text = run.error.strip().split("\n")[0] if run.status == JobRun.Status.FAILED else (
            job.summary_text(run.summary) if job else "")
        out.append((run, job, text))
    return out
