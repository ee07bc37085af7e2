from django.apps import AppConfig


class OnestopConfig(AppConfig):
    name = "rencai.onestop"
    label = "onestop"
    verbose_name = "一站式人才服务"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from rencai.core.context_processors import nav_register
        from rencai.core.roles import REGISTER_READERS, Role
        from rencai.core.schedule import register_job
        from rencai.onestop.services import daily_job, describe_daily

        nav_register(_("一站式服务"), "onestop:requests", REGISTER_READERS)
        nav_register(_("我的服务"), "onestop:mine", frozenset({Role.TALENT}))
        nav_register(_("服务任务"), "onestop:queue", frozenset({Role.BUREAU}))
        nav_register(_("人才码核销"), "onestop:partner", frozenset({Role.PARTNER}))
        from rencai.core.widgets import register_home_widget
        from rencai.onestop.widgets import services_widget

        register_home_widget(services_widget, order=70)
        register_job("onestop_daily", "一站式服务超期上报与专家走访提醒", run=daily_job, daily_at="06:30",
                     describe=describe_daily)
