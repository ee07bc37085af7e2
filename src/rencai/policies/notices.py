"""The kinds of notice policy fulfilment sends (found by rencai.core.inbox at start-up)."""

from django.utils.translation import gettext_lazy as _

from rencai.core.inbox import register_kind

PAYMENT_RETURNED = "policies.payment_returned"

register_kind(PAYMENT_RETURNED, _("兑现款被国库退回"))
register_kind("policies.application", _("政策兑现申请进展"))
register_kind("policies.entitlement", _("政策兑现进展"))
