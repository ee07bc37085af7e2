from django.apps import AppConfig


class EngagementsConfig(AppConfig):
    name = "rencai.engagements"
    label = "engagements"
    verbose_name = "柔性引才"
