from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "rencai.matching"
    label = "matching"
    verbose_name = "人才需求匹配"

    def ready(self) -> None:
        from rencai.core.widgets import register_home_widget
        from rencai.matching.widgets import proposals_widget

        register_home_widget(proposals_widget, order=45)
