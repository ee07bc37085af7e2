from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "rencai.policies"
    label = "policies"
    verbose_name = "政策兑现"

    def ready(self) -> None:
        from rencai.core.widgets import register_home_widget
        from rencai.funds.selectors import register_category_labeller
        from rencai.policies.widgets import policies_widget

        register_category_labeller(_policy_title)
        register_home_widget(policies_widget, order=60)

        from rencai.core.schedule import register_job
        from rencai.policies.tasks import describe_nightly, nightly_job

        register_job("policies_nightly", _("免申即享名单扫描"), run=nightly_job, daily_at="02:00",
                     describe=describe_nightly)


def _policy_title(code: str) -> str | None:
    """Funds book by policy code; the reconciliation page shows the policy's title."""
    from rencai.policies.models import Policy

    return Policy.objects.filter(code=code).values_list("title", flat=True).first()
