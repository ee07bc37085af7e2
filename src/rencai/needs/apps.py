from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "rencai.needs"
    label = "needs"
    verbose_name = "企业需求"
