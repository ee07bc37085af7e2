"""Task-queue benchmark: the embedded default (django-tasks-db on PostgreSQL) beside Redis (django-tasks-rq).

    .venv/bin/python bench/tasks_bench.py [--tasks N] [--workers W]   # needs PostgreSQL; Redis for the second

For each backend: migrate a fresh PostgreSQL database, start W worker processes, enqueue N small tasks (each
writes one row, as a notice or a progress beat does), and time (a) the enqueue, (b) the drain until every task has
run. Tasks per second of the drain is the figure; it tells when an office outgrows the database queue
(docs/scaling.md). Writes bench/results/tasks.json. Skips a backend whose service does not answer.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
BIN = ROOT / ".venv" / "bin"
PG = "postgres://postgres@127.0.0.1:5432/rencai_taskbench"
REDIS = "redis://127.0.0.1:6379/7"


def _answers(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _env(broker: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": PG, "DJANGO_SETTINGS_MODULE": "rencai.config.settings.dev",
           "PYTHONPATH": f"{BENCH}:{ROOT / 'src'}", "RENCAI_VAR_DIR": tempfile.mkdtemp(prefix="rencai-taskbench-")}
    env.pop("RENCAI_TASK_BROKER", None)
    if broker:
        env["RENCAI_TASK_BROKER"] = broker
    return env


def _fresh_database() -> None:
    for sql in ("DROP DATABASE IF EXISTS rencai_taskbench", "CREATE DATABASE rencai_taskbench"):
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql],  # noqa: S603, S607
                       check=True, capture_output=True)


def run(backend: str, tasks: int, workers: int) -> dict[str, object]:
    broker = REDIS if backend == "rq" else ""
    env = _env(broker)
    _fresh_database()
    subprocess.run([BIN / "rencai", "migrate", "--no-input"], env=env, check=True, capture_output=True)  # noqa: S603
    if broker:
        import redis

        redis.Redis.from_url(REDIS).flushdb()
        # SimpleWorker runs each job in the worker process (RQ's default forks a work horse per job)
        command = [str(BIN / "rencai"), "rqworker", "--job-class", "django_tasks_rq.Job",
                   "--worker-class", "rq.worker.SimpleWorker", "default"]
    else:
        command = [str(BIN / "rencai"), "db_worker", "--interval", "0.05"]
    children = [subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
                for _ in range(workers)]
    try:
        drive = f"import django; django.setup(); import tasktarget; tasktarget.drive({tasks})"
        out = subprocess.run([BIN / "python", "-c", drive], env=env,  # noqa: S603
                             check=True, capture_output=True, text=True).stdout
        figures = json.loads(out.strip().splitlines()[-1])
    finally:
        for child in children:
            child.terminate()
        for child in children:
            child.wait(timeout=30)
    figures.update({"backend": backend, "workers": workers,
                    "drain_tasks_per_s": round(tasks / figures["drain_s"], 1) if figures["drain_s"] else None})
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not _answers(5432):
        print("SKIPPED: no PostgreSQL on 127.0.0.1:5432")
        return
    results = {"machine": platform.platform(), "cpus": os.cpu_count(), "tasks": args.tasks, "runs": []}
    for backend in ("db", "rq"):
        if backend == "rq" and not _answers(6379):
            print("SKIPPED rq: no Redis on 127.0.0.1:6379")
            continue
        figures = run(backend, args.tasks, args.workers)
        results["runs"].append(figures)
        print(json.dumps(figures, ensure_ascii=False))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "tasks.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
