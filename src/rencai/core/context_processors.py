"""The navigation bar: areas shown by role, so nobody is shown a link they would be refused."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from rencai.core.roles import REGISTER_READERS, REGISTER_WRITERS, STAFF_AND_PARTIES, Role

STAFF_AND_APPLICANTS = REGISTER_READERS | {Role.TALENT, Role.ENTERPRISE}

NAV: list[tuple[str | Promise, str, frozenset[str]]] = [
    (_("首页"), "core:home", frozenset(Role.values)),
    (_("人才库"), "talents:list", REGISTER_READERS | {Role.LIAISON}),
    (_("我的档案"), "talents:mine", frozenset({Role.TALENT})),
    (_("企业库"), "orgs:enterprise_list", REGISTER_READERS | {Role.ENTERPRISE}),
    (_("派出单位"), "orgs:institution_list", REGISTER_READERS | {Role.LIAISON}),
    (_("企业需求"), "needs:list", REGISTER_READERS),
    (_("柔性引才"), "engagements:list", STAFF_AND_PARTIES),
    (_("我的需求"), "needs:mine", frozenset({Role.ENTERPRISE})),
    (_("匹配批次"), "matching:rounds", REGISTER_READERS),
    (_("为我推荐"), "matching:proposals", frozenset({Role.ENTERPRISE, Role.TALENT})),
    (_("博士后工作站"), "postdoc:stations", REGISTER_READERS | {Role.ENTERPRISE, Role.LIAISON}),
    (_("我的博士后"), "postdoc:postdocs", frozenset({Role.TALENT})),
    (_("政策兑现"), "policies:list", STAFF_AND_APPLICANTS),
    (_("资金对账"), "funds:reconciliation", frozenset({Role.OFFICE_ADMIN, Role.FINANCE})),
    (_("分层规则"), "talents:tier_rules", REGISTER_WRITERS),
    (_("系统管理"), "core:manage", frozenset({Role.OFFICE_ADMIN})),
    (_("审计日志"), "core:audit_list", frozenset({Role.OFFICE_ADMIN})),
    (_("权限一览"), "core:access_overview", frozenset({Role.OFFICE_ADMIN})),
    (_("定时任务"), "core:job_list", frozenset({Role.OFFICE_ADMIN})),
]


def nav_register(label: str | Promise, name: str, roles: frozenset[str], *, before: str = "core:manage") -> None:
    """An app adds its area to the bar from `AppConfig.ready`, so core names no domain app (idempotent)."""
    if any(entry[1] == name for entry in NAV):
        return
    names = [entry[1] for entry in NAV]
    at = names.index(before) if before in names else len(NAV)
    NAV.insert(at, (label, name, frozenset(roles)))


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
