"""The kinds of notice policy fulfilment sends (found by rencai.core.inbox at start-up)."""

from rencai.core.inbox import register_kind

PAYMENT_RETURNED = "policies.payment_returned"

register_kind(PAYMENT_RETURNED, "兑现款被国库退回")
register_kind("policies.application", "政策兑现申请进展")
register_kind("policies.entitlement", "政策兑现进展")
