"""What this area offers on other areas' record pages (core.actions), so those areas need not import targets."""

from __future__ import annotations

from django.db.models import Model
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rencai.core.actions import RecordAction, register_record_action
from rencai.core.roles import STAFF, Role

READERS = frozenset(STAFF | {Role.EVALUATOR})


def policy_evaluations(request: HttpRequest, policy: Model) -> RecordAction | None:
    """On a policy's page: the policy-effect evaluations of that policy, for those who may read evaluations."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(user, "role", None) not in READERS:
        return None
    return RecordAction(label=_("政策效果评估"), url=f"{reverse('targets:evaluations')}?policy={policy.pk}",
                        note=_("本政策的评估方案与结果"), method="get")


def register_offers() -> None:
    register_record_action("policies.policy", policy_evaluations)
