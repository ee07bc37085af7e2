"""The import flow end to end: upload, preview, confirm in the web UI; all or nothing, even when killed."""

from __future__ import annotations

import csv
import io
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from rencai.core.imports import INSERT_BATCH, run_import
from rencai.core.models import AuditEvent, ImportJob
from rencai.core.tasks import progress_key
from rencai.talents.models import Talent
from tests.conftest import verified_client
from tests.factories import make_id_number

RENCAI = Path(sys.executable).with_name("rencai")
HEADER = ["序号", "姓名", "性别", "出生日期", "身份证号", "手机号", "最高学位", "职称"]


def upload(rows: list[list[object]]) -> SimpleUploadedFile:
    book = Workbook()
    book.active.append(["人才信息表"])
    book.active.merge_cells("A1:H1")
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile("引进人才.xlsx", data.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def web_rows() -> list[list[object]]:
    valid = make_id_number(date(1986, 2, 3), seq=42)
    return [
        [1, "刘洋", "男", "1986-02-03", valid, "13912345678", "博士", "教授"],
        [2, "陈静", "女", "1990年5月", "", "", "硕士", "工程师"],
        [3, "孙磊", "男", "", 150203198602031234, "", "", ""],
        [4, "周杰", "男", "", valid[:-1] + ("0" if valid[-1] != "0" else "1"), "", "", ""],
        [5, "劉洋", "男", "1986.2.3", valid, "", "", ""],
    ]


def test_office_admin_sees_the_preview_and_nothing_is_written_until_confirmed(world):
    client = verified_client(world.admin)
    before = Talent.objects.count()
    response = client.post(reverse("core:import_start", args=["talents"]),
                           {"file": upload(web_rows()), "zone": world.zone_a.pk})
    job = ImportJob.objects.get(created_by=world.admin)
    assert response.status_code == 302 and response["Location"] == reverse("core:import_job", args=[job.pk])
    assert job.status == ImportJob.Status.PREVIEWED

    page = client.get(reverse("core:import_job", args=[job.pk])).content.decode()
    assert '<dd class="created">2</dd>' in page and '<dd class="duplicates">1</dd>' in page
    assert '<dd class="refused">2</dd>' in page and '<dd class="updated">0</dd>' in page
    assert "<td>第 5 行</td><td>身份证号</td><td>身份证号被表格存成了数字" in page
    assert "<td>第 6 行</td><td>身份证号</td><td>身份证号校验位不对" in page
    assert "第3行（刘洋）" in page  # the Traditional 劉洋 with the same ID is a duplicate
    assert Talent.objects.count() == before
    assert not AuditEvent.objects.filter(action="import").exists()

    client.post(reverse("core:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.result["created"] == 2
    assert Talent.objects.count() == before + 2
    assert Talent.objects.get(name="刘洋").phone == "13912345678"
    event = AuditEvent.objects.get(action="import")
    assert (event.user, event.detail["created"], event.detail["refused"]) == (world.admin, 2, 2)
    assert "已新建" in client.get(reverse("core:import_job", args=[job.pk])).content.decode()


def test_confirming_twice_writes_once(world):
    client = verified_client(world.admin)
    client.post(reverse("core:import_start", args=["talents"]), {"file": upload(web_rows()), "zone": world.zone_a.pk})
    job = ImportJob.objects.get()
    for _ in range(2):
        client.post(reverse("core:import_confirm", args=[job.pk]))
    assert Talent.objects.filter(name__in=["刘洋", "陈静"]).count() == 2
    assert AuditEvent.objects.filter(action="import").count() == 1


def test_progress_is_shown_while_an_import_runs(world):
    job = ImportJob.objects.create(kind="talents", file="imports/x.xlsx", filename="x.xlsx", zone=world.zone_a,
                                   created_by=world.admin, status=ImportJob.Status.RUNNING)
    cache.set(progress_key(job.pk), {"done": 2000, "total": 4500, "phase": "写入"})
    page = verified_client(world.admin).get(reverse("core:import_job", args=[job.pk])).content.decode()
    assert '<progress max="4500" value="2000">' in page
    assert "写入：已处理 2000 行，共 4500 行" in page
    assert 'hx-trigger="every 1s"' in page  # the page keeps asking until the job is done


def test_only_register_staff_may_import_and_only_their_own_jobs(world):
    assert verified_client(world.enterprise_user).get(reverse("core:import_start", args=["talents"])).status_code == 403
    assert verified_client(world.reviewer).get(reverse("core:import_start", args=["talents"])).status_code == 200
    verified_client(world.admin).post(reverse("core:import_start", args=["talents"]),
                                      {"file": upload(web_rows()), "zone": world.zone_a.pk})
    job = ImportJob.objects.get()
    assert verified_client(world.reviewer).get(reverse("core:import_job", args=[job.pk])).status_code == 404


# --- all or nothing -----------------------------------------------------------------------------------------


def talents_csv(path: Path, rows: int) -> Path:
    """rows valid talents, each with its own ID number, as a UTF-8 csv with a title row."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["批量导入测试"])
        writer.writerow(HEADER)
        for n in range(rows):
            born = date(1960, 1, 1) + timedelta(days=n % 14000)
            writer.writerow([n + 1, f"测试{n}", "男", born.isoformat(), make_id_number(born, seq=n // 14000),
                             f"139{n:08d}", "博士", "教授"])
    return path


class Stop(Exception):
    pass


def test_a_failure_in_the_middle_of_writing_leaves_the_database_as_it_was(world, tmp_path):
    path = talents_csv(tmp_path / "many.csv", INSERT_BATCH * 2 + 500)
    before = Talent.objects.count()
    seen: list[int] = []

    def progress(done: int, total: int | None, phase: str) -> None:
        if phase == "写入" and done:
            seen.append(done)
            raise Stop  # after the first batch is in the database, inside the transaction

    with pytest.raises(Stop):
        run_import("talents", str(path), filename=None, zone=world.zone_a, user=world.admin, dry_run=False,
                   progress=progress)
    assert seen == [INSERT_BATCH]
    assert Talent.objects.count() == before
    assert not AuditEvent.objects.filter(action="import").exists()


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@pytest.fixture(params=["sqlite", "postgresql"])
def scratch_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """A database of its own for a real `rencai` process: a SQLite file, or a new PostgreSQL database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "RENCAI_"))}
    env |= {"DJANGO_SETTINGS_MODULE": "rencai.config.settings.dev", "RENCAI_VAR_DIR": str(tmp_path / "var"),
            "RENCAI_KEY_DIR": str(tmp_path / "keys")}
    if request.param == "sqlite":
        yield "sqlite", env | {"DATABASE_URL": f"sqlite:///{tmp_path / 'rencai.sqlite3'}"}
        return
    server = _postgres_url()
    if server is None:
        pytest.skip("DATABASE_URL does not point at PostgreSQL")
    name = f"rencai_kill_{os.getpid()}"
    admin_url = server.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield "postgresql", env | {"DATABASE_URL": server.rsplit("/", 1)[0] + f"/{name}"}
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def rencai(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(RENCAI), *args], env=env, capture_output=True, text=True, timeout=600,  # noqa: S603
                          check=False)


def count(backend: str, env: dict[str, str], sql: str) -> int:
    url = env["DATABASE_URL"]
    if backend == "sqlite":
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            return db.execute(sql).fetchone()[0]
    with psycopg.connect(url) as db:
        return db.execute(sql).fetchone()[0]


def _lines(stream: Any, into: queue.Queue[str]) -> None:
    for line in stream:
        into.put(line.rstrip("\n"))
    into.put("")  # end of stream


@pytest.mark.slow
def test_an_import_killed_while_writing_leaves_nothing_behind(scratch_database, tmp_path):
    backend, env = scratch_database
    for args in (["migrate", "--no-input"],
                 ["shell", "-c", "from rencai.core.models import City, Zone; "
                                 "Zone.objects.create(city=City.objects.create(name='包头市'), name='稀土高新区', "
                                 "code='xitu')"]):
        done = rencai(env, *args)
        assert done.returncode == 0, done.stderr
    path = talents_csv(tmp_path / "big.csv", 20_000)

    process = subprocess.Popen([str(RENCAI), "import", "talents", str(path), "--progress"], env=env,  # noqa: S603
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_lines, args=(process.stderr, lines), daemon=True).start()
    heard: list[str] = []
    deadline = time.monotonic() + 300
    while not (heard and heard[-1].startswith("写入：") and not heard[-1].startswith("写入：0/")):
        heard.append(lines.get(timeout=max(1.0, deadline - time.monotonic())))
        assert heard[-1] or process.poll() is None, f"the import ended before writing: {heard}"
    alive = process.poll() is None
    process.send_signal(signal.SIGKILL)  # no chance to clean up: as a power cut or an OOM kill would
    process.wait(timeout=60)
    assert alive, "the import finished before it could be killed; the test needs a bigger file"
    assert f"写入：{INSERT_BATCH}/" in heard[-1]  # killed after a batch was inserted, before the commit
    assert not any(line.startswith("完成") for line in heard)

    assert count(backend, env, "SELECT COUNT(*) FROM talents_talent") == 0
    assert count(backend, env, "SELECT COUNT(*) FROM core_auditevent WHERE action = 'import'") == 0
    small = talents_csv(tmp_path / "small.csv", 3)
    after = rencai(env, "import", "talents", str(small), "--format", "json")  # the database still works
    assert after.returncode == 0, after.stderr
    assert count(backend, env, "SELECT COUNT(*) FROM talents_talent") == 3
