from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "rencai.matching"
    label = "matching"
    verbose_name = "人才需求匹配"
