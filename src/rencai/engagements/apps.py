from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementsConfig(AppConfig):
    name = "rencai.engagements"
    label = "engagements"
    verbose_name = "柔性引才"

    def ready(self) -> None:
        from rencai.core import search
        from rencai.engagements.models import Agreement

        # the list page's search fields, answered from the search index (core.search)
        search.register(Agreement, fields=["talent__name", "enterprise__name", "institution__name"])

        from rencai.core.widgets import register_home_widget
        from rencai.engagements.widgets import engagements_widget

        register_home_widget(engagements_widget, order=50)

        from rencai.core.schedule import register_job
        from rencai.engagements.tasks import daily_job, describe_daily

        register_job("engagements_daily", _("柔性引才履约提醒"), run=daily_job, daily_at="07:30",
                     describe=describe_daily)
