from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "rencai.needs"
    label = "needs"
    verbose_name = "企业需求"

    def ready(self) -> None:
        from rencai.core import search
        from rencai.needs.models import Need

        # the list page's search fields, answered from the search index (core.search)
        search.register(Need, fields=["title", "description", "enterprise__name", "field_text", "expected_talent"])

        from rencai.core.imports import register_importer
        from rencai.core.widgets import register_home_widget
        from rencai.needs.importers import NeedImporter
        from rencai.needs.widgets import needs_widget, queue_widget

        register_importer(NeedImporter())
        register_home_widget(needs_widget, order=40)
        register_home_widget(queue_widget, order=41)
