"""{% record_actions obj as actions %}: the buttons other areas offer on this record's page (core.actions)."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model

from rencai.core.actions import RecordAction
from rencai.core.actions import record_actions as offered

register = template.Library()


@register.simple_tag(takes_context=True)
def record_actions(context: dict[str, Any], obj: Model) -> list[RecordAction]:
    request = context.get("request")
    return offered(request, obj) if request is not None else []
