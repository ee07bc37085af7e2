from django.apps import AppConfig


class EngagementsConfig(AppConfig):
    name = "rencai.engagements"
    label = "engagements"
    verbose_name = "柔性引才"

    def ready(self) -> None:
        from rencai.core.widgets import register_home_widget
        from rencai.engagements.widgets import engagements_widget

        register_home_widget(engagements_widget, order=50)
