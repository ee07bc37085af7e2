from django.apps import AppConfig


class PostdocConfig(AppConfig):
    name = "rencai.postdoc"
    label = "postdoc"
    verbose_name = "博士后工作站"

    def ready(self) -> None:
        from rencai.core.widgets import register_home_widget
        from rencai.postdoc.widgets import postdoc_widget, reminder_widget

        register_home_widget(postdoc_widget, order=60)
        register_home_widget(reminder_widget, order=61)
