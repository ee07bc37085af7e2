"""`{% unread_notices as n %}`: the header's unread count, one COUNT query per page."""

from __future__ import annotations

from typing import Any

from django import template

from rencai.core.inbox import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notices(context: dict[str, Any]) -> int:
    request = context.get("request")
    return unread_count(getattr(request, "user", None)) if request is not None else 0
