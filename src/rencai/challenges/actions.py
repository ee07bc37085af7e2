"""The button this area offers on a need's page: publish a 揭榜挂帅 list from a 技术攻关 need (core.actions)."""

from __future__ import annotations

from django.db.models import Model
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rencai.core.actions import RecordAction


def offer_from_need(request: HttpRequest, need: Model) -> RecordAction | None:
    from rencai.challenges.models import Challenge
    from rencai.challenges.views.office import AUTHORS
    from rencai.needs.models import Kind

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.role not in AUTHORS:
        return None
    if getattr(need, "kind", None) != Kind.TECH or Challenge.objects.filter(need=need.pk).exists():
        return None
    return RecordAction(label=_("据此发布揭榜挂帅榜单"), url=reverse("challenges:from_need", args=[need.pk]),
                        note=_("生成榜单草稿并保留与本需求的关联，再补充考核指标和验收标准"))
