"""The task the task-queue benchmark runs (bench/tasks_bench.py): one small row write, as a notice or a beat does.

A module of its own so worker processes can import it (the benchmark puts bench/ on their PYTHONPATH)."""

from __future__ import annotations

import json
import time

from django_tasks import task


@task()
def write_one_row(n: int) -> None:
    from django.utils import timezone

    from rencai.core.models import TaskLease

    now = timezone.now()
    TaskLease.objects.create(task_id=f"bench-{n}", task_path="bench.tasktarget", owner="bench", started_at=now,
                             beat_at=now)


def drive(count: int) -> None:
    """Enqueue `count` tasks, wait until all have run; print the figures as one JSON line."""
    from rencai.core.models import TaskLease  # the caller has run django.setup()

    start = time.perf_counter()
    for n in range(count):
        write_one_row.enqueue(n)
    enqueued = time.perf_counter()
    deadline = enqueued + 900
    done = 0
    while time.perf_counter() < deadline:
        done = TaskLease.objects.filter(task_id__startswith="bench-").count()
        if done >= count:
            break
        time.sleep(0.2)
    finished = time.perf_counter()
    print(json.dumps({"enqueue_s": round(enqueued - start, 3), "drain_s": round(finished - start, 3),
                      "done": done, "enqueue_per_s": round(count / (enqueued - start), 1)}))
