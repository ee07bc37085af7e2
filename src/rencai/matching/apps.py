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
        from rencai.matching.tasks import describe_nightly, nightly_job

        register_job("matching_nightly", _("补跑匹配批次并重新学习排序权重"), run=nightly_job, daily_at="03:00",
                     describe=describe_nightly)
