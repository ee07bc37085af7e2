"""How enterprise and liaison accounts hang on the registers: core's 系统管理 creates them from a record."""

from __future__ import annotations

from django.db.models import QuerySet

from rencai.core.accounts import AccountLink, register_account_link
from rencai.core.models import User
from rencai.core.roles import Role
from rencai.orgs.models import Enterprise, Institution


def _enterprises(admin: User) -> QuerySet[Enterprise]:
    return Enterprise.objects.visible_to(admin).order_by("name")


def _institutions(admin: User) -> QuerySet[Institution]:
    return Institution.objects.visible_to(admin).order_by("name")


def register() -> None:
    register_account_link(AccountLink(
        role=Role.ENTERPRISE, label="企业", choices=_enterprises,
        attach=lambda enterprise, user: enterprise.members.add(user),  # type: ignore[attr-defined]
        users=lambda admin: User.objects.filter(role=Role.ENTERPRISE, enterprises__in=_enterprises(admin)),
        describe=lambda user: "、".join(e.name for e in user.enterprises.all()),
    ))
    register_account_link(AccountLink(
        role=Role.LIAISON, label="派出单位", choices=_institutions,
        attach=lambda institution, user: institution.liaisons.add(user),  # type: ignore[attr-defined]
        # sending units are shared by the city; their liaisons are managed by the city's office
        users=lambda admin: User.objects.filter(role=Role.LIAISON, institutions__in=_institutions(admin))
        if admin.zone_id is None else User.objects.none(),
        describe=lambda user: "、".join(i.name for i in user.institutions.all()),
    ))
