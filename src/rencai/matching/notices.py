"""The kinds of notice matching sends (found by rencai.core.inbox at start-up)."""

from django.utils.translation import gettext_lazy as _

from rencai.core.inbox import register_kind

PAIRING = "matching.pairing"

register_kind(PAIRING, _("配对消息"))
