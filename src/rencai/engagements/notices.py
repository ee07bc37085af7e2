"""The kinds of notice flexible service sends (found by rencai.core.inbox at start-up)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from rencai.core.inbox import register_kind

MONTH_SHORT = "engagements.month_short"
CONFIRM = "engagements.confirm"
OFFICE_DIGEST = "engagements.office_digest"
LETTER = "engagements.letter"
KINDS = (MONTH_SHORT, CONFIRM, OFFICE_DIGEST, LETTER)

register_kind(MONTH_SHORT, _("本月服务不足"), default_channels=("inbox", "email"))
register_kind(CONFIRM, _("待确认服务记录"))
register_kind(OFFICE_DIGEST, _("履约落后名单"))
register_kind(LETTER, _("收到年度考核意见"))


def reminder_key(agreement: Any, period: str) -> str:
    """One reminder per person, kind, agreement (none for the office digest) and period: the dedupe key."""
    return f"{agreement.pk if agreement is not None else '-'}:{period}"
