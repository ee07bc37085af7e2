"""The kinds of notice the postdoc register sends (found by rencai.core.inbox at start-up)."""

from django.utils.translation import gettext_lazy as _

from rencai.core.inbox import register_kind

DEADLINE = "postdoc.deadline"

register_kind(DEADLINE, _("博士后期限提醒"), default_channels=("inbox", "email"))
