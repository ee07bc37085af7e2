from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "rencai.orgs"
    label = "orgs"
    verbose_name = "企业与机构"

    def ready(self) -> None:
        from rencai.core import search
        from rencai.orgs.models import Enterprise

        # the list page's search fields, answered from the search index (core.search)
        search.register(Enterprise, fields=["name", "name_key", "credit_code", "address"])

        from rencai.core.imports import register_importer
        from rencai.core.widgets import register_home_widget
        from rencai.orgs.accounts import register as register_account_links
        from rencai.orgs.importers import EnterpriseImporter
        from rencai.orgs.widgets import enterprise_widget, institution_widget

        register_importer(EnterpriseImporter())
        register_home_widget(enterprise_widget, order=20)
        register_home_widget(institution_widget, order=30)
        register_account_links()
