"""Scheduled work runs by itself, once per slot, and no task stays "running" after its worker was killed.

The last tests start a real `rencai db_worker` in a subprocess against a file database (SQLite: a copy of the
test schema; PostgreSQL: the test database itself), SIGKILL it mid-task and check the stale sweep.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks import task

from rencai.core.models import AuditEvent, JobRun, TaskLease
from rencai.core.schedule import (
    HOST,
    claim_slot,
    get_job,
    register_job,
    register_stale_check,
    run_due,
    sweep_stale,
    unregister_job,
)
from tests.conftest import verified_client

REPO = Path(__file__).resolve().parents[2]
TZ = ZoneInfo("Asia/Shanghai")
BEFORE = datetime(2026, 3, 10, 2, 59, tzinfo=TZ)  # one minute before the 03:00 slot
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")

# --- jobs for the tests ---------------------------------------------------------------------------------
# A worker subprocess registers "test_sleepy" when it imports this module (it does, to run `load_test_jobs`).
TEST_JOBS_ENV = "RENCAI_SCHEDULE_TEST_JOBS"


def _sleepy(day: date) -> dict[str, int]:
    marker = os.environ.get("RENCAI_SCHEDULE_TEST_MARKER")
    if marker:
        Path(marker).write_text(str(os.getpid()))
    seconds = float(os.environ.get("RENCAI_SCHEDULE_TEST_SLEEP", "0"))
    time.sleep(seconds)
    return {"slept": int(seconds)}


@task(priority=20)
def load_test_jobs() -> None:
    """Runs first in the worker: importing this module there registered the test job."""


if os.environ.get(TEST_JOBS_ENV):
    register_job("test_sleepy", "测试：睡一会儿", run=_sleepy, daily_at="00:00")


@pytest.fixture
def counted():
    """A daily job at 03:00 that counts its calls (thread-safe, so two schedulers can race for it)."""
    calls: list[date] = []
    lock = threading.Lock()

    def run(day: date) -> dict[str, int]:
        with lock:
            calls.append(day)
        return {"created": 12}

    register_job("test_counted", "测试：统计名单", run=run, daily_at="03:00",
                 describe=lambda summary: f"新增 {summary['created']} 条")
    yield calls
    unregister_job("test_counted")


@pytest.fixture
def flaky():
    """Fails on its first call, works afterwards."""
    calls: list[date] = []

    def run(day: date) -> dict[str, int]:
        calls.append(day)
        if len(calls) == 1:
            raise RuntimeError("名单文件不存在")
        return {"created": 1}

    register_job("test_flaky", "测试：会失败一次", run=run, every_minutes=15)
    yield calls
    unregister_job("test_flaky")


def _runs(name: str) -> list[JobRun]:
    return list(JobRun.objects.filter(name=name).order_by("slot"))


# --- slots ----------------------------------------------------------------------------------------------


def test_slots_are_in_local_time_and_the_next_one_follows(counted, flaky):
    daily, frequent = get_job("test_counted"), get_job("test_flaky")
    assert daily.current_slot(BEFORE) == datetime(2026, 3, 9, 3, 0, tzinfo=TZ)
    assert daily.next_slot(BEFORE) == datetime(2026, 3, 10, 3, 0, tzinfo=TZ)
    assert daily.current_slot(BEFORE + timedelta(minutes=1)) == datetime(2026, 3, 10, 3, 0, tzinfo=TZ)
    assert frequent.current_slot(BEFORE) == datetime(2026, 3, 10, 2, 45, tzinfo=TZ)
    assert frequent.next_slot(datetime(2026, 3, 10, 23, 50, tzinfo=TZ)) == datetime(2026, 3, 11, 0, 0, tzinfo=TZ)
    assert daily.plan == "每天 03:00" and frequent.plan == "每 15 分钟"


# --- running when due -----------------------------------------------------------------------------------


def test_a_job_not_yet_due_does_not_run(db, counted):
    # The first look catches up the latest missed slot (yesterday 03:00) once …
    assert [r.slot for r in run_due(BEFORE, names=["test_counted"])] == [datetime(2026, 3, 9, 3, 0, tzinfo=TZ)]
    # … and until 03:00 nothing more runs, however often the scheduler looks.
    for minutes in (0, 0.5, 0.9):
        assert run_due(BEFORE + timedelta(minutes=minutes), names=["test_counted"]) == []
    assert counted == [date(2026, 3, 9)]
    [run] = run_due(BEFORE + timedelta(minutes=1), names=["test_counted"])
    assert run.slot == datetime(2026, 3, 10, 3, 0, tzinfo=TZ) and run.day == date(2026, 3, 10)
    assert counted == [date(2026, 3, 9), date(2026, 3, 10)]
    assert run_due(BEFORE + timedelta(hours=5), names=["test_counted"]) == []


def test_a_due_job_runs_its_slot_once_and_records_what_it_found(db, counted):
    now = BEFORE + timedelta(minutes=2)
    run_due(now, names=["test_counted"])
    run_due(now, names=["test_counted"])
    call_command("scheduler", "--once", "--job", "test_counted")  # a cron user's look, on the real clock
    [today] = [r for r in _runs("test_counted") if r.slot <= now]  # only the latest slot, not yesterday's
    assert today.status == JobRun.Status.DONE and today.trigger == JobRun.Trigger.SCHEDULE
    assert today.summary == {"created": 12} and today.started_at and today.finished_at >= today.started_at
    assert today.by is None and today.task_id
    assert counted.count(date(2026, 3, 10)) == 1


def test_a_retried_task_of_a_run_does_not_run_the_job_again(db, counted):
    from rencai.core.schedule import execute_run

    [run] = run_due(BEFORE + timedelta(minutes=1), names=["test_counted"])
    assert execute_run(run.pk) is None  # the worker retries the same task: the run is no longer queued
    assert counted == [date(2026, 3, 10)]


@pytest.mark.skipif(not ON_POSTGRES, reason="两个调度进程争抢同一时段要靠数据库的唯一约束与行锁；测试用的 SQLite "
                    "内存库在线程间共享缓存、写入直接报锁，不能代表真实情形，请用 PostgreSQL（DATABASE_URL）运行")
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_racing_for_the_same_slot_run_it_once(counted):
    job = get_job("test_counted")
    days = range(6)
    barrier = threading.Barrier(2)
    claims: list[bool] = []
    errors: list[BaseException] = []

    def scheduler() -> None:
        try:
            for d in days:  # both insert the same slot at the same moment: one insert wins
                barrier.wait(timeout=30)
                claims.append(claim_slot(job, job.current_slot(BEFORE + timedelta(days=d, minutes=1))) is not None)
            for d in days:  # and the whole look, from both at once
                barrier.wait(timeout=30)
                run_due(BEFORE + timedelta(days=10 + d, minutes=1), names=["test_counted"])
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    assert claims.count(True) == len(days) and claims.count(False) == len(days)
    runs = _runs("test_counted")
    assert len(runs) == 2 * len(days) == len({r.slot for r in runs})
    assert len(counted) == 2 * len(days) == len(set(counted))
    assert {r.status for r in runs} == {JobRun.Status.DONE}


def test_a_failing_job_records_its_error_and_the_next_slot_still_runs(db, flaky):
    [failed] = run_due(BEFORE - timedelta(minutes=10), names=["test_flaky"])  # the 02:45 slot
    failed.refresh_from_db()
    assert failed.status == JobRun.Status.FAILED
    assert "RuntimeError：名单文件不存在" in failed.error and failed.finished_at
    assert run_due(BEFORE - timedelta(minutes=5), names=["test_flaky"]) == []  # same slot: not retried by itself
    [next_run] = run_due(BEFORE + timedelta(minutes=6), names=["test_flaky"])  # the 03:00 slot
    next_run.refresh_from_db()
    assert next_run.status == JobRun.Status.DONE and next_run.summary == {"created": 1}


def test_a_job_whose_previous_run_is_still_unfinished_waits_for_it(db, counted):
    job = get_job("test_counted")
    JobRun.objects.create(name=job.name, slot=job.current_slot(BEFORE), day=date(2026, 3, 9),
                          status=JobRun.Status.RUNNING, owner=f"{HOST}:{os.getpid()}:", heartbeat_at=timezone.now())
    assert run_due(BEFORE + timedelta(minutes=1), names=["test_counted"]) == []
    assert counted == []


# --- run now, the commands and the page -----------------------------------------------------------------


def test_run_now_on_the_page_records_a_manual_run_by_the_admin_and_audits_it(world, counted):
    client = verified_client(world.admin)
    response = client.post("/jobs/test_counted/run/", follow=True)
    assert response.status_code == 200
    assert "「测试：统计名单」已运行：新增 12 条" in response.content.decode()
    [run] = _runs("test_counted")
    assert (run.trigger, run.by, run.status, run.summary) == ("manual", world.admin, "done", {"created": 12})
    event = AuditEvent.objects.get(object_type="core.jobrun", object_id=str(run.pk))
    assert event.user == world.admin and event.detail["job"] == "test_counted" and event.detail["trigger"] == "manual"


def test_run_now_is_refused_while_the_job_is_still_running(world, counted):
    JobRun.objects.create(name="test_counted", slot=timezone.now(), day=timezone.localdate(),
                          status=JobRun.Status.RUNNING, owner=f"{HOST}:{os.getpid()}:", heartbeat_at=timezone.now())
    response = verified_client(world.admin).post("/jobs/test_counted/run/", follow=True)
    assert "「测试：统计名单」上一次运行尚未结束（运行中），请等它结束后再运行" in response.content.decode()
    assert counted == [] and JobRun.objects.filter(trigger="manual").count() == 0


def test_only_the_office_admin_opens_the_jobs_page_or_runs_a_job(world, counted):
    for user in (world.reviewer, world.finance, world.enterprise_user):
        client = verified_client(user)
        assert client.get("/jobs/").status_code == 403
        assert client.post("/jobs/test_counted/run/").status_code == 403
    assert counted == []


def test_the_jobs_page_shows_the_last_run_what_it_found_failures_and_the_next_slot(world, counted, flaky):
    run_due(names=["test_counted", "test_flaky"])  # the counted job finds 12; the flaky one fails
    page = verified_client(world.admin).get("/jobs/").content.decode()
    counted_row = page.split('id="job-test_counted"')[1].split("</tr>")[0]
    assert "测试：统计名单" in counted_row and "每天 03:00" in counted_row
    assert "完成：新增 12 条" in counted_row and "按计划" in counted_row and "秒" in counted_row
    assert f"{get_job('test_counted').next_slot(timezone.now()):%Y-%m-%d %H:%M}" in counted_row
    assert "立即运行" in counted_row
    flaky_row = page.split('id="job-test_flaky"')[1].split("</tr>")[0]
    assert "失败：" in flaky_row and "名单文件不存在" in flaky_row
    for name in ("policies_nightly", "postdoc_daily", "engagements_daily", "matching_nightly", "stale_work"):
        assert f'id="job-{name}"' in page  # every app's job is registered
    assert "定时任务" in page  # the nav entry


def test_the_daily_commands_run_their_job_now_as_a_manual_run(world, capsys):
    call_command("postdoc_daily", "--today", "2025-05-02")
    assert "2025-05-02：新增提醒" in capsys.readouterr().out
    run = JobRun.objects.get(name="postdoc_daily")
    assert run.trigger == "manual" and run.day == date(2025, 5, 2) and run.status == "done"
    assert "reminders" in run.summary


def test_the_scheduler_runs_the_registered_daily_jobs_of_every_app(world):
    runs = run_due(names=["policies_nightly", "postdoc_daily", "engagements_daily", "matching_nightly"])
    assert sorted(r.name for r in runs) == ["engagements_daily", "matching_nightly", "policies_nightly",
                                            "postdoc_daily"]
    assert set(JobRun.objects.values_list("status", flat=True)) == {"done"}
    assert "created" in JobRun.objects.get(name="policies_nightly").summary


# --- dead work ------------------------------------------------------------------------------------------


def _db_task(settings, status: str = "RUNNING", started: datetime | None = None):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    result = load_test_jobs.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(status=status, started_at=started or timezone.now())
    return DBTaskResult.objects.get(pk=result.id)


@pytest.fixture
def stale_hook():
    """A stale check, as the import flow registers one: it is told which tasks were just failed."""
    from rencai.core import schedule

    seen: list[list] = []

    def check(stale) -> int:
        seen.append(list(stale))
        return 0

    register_stale_check(check)
    yield seen
    schedule._STALE_CHECKS.remove(check)


def test_a_task_whose_worker_on_another_host_stops_beating_fails_after_the_lease(db, settings, stale_hook):
    settings.RENCAI_TASK_LEASE_SECONDS = 60
    row = _db_task(settings)
    TaskLease.objects.create(task_id=str(row.pk), task_path=row.task_path, owner="worker-2:4242:99",
                             started_at=timezone.now(), beat_at=timezone.now() - timedelta(seconds=30))
    seen = stale_hook
    assert sweep_stale()["tasks"] == 0
    row.refresh_from_db()
    assert row.status == "RUNNING"  # beat 30 s ago, lease 60 s: alive
    assert sweep_stale(timezone.now() + timedelta(seconds=45))["tasks"] == 1
    row.refresh_from_db()
    assert row.status == "FAILED" and "超过 60 秒没有收到执行进程（worker-2:4242:99）的心跳" in row.traceback
    assert "已标记为失败；可以重新运行" in row.traceback
    assert [t.id for t in seen[-1]] == [str(row.pk)] and seen[-1][0].task_path.endswith("load_test_jobs")
    assert not TaskLease.objects.exists()


def test_a_running_task_without_any_lease_fails_once_the_lease_has_passed(db, settings):
    settings.RENCAI_TASK_LEASE_SECONDS = 300
    fresh = _db_task(settings)
    old = _db_task(settings, started=timezone.now() - timedelta(seconds=301))
    assert sweep_stale()["tasks"] == 1
    fresh.refresh_from_db()
    old.refresh_from_db()
    assert fresh.status == "RUNNING" and old.status == "FAILED" and "没有执行进程的心跳记录" in old.traceback


def _file_database(tmp_path: Path) -> str:
    """A database a subprocess can open: the PostgreSQL test database, or a file copy of the SQLite schema."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    connection.ensure_connection()
    target = sqlite3.connect(tmp_path / "worker.sqlite3")
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{tmp_path / 'worker.sqlite3'}"


def _env(tmp_path: Path, url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update({"DJANGO_SETTINGS_MODULE": "rencai.config.settings.dev", "DATABASE_URL": url,
                "RENCAI_VAR_DIR": str(tmp_path / "var"), "PYTHONPATH": str(REPO), TEST_JOBS_ENV: "1", **extra})
    return env


def _django(env: dict[str, str], code: str) -> dict:
    """Run `code` in a fresh Django process on that database; it prints one JSON line as its answer."""
    boot = "import json, django; django.setup()\nimport tests.core.test_schedule\n"
    command = [sys.executable, "-c", boot + textwrap.dedent(code)]
    done = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, timeout=120)  # noqa: S603
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _worker(env: dict[str, str], log: Path, *args: str) -> subprocess.Popen:
    command = [str(REPO / ".venv/bin/rencai"), "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2",
               *args]
    return subprocess.Popen(command, env=env, cwd=REPO, stdout=log.open("w"), stderr=subprocess.STDOUT)  # noqa: S603


ENQUEUE = """
from rencai.core.schedule import job_run_now
load_test_jobs = tests.core.test_schedule.load_test_jobs
load_test_jobs.enqueue()  # priority 20: the worker imports this module (and its test job) first
run = job_run_now(name="test_sleepy", by=None)
print(json.dumps({"run": run.pk, "task": run.task_id}))
"""


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_leaves_its_task_and_run_failed_with_a_reason_and_the_job_runs_again(tmp_path):
    url = _file_database(tmp_path)
    marker = tmp_path / "started"
    env = _env(tmp_path, url, RENCAI_SCHEDULE_TEST_MARKER=str(marker), RENCAI_SCHEDULE_TEST_SLEEP="120",
               RENCAI_TASK_LEASE_SECONDS="5")  # a heartbeat every second
    first = _django(env, ENQUEUE)
    worker = _worker(env, tmp_path / "worker.log")
    try:
        deadline = time.monotonic() + 90
        while not marker.exists():
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()
            assert time.monotonic() < deadline, "the worker never started the job"
            time.sleep(0.2)
        assert int(marker.read_text()) == worker.pid  # the job is running inside that worker
        time.sleep(2.5)  # long enough for a few heartbeats
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)

    swept = _django(env, f"""
    from django_tasks_db.models import DBTaskResult
    from rencai.core.models import JobRun, TaskLease
    from rencai.core.schedule import register_stale_check, sweep_stale
    seen = []
    register_stale_check(lambda stale: seen.extend(t.id for t in stale) or len(stale))
    before = DBTaskResult.objects.get(pk="{first['task']}").status, JobRun.objects.get(pk={first['run']}).status
    lease, run = TaskLease.objects.get(task_id="{first['task']}"), JobRun.objects.get(pk={first['run']})
    beats = [(lease.beat_at - lease.started_at).total_seconds(), (run.heartbeat_at - run.started_at).total_seconds()]
    summary = sweep_stale()
    task, run = DBTaskResult.objects.get(pk="{first['task']}"), JobRun.objects.get(pk={first['run']})
    print(json.dumps({{"before": before, "beats": beats, "summary": summary, "task": [task.status, task.traceback],
                      "run": [run.status, run.error], "seen": seen}}))
    """)
    assert swept["before"] == ["RUNNING", "running"]  # what a killed worker leaves behind
    assert min(swept["beats"]) >= 1  # the task's lease and the run's heartbeat were refreshed while it ran
    assert swept["task"][0] == "FAILED"
    assert f"执行它的后台进程（{HOST} 上的进程 {worker.pid}）已不存在" in swept["task"][1]
    assert "任务没有做完，已标记为失败；可以重新运行" in swept["task"][1]
    assert swept["run"][0] == "failed" and f"进程 {worker.pid}）已不存在" in swept["run"][1]
    assert swept["seen"] == [first["task"]]  # the registered check (the import flow's) was told
    assert swept["summary"]["tasks"] == 1 and swept["summary"]["runs"] == 1 and swept["summary"]["records"] == 1

    quick = _env(tmp_path, url, RENCAI_SCHEDULE_TEST_SLEEP="0")
    second = _django(quick, ENQUEUE)  # run now is not refused: the dead run no longer counts as running
    worker = _worker(quick, tmp_path / "worker2.log", "--batch")
    assert worker.wait(timeout=120) == 0, (tmp_path / "worker2.log").read_text()
    after = _django(quick, f"""
    from django_tasks_db.models import DBTaskResult
    from rencai.core.models import JobRun, TaskLease
    run = JobRun.objects.get(pk={second['run']})
    print(json.dumps({{"run": [run.status, run.summary], "task": DBTaskResult.objects.get(pk=run.task_id).status,
                      "leases": TaskLease.objects.count()}}))
    """)
    assert after == {"run": ["done", {"slept": 0}], "task": "SUCCESSFUL", "leases": 0}
