"""How policy data reads to people: government levels, shares as percentages, conditions, sources."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from rencai.funds.models import Level
from rencai.policies.models import AUTO_SOURCE

register = template.Library()


@register.filter
def level_label(key: str) -> str:
    """`district` → 区, `region` → 自治区, `city` → 市."""
    return str(Level(key).label) if key in Level.values else key


@register.filter
def percent(share: Any) -> str:
    """`0.125` → 12.5%, `1` → 100%."""
    try:
        value = Decimal(str(share)) * 100
    except (InvalidOperation, ValueError):
        return str(share)
    text = f"{value.normalize():f}"
    return f"{text.rstrip('0').rstrip('.') if '.' in text else text}%"


def describe_source(source: str, user: Any = None) -> tuple[str, str]:
    """What an entitlement's source is, in words, and the page it links to ('' when none)."""
    if source == AUTO_SOURCE:
        return "免申即享（平台数据比对）", ""
    kind, _, ref = source.partition(":")
    if kind == "application" and ref.isdigit():
        return f"兑现申请 #{ref}", reverse("policies:application", args=[int(ref)])
    if kind == "一人一策":
        return "一人一策", ""
    if "." in kind and ref.isdigit():
        try:
            model = apps.get_model(kind)
        except (LookupError, ValueError):
            return source, ""
        rows = model._default_manager
        if user is not None and hasattr(rows, "visible_to"):
            rows = rows.visible_to(user)
        obj = rows.filter(pk=int(ref)).first()
        if obj is None:
            return str(model._meta.verbose_name), ""
        try:
            url = reverse(f"{model._meta.app_label}:{model._meta.model_name}", args=[obj.pk])
        except NoReverseMatch:
            url = ""
        return f"{model._meta.verbose_name}：{obj}", url
    return source, ""


@register.simple_tag(takes_context=True)
def entitlement_source(context: dict, entitlement: Any) -> str:
    label, url = describe_source(entitlement.source, context.get("user"))
    return format_html('<a href="{}">{}</a>', url, label) if url else format_html("{}", label)
