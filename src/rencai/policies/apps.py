from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "rencai.policies"
    label = "policies"
    verbose_name = "政策兑现"

    def ready(self) -> None:
        from rencai.funds.selectors import register_category_labeller

        register_category_labeller(_policy_title)


def _policy_title(code: str) -> str | None:
    """Funds book by policy code; the reconciliation page shows the policy's title."""
    from rencai.policies.models import Policy

    return Policy.objects.filter(code=code).values_list("title", flat=True).first()
