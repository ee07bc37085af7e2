"""Running a round in the background: rounds can be big. Idempotent: a rerun replaces the draft results."""

from __future__ import annotations

from django_tasks import task

from rencai.matching.services import round_run


@task()
def run_round(round_id: int) -> None:
    round_run(round_id=round_id)
