"""An import job's file and its end: an upload is never world-readable and is gone once the job ends (issue 12
item 2); a job whose worker was killed is found, failed with a reason and can be run again (issue 12 item 6)."""

from __future__ import annotations

import stat
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from rencai.core import schedule
from rencai.core.models import AuditEvent, ImportJob
from rencai.core.tasks import ABANDON_AFTER, fail_stale_import_jobs, import_stale_check, import_write, mark_beat
from rencai.talents.models import Talent
from tests.conftest import verified_client
from tests.core.test_import_flow import upload, web_rows


@pytest.fixture
def disk(settings, tmp_path: Path) -> Path:
    """Real file storage in a temporary directory, as in production (the test settings keep files in memory)."""
    media = tmp_path / "media"
    settings.STORAGES = settings.STORAGES | {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(media)}}}
    return media


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_an_upload_is_private_while_it_waits_and_gone_once_the_import_is_done(world, disk: Path) -> None:
    client = verified_client(world.admin)
    client.post(reverse("core:import_start", args=["talents"]), {"file": upload(web_rows()), "zone": world.zone_a.pk})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.PREVIEWED
    [kept] = stored_files(disk)  # waiting for the user's confirmation
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700

    client.post(reverse("core:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert stored_files(disk) == [] and not job.file


def test_an_upload_that_cannot_be_read_is_deleted_when_its_preview_fails(world, disk: Path) -> None:
    client = verified_client(world.admin)
    client.post(reverse("core:import_start", args=["talents"]),
                {"file": ContentFile(b"PK\x03\x04 not really a workbook", name="坏.xlsx"), "zone": world.zone_a.pk})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert stored_files(disk) == [] and not job.file


def test_a_preview_never_confirmed_is_abandoned_and_its_file_deleted(world, disk: Path) -> None:
    client = verified_client(world.admin)
    client.post(reverse("core:import_start", args=["talents"]), {"file": upload(web_rows()), "zone": world.zone_a.pk})
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - ABANDON_AFTER - timedelta(minutes=1))
    fail_stale_import_jobs(timezone.now() - timedelta(minutes=5))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "未确认" in job.error
    assert stored_files(disk) == []
    page = client.get(reverse("core:import_job", args=[job.pk])).content.decode()
    assert "未确认" in page and "重新检查" not in page  # nothing left to run again


def killed_while_writing(world) -> ImportJob:
    """A job confirmed and claimed by a worker that was then SIGKILLed: running, its last heartbeat long ago."""
    job = ImportJob.objects.create(kind="talents", filename="引进人才.xlsx", zone=world.zone_a,
                                   created_by=world.admin, status=ImportJob.Status.PREVIEWED)
    job.file.save("引进人才.xlsx", upload(web_rows()))
    long_ago = timezone.now() - timedelta(minutes=30)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, started_at=long_ago)
    mark_beat(job.pk, at=long_ago)
    return job


def test_a_job_whose_worker_was_killed_is_failed_with_a_reason_and_can_be_run_again(world) -> None:
    job = killed_while_writing(world)
    assert fail_stale_import_jobs(timezone.now() - timedelta(minutes=5)) == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "中断" in job.error and "数据库未做任何修改" in job.error

    client = verified_client(world.admin)
    page = client.get(reverse("core:import_job", args=[job.pk])).content.decode()
    assert "重新检查" in page
    client.post(reverse("core:import_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED and job.preview["created"] == 2 and not job.error
    assert AuditEvent.objects.filter(action="import_retry", user=world.admin).count() == 1
    client.post(reverse("core:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and Talent.objects.filter(name="陈静").exists()


def test_a_job_that_is_still_beating_is_left_alone(world) -> None:
    job = killed_while_writing(world)
    mark_beat(job.pk)  # the worker is alive after all
    assert fail_stale_import_jobs(timezone.now() - timedelta(minutes=5)) == 0
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING


def test_only_a_failed_job_with_its_file_may_be_run_again(world) -> None:
    job = killed_while_writing(world)
    client = verified_client(world.admin)
    client.post(reverse("core:import_retry", args=[job.pk]))  # still running: refused, nothing changes
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING
    assert verified_client(world.reviewer).post(reverse("core:import_retry", args=[job.pk])).status_code == 404


def test_the_check_is_registered_with_the_scheduler() -> None:
    assert import_stale_check in schedule._STALE_CHECKS


def test_the_schedulers_sweep_fails_an_import_whose_worker_task_died(world) -> None:
    """The way it was found: db_worker SIGKILLed while writing leaves its task RUNNING and the job "running"."""
    job = killed_while_writing(world)
    mark_beat(job.pk)  # even with a fresh heartbeat: the scheduler knows the worker itself is gone
    long_ago = timezone.now() - timedelta(minutes=30)
    DBTaskResult.objects.create(status="RUNNING", task_path=import_write.module_path,
                                args_kwargs={"args": [job.pk], "kwargs": {}}, started_at=long_ago,
                                run_after=long_ago, backend_name="default", queue_name="default",
                                exception_class_path="", traceback="")
    summary = schedule.sweep_stale()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "中断" in job.error
    assert summary["records"] >= 1 and job.file  # kept, so it can be run again


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()
