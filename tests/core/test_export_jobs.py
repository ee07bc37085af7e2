"""A large export is written by the worker, never inside the request (issue 18: 42 s for 100k rows in the request,
6 of 10 clients timing out). The worker replays the same export as the same user, so rows, scope, masking and
audit are those of an immediate export."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from django.utils import timezone

from rencai.core.export_jobs import NO_LONGER_ALLOWED, expire_exports, export_stale_check
from rencai.core.export_models import ExportJob
from rencai.core.models import AuditEvent, Notice
from rencai.core.roles import Role
from rencai.core.schedule import StaleTask
from rencai.talents.models import Talent
from tests.conftest import verified_client
from tests.factories import TalentFactory, make_id_number


@pytest.fixture
def many(world, settings):
    """Five talents in zone A (the export's zone) and an inline limit of 3 rows, so the export becomes a job."""
    settings.RENCAI_EXPORT_INLINE_ROWS = 3
    for seq in range(5):
        TalentFactory(zone=world.zone_a, name=f"批量{seq}", id_number=make_id_number(seq=900 + seq))
    return Talent.objects.visible_to(world.admin).count()


def _rows(content: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


def _ask(client, url, capture):
    with capture(execute=True):  # the task is enqueued on commit; the test backend runs it at once
        return client.get(url)


def test_a_small_export_is_still_answered_at_once(world):
    response = verified_client(world.admin).get("/talents/export/?q=王建国")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ExportJob.objects.count() == 0


def test_a_large_export_becomes_a_job_whose_file_holds_the_same_rows_masked(world, many,
                                                                             django_capture_on_commit_callbacks):
    client = verified_client(world.admin)
    response = _ask(client, "/talents/export/", django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/exports/{job.pk}/"
    assert (job.status, job.rows_total, job.rows_done, job.user) == ("done", many, many, world.admin)
    page = client.get(f"/exports/{job.pk}/").content.decode()
    assert f"/exports/{job.pk}/file/" in page
    rows = _rows(b"".join(client.get(f"/exports/{job.pk}/file/").streaming_content))
    assert len(rows) == many + 1
    assert "批量0" in [r[0] for r in rows]
    assert make_id_number(seq=900) not in {cell for row in rows for cell in row}  # masked by default
    assert "李晓梅" not in [r[0] for r in rows]  # zone B's talent stays out of zone A's export
    export = AuditEvent.objects.filter(action="export", object_type="talents.talent").get()
    assert export.detail["rows"] == many and export.user == world.admin
    assert AuditEvent.objects.filter(action="export", object_type="core.exportjob").count() == 1  # the download
    assert Notice.objects.filter(recipient=world.admin, kind="export_ready").count() == 1


def test_a_revealed_large_export_holds_full_values_and_is_audited_as_a_reveal(world, many,
                                                                                django_capture_on_commit_callbacks):
    client = verified_client(world.admin)
    _ask(client, "/talents/export/?reveal=1&reveal_reason=核对补贴名单", django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    cells = {cell for row in _rows(b"".join(client.get(f"/exports/{job.pk}/file/").streaming_content)) for cell in row}
    assert make_id_number(seq=900) in cells
    reveal = AuditEvent.objects.get(action="reveal", object_type="talents.talent")
    assert reveal.detail["reason"] == "核对补贴名单" and reveal.detail["unmasked"] is True


def test_nobody_else_sees_the_job_or_its_file(world, many, django_capture_on_commit_callbacks):
    _ask(verified_client(world.admin), "/talents/export/", django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    other = verified_client(world.reviewer)
    assert other.get(f"/exports/{job.pk}/").status_code == 404
    assert other.get(f"/exports/{job.pk}/file/").status_code == 404
    assert AuditEvent.objects.filter(user=world.reviewer, allowed=False).exists()


def test_a_user_whose_role_changed_before_the_run_gets_no_file(world, many):
    world.admin.role = Role.TALENT  # demoted between asking and the worker's run
    world.admin.save(update_fields=["role"])
    job = ExportJob.objects.create(user=world.admin, title="人才库", path="/talents/export/", query={})
    from rencai.core.export_jobs import export_run

    export_run.call(job.pk)
    job.refresh_from_db()
    assert (job.status, job.error, bool(job.file)) == ("failed", NO_LONGER_ALLOWED, False)


def test_a_finished_file_is_deleted_after_its_retention(world, many, django_capture_on_commit_callbacks, settings):
    settings.RENCAI_EXPORT_KEEP_HOURS = 1
    _ask(verified_client(world.admin), "/talents/export/", django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name)
    ExportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(hours=2))
    assert expire_exports() == {"expired": 1}
    job.refresh_from_db()
    assert job.status == "expired" and not job.file and not storage.exists(name)
    assert verified_client(world.admin).get(f"/exports/{job.pk}/file/").status_code == 404


def test_an_export_whose_worker_died_is_failed_and_can_be_run_again(world, many, django_capture_on_commit_callbacks):
    from rencai.core.export_jobs import export_run

    job = ExportJob.objects.create(user=world.admin, title="人才库", path="/talents/export/", query={},
                                   status=ExportJob.Status.RUNNING)
    dead = StaleTask(id="t1", task_path=export_run.module_path, args=[job.pk], kwargs={}, started_at=None,
                     reason="进程已不存在")
    assert export_stale_check([dead]) == 1
    job.refresh_from_db()
    assert job.status == "failed" and "重新导出" in job.error
    client = verified_client(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/exports/{job.pk}/retry/")
    again = ExportJob.objects.exclude(pk=job.pk).get()
    assert response.url == f"/exports/{again.pk}/" and again.status == "done" and again.rows_done == many
