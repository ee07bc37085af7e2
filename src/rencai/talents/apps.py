from django.apps import AppConfig


class TalentsConfig(AppConfig):
    name = "rencai.talents"
    label = "talents"
    verbose_name = "人才库"

    def ready(self) -> None:
        from rencai.core import search
        from rencai.talents.models import Talent

        # the list page's search fields, answered from the search index (core.search)
        search.register(Talent, fields=["name", "name_key", "research_directions", "employer", "major", "discipline",
                                        "title", "achievements"])

        from rencai.core.imports import register_importer
        from rencai.core.widgets import register_home_widget
        from rencai.talents.accounts import register as register_account_links
        from rencai.talents.importers import TalentImporter
        from rencai.talents.widgets import talent_widget

        register_importer(TalentImporter())
        register_home_widget(talent_widget, order=10)
        register_account_links()
