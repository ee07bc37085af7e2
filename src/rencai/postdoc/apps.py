from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostdocConfig(AppConfig):
    name = "rencai.postdoc"
    label = "postdoc"
    verbose_name = "博士后工作站"

    def ready(self) -> None:
        from rencai.core import search
        from rencai.postdoc.models import Postdoc, Station

        search.register(Station, fields=["name", "enterprise__name", "research_fields", "approval_number"])
        search.register(Postdoc, fields=["talent__name", "station__name", "station__enterprise__name", "topic",
                                         "supervisor", "co_supervisor", "partner__institution__name"])

        from rencai.core.widgets import register_home_widget
        from rencai.postdoc.widgets import postdoc_widget, reminder_widget

        register_home_widget(postdoc_widget, order=60)
        register_home_widget(reminder_widget, order=61)

        from rencai.core.schedule import register_job
        from rencai.postdoc.tasks import daily_job, describe_daily

        register_job("postdoc_daily", _("博士后开题、中期、出站期限提醒"), run=daily_job, daily_at="07:00",
                     describe=describe_daily)
