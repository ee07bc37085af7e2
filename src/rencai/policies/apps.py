from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "rencai.policies"
    label = "policies"
    verbose_name = "政策兑现"
