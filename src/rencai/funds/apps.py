from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "rencai.funds"
    label = "funds"
    verbose_name = "人才资金"
