"""Background work: running a round (rounds can be big) and the nightly relearning. Both idempotent."""

from __future__ import annotations

from datetime import date
from typing import Any

from django_tasks import task

from rencai.matching.models import MatchRound, RoundStatus
from rencai.matching.services import round_run


@task()
def run_round(round_id: int) -> None:
    round_run(round_id=round_id)


@task()
def matching_nightly() -> dict[str, Any]:
    """Rounds still in draft (a worker died mid-run) are run again; then the weights are relearned."""
    from rencai.matching.learning import learn_weights

    drafts = list(MatchRound.objects.filter(status=RoundStatus.DRAFT).values_list("pk", flat=True))
    for pk in drafts:
        round_run(round_id=pk)
    learned = learn_weights(by=None)
    return {"rounds": len(drafts), "feedback": learned.metrics["feedback"], "used": learned.metrics["used"]}


def nightly_job(today: date) -> dict[str, Any]:
    """The registered job (see rencai.core.schedule): unfinished rounds, then relearning the weights."""
    return matching_nightly.call()


def describe_nightly(summary: dict[str, Any]) -> str:
    return (f"运行批次 {summary.get('rounds', 0)} 个；反馈 {summary.get('feedback', 0)} 条；"
            f"当前使用：{summary.get('used', '')}")


@task()
def embed_profiles_task(talent_ids: list[int] | None = None) -> dict[str, int]:
    """Embed profiles for the semantic layer (all stale ones when `talent_ids` is None); resumable."""
    from rencai.matching.services import embed_profiles

    return embed_profiles(talent_ids)


def embed_job(today: date) -> dict[str, int]:
    """Nightly: whatever bypassed the save signal (bulk imports) is embedded before the next round."""
    return embed_profiles_task.call()


def describe_embed(summary: dict[str, Any]) -> str:
    return f"检查档案 {summary.get('checked', 0)} 份；计算语义向量 {summary.get('embedded', 0)} 份"
