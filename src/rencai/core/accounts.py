"""The office's own administration: zones, bureaus and user accounts, without the shell.

Every write is one service with its audit entry. A city-level office admin manages the city's zones, bureaus
and every user of the city; a zone-level admin manages the users of their zone only. An enterprise, talent or
liaison account is created from its register record: the domain apps register how (`register_account_link`),
so core names none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from rencai.core.audit import audit_record
from rencai.core.models import Bureau, Zone
from rencai.core.models import User as UserModel
from rencai.core.roles import STAFF, Role


@dataclass(frozen=True)
class AccountLink:
    """How an external role's account hangs on a register record (an enterprise's members, a talent's login)."""

    role: str
    label: str  # the record's kind, e.g. 企业
    choices: Callable[[UserModel], QuerySet]  # records this admin may attach an account to
    attach: Callable[[models.Model, UserModel], None]
    users: Callable[[UserModel], QuerySet]  # accounts already attached to records this admin may see
    describe: Callable[[UserModel], str]  # which record an account belongs to, for the list


_LINKS: dict[str, AccountLink] = {}


def register_account_link(link: AccountLink) -> None:
    _LINKS[link.role] = link


def account_link(role: str) -> AccountLink | None:
    return _LINKS.get(role)


def require_admin(user: UserModel) -> None:
    if user.role != Role.OFFICE_ADMIN:
        raise PermissionDenied("只有人才办管理员可以管理账号")


def require_city_admin(user: UserModel) -> None:
    require_admin(user)
    if user.zone_id is not None:
        raise PermissionDenied("旗区/园区和局办由市级人才办管理员管理")


def managed_users(admin: UserModel) -> QuerySet[UserModel]:
    """Accounts this admin may manage: staff of their zone (or city), and the parties of their records."""
    if admin.role != Role.OFFICE_ADMIN:
        return UserModel.objects.none()
    if admin.zone_id:
        own = Q(zone=admin.zone_id)
    elif admin.city_id:
        own = Q(city=admin.city_id) | Q(zone__city=admin.city_id) | Q(bureau__city=admin.city_id)
    else:
        own = Q()
    linked = Q()
    for link in _LINKS.values():
        linked |= Q(pk__in=link.users(admin).values("pk"))
    return UserModel.objects.filter(own | linked).exclude(username="rencai-system").order_by("role", "username")


def managed_user(admin: UserModel, pk: int) -> UserModel:
    found = managed_users(admin).filter(pk=pk).first()
    if found is None:
        raise Http404("该账号不在您的管理范围内")
    return found


@transaction.atomic
def city_record_save(*, record: Zone | Bureau, by: UserModel, request: HttpRequest | None = None) -> Zone | Bureau:
    """A zone or a bureau of the admin's city: only city-level office admins create or rename them."""
    require_city_admin(by)
    created = record.pk is None
    record.city_id = by.city_id  # type: ignore[assignment]  # a city admin has a city; None is refused by full_clean()
    record.full_clean()
    record.save()
    audit_record(action="create" if created else "update", request=request, user=by, obj=record)
    return record


def _check_scope_fields(user: UserModel, by: UserModel, record: models.Model | None, *,
                        require_record: bool = True) -> None:
    if user.role in STAFF:
        if by.zone_id and user.zone_id != by.zone_id:
            raise ValidationError("旗区/园区管理员只能为本旗区/园区添加工作人员")
        if user.zone and user.zone.city_id != by.city_id and by.city_id:
            raise ValidationError("只能选择本市的旗区/园区")
    else:
        user.zone = None if user.role != Role.BUREAU else user.zone
    if user.role == Role.BUREAU and user.bureau_id is None:
        raise ValidationError("局办人员须选择所属局办")
    link = account_link(user.role)
    if require_record and link is not None and record is None:
        raise ValidationError(f"{Role(user.role).label}账号须选择对应的{link.label}")


@transaction.atomic
def user_invite(*, user: UserModel, by: UserModel, record: models.Model | None = None,
                request: HttpRequest | None = None) -> tuple[UserModel, str]:
    """A new account, without a usable password: the returned link lets its owner set one (valid 3 days)."""
    require_admin(by)
    user.city_id = by.city_id
    if by.zone_id and user.role in STAFF:
        user.zone_id = by.zone_id
    _check_scope_fields(user, by, record)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    link = account_link(user.role)
    if link is not None and record is not None:
        if not link.choices(by).filter(pk=record.pk).exists():
            raise PermissionDenied(f"该{link.label}不在您的管理范围内")
        link.attach(record, user)
    audit_record(action="create", request=request, user=by, obj=user,
                 detail={"role": user.role, "zone": user.zone_id, "bureau": user.bureau_id,
                         "record": str(record) if record is not None else ""})
    return user, password_link(user)


def password_link(user: UserModel) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("core:set_password", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)})


@transaction.atomic
def user_reset_password(*, user: UserModel, by: UserModel, request: HttpRequest | None = None) -> str:
    """The old password stops working at once; the owner sets a new one through the returned link."""
    require_admin(by)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    audit_record(action="update", request=request, user=by, obj=user, detail={"password_reset": True})
    return password_link(user)


@transaction.atomic
def user_reset_second_factor(*, user: UserModel, by: UserModel, request: HttpRequest | None = None) -> int:
    """Forget the user's authenticator (a lost phone): they enrol a new one at their next log-in."""
    from django_otp import devices_for_user

    require_admin(by)
    removed = 0
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
        removed += 1
    audit_record(action="update", request=request, user=by, obj=user, detail={"second_factor_reset": removed})
    return removed


@transaction.atomic
def user_unlock(*, user: UserModel, by: UserModel, request: HttpRequest | None = None) -> int:
    """Lift the lock-out after repeated failed log-ins (the page a locked user sees says to ask the office)."""
    from axes.utils import reset

    require_admin(by)
    cleared = reset(username=user.username)
    audit_record(action="update", request=request, user=by, obj=user, detail={"unlocked": cleared})
    return cleared


@transaction.atomic
def user_set_active(*, user: UserModel, active: bool, by: UserModel, reason: str = "",
                    request: HttpRequest | None = None) -> UserModel:
    """Deactivate (or bring back) an account; a deactivated account's API token goes with it."""
    from rest_framework.authtoken.models import Token

    require_admin(by)
    if user.pk == by.pk:
        raise ValidationError("不能停用自己的账号")
    if not active and not reason.strip():
        raise ValidationError("停用账号须填写原因")
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        Token.objects.filter(user=user).delete()
    audit_record(action="update", request=request, user=by, obj=user,
                 detail={"active": active, "reason": reason.strip()})
    return user


@transaction.atomic
def user_update(*, user: UserModel, by: UserModel, request: HttpRequest | None = None) -> UserModel:
    """Change a staff account's role or zone, or a bureau account's bureau."""
    require_admin(by)
    _check_scope_fields(user, by, record=None, require_record=False)
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(action="update", request=request, user=by, obj=user,
                 detail={"role": user.role, "zone": user.zone_id, "bureau": user.bureau_id})
    return user
