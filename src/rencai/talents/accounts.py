"""How a talent's own account hangs on their register record: core's 系统管理 creates it from the record."""

from __future__ import annotations

from django.db.models import QuerySet

from rencai.core.accounts import AccountLink, register_account_link
from rencai.core.models import User
from rencai.core.roles import Role
from rencai.talents.models import Talent


def _talents_without_account(admin: User) -> QuerySet[Talent]:
    return Talent.objects.visible_to(admin).filter(user__isnull=True).order_by("name")


def _attach(talent: Talent, user: User) -> None:
    Talent.objects.filter(pk=talent.pk).update(user=user)


def register() -> None:
    register_account_link(AccountLink(
        role=Role.TALENT, label="人才档案", choices=_talents_without_account, attach=_attach,  # type: ignore[arg-type]
        users=lambda admin: User.objects.filter(talent_profile__in=Talent.objects.visible_to(admin)),
        describe=lambda user: getattr(getattr(user, "talent_profile", None), "name", ""),
    ))
