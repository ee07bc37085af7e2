"""The navigation bar: areas shown by role, so nobody is shown a link they would be refused."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from rencai.core.roles import REGISTER_READERS, REGISTER_WRITERS, Role

NAV: list[tuple[str, str, frozenset[str]]] = [
    ("首页", "core:home", frozenset(Role.values)),
    ("人才库", "talents:list", REGISTER_READERS | {Role.LIAISON}),
    ("我的档案", "talents:mine", frozenset({Role.TALENT})),
    ("企业库", "orgs:enterprise_list", REGISTER_READERS | {Role.ENTERPRISE}),
    ("派出单位", "orgs:institution_list", REGISTER_READERS | {Role.LIAISON}),
    ("分层规则", "talents:tier_rules", REGISTER_WRITERS),
    ("审计日志", "core:audit_list", frozenset({Role.OFFICE_ADMIN})),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    path = request.path
    items = []
    for label, name, roles in NAV:
        if user.role in roles:
            url = reverse(name)
            active = path == url if url == "/" else path.startswith(url)
            items.append({"label": label, "url": url, "active": active})
    return {"nav": items}
