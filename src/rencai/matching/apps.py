from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "rencai.matching"
    label = "matching"
    verbose_name = "人才需求匹配"

    def ready(self) -> None:
        from rencai.core.widgets import register_home_widget
        from rencai.matching.widgets import proposals_widget

        register_home_widget(proposals_widget, order=45)

        from rencai.core.schedule import register_job
        from rencai.matching.tasks import describe_embed, describe_nightly, embed_job, nightly_job

        register_job("matching_nightly", _("补跑匹配批次并重新学习排序权重"), run=nightly_job, daily_at="03:00",
                     describe=describe_nightly)
        register_job("matching_embed", _("计算人才档案语义向量"), run=embed_job, daily_at="02:30",
                     describe=describe_embed)

        from django.db.models.signals import post_save

        from rencai.talents.models import Talent

        post_save.connect(_embed_on_save, sender=Talent, dispatch_uid="matching:embed", weak=False)


def _embed_on_save(sender: type, instance: object, raw: bool = False, **kwargs: object) -> None:
    """A saved profile is embedded again in the task worker after the commit (only if its text changed:
    embed_profiles compares digests). Off with RENCAI_SEMANTIC=0 (and in the test settings)."""
    from django.conf import settings
    from django.db import transaction

    if raw or not settings.RENCAI_SEMANTIC:
        return
    from rencai.matching.tasks import embed_profiles_task

    pk = instance.pk  # type: ignore[attr-defined]
    transaction.on_commit(lambda: embed_profiles_task.enqueue([pk]))
