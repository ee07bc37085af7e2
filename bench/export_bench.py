"""Export benchmark: a register's .xlsx export answered inside the request (as before) and as a worker task.

    .venv/bin/python bench/export_bench.py [--rows N]      # make bench runs it with 100,000 rows

Into a fresh SQLite file (test settings, migrated), N talents of one zone; then, as the zone's office admin:
(a) the export inside the request (RENCAI_EXPORT_INLINE_ROWS above N): how long the clerk's request takes;
(b) the same export as a job (the default limit): how long the request takes before the page answers, and how
long the worker (core.export_jobs.export_run, run inline here) takes to write the same file.
The request of (b) is the figure issue 18 asks about (never inside a request); the worker's time should be close
to (a)'s, since it writes the same rows. CPU seconds are printed beside wall seconds (the machine is shared).
Writes bench/results/export.json (export-N.json for other sizes).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"


def _timed(fn):  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, round(time.perf_counter() - wall, 3), round(time.process_time() - cpu, 3)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    rows = parser.parse_args().rows
    work = Path(tempfile.mkdtemp(prefix="rencai-export-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "rencai.config.settings.test"
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from rencai.core.export_jobs import export_run
    from rencai.core.export_models import ExportJob
    from rencai.core.models import City, User, Zone
    from rencai.core.roles import Role
    from rencai.talents.models import Talent
    from tests.factories import make_id_number

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(work / "media")}}}
    call_command("migrate", verbosity=0)
    city = City.objects.create(name="基准市", code="bench")
    zone = Zone.objects.create(city=city, name="基准园区", code="benchzone")
    talents = []
    for n in range(rows):
        talent = Talent(zone=zone, name=f"基准{n}", id_number=make_id_number(seq=n % 1000), phone=f"138{n:08d}",
                        education="博士研究生", degree="博士", research_directions="稀土永磁材料；晶界扩散")
        talent.refresh_keys()
        talents.append(talent)
    Talent.objects.bulk_create(talents, batch_size=2000)
    admin = User.objects.create(username="bench_admin", role=Role.OFFICE_ADMIN, zone=zone, city=city)
    client = Client()
    client.force_login(admin)
    device = TOTPDevice.objects.create(user=admin, name="bench", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()

    settings.RENCAI_EXPORT_INLINE_ROWS = rows + 1
    inline, inline_wall, inline_cpu = _timed(lambda: client.get("/talents/export/"))
    assert inline.status_code == 200, inline.status_code
    settings.RENCAI_EXPORT_INLINE_ROWS = min(5000, rows - 1)
    # The request only queues the job (a dummy backend keeps it); the worker's run is timed on its own below.
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend",
                                              "QUEUES": []}}):
        queued, ask_wall, ask_cpu = _timed(lambda: client.get("/talents/export/"))
    assert queued.status_code == 302, queued.status_code
    job = ExportJob.objects.get()
    _, run_wall, run_cpu = _timed(lambda: export_run.call(job.pk))
    job.refresh_from_db()
    assert job.status == "done" and job.rows_done == rows, (job.status, job.error)
    result = {
        "rows": rows, "machine": platform.platform(), "cpus": os.cpu_count(),
        "inside_request": {"wall_s": inline_wall, "cpu_s": inline_cpu, "bytes": len(inline.content)},
        "as_task_request": {"wall_s": ask_wall, "cpu_s": ask_cpu},
        "as_task_worker": {"wall_s": run_wall, "cpu_s": run_cpu, "bytes": job.file.size},
        "request_ratio_task_to_inside": round(ask_wall / inline_wall, 4) if inline_wall else None,
        "worker_ratio_to_inside": round(run_cpu / inline_cpu, 3) if inline_cpu else None,
    }
    RESULTS.mkdir(exist_ok=True)
    name = "export.json" if rows == 100_000 else f"export-{rows}.json"
    (RESULTS / name).write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
