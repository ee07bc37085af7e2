from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "rencai.core"
    label = "core"
    verbose_name = "基础"
