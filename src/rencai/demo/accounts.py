"""The demo's log-ins: one user per role, TOTP devices with keys derived from the seed, and the printed table."""

from __future__ import annotations

import base64
import hashlib
import hmac
import unicodedata
from dataclasses import dataclass
from functools import cache

from axes.utils import reset as axes_reset
from django.contrib.auth.hashers import make_password
from django.utils.functional import Promise
from django_otp.plugins.otp_totp.models import TOTPDevice

from rencai.core.models import Bureau, City, User, Zone
from rencai.core.roles import Role
from rencai.demo.data import DEMO_PASSWORD
from rencai.demo.specs import DemoData
from rencai.orgs.models import Enterprise, Institution
from rencai.talents.models import Talent

DEVICE_NAME = "演示验证器"  # demo_otp only reads devices of this name, never a user's own authenticator
OTP_HINT = "没有身份验证器时，可运行 `.venv/bin/rencai demo_otp admin` 取得当前验证码"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str | Promise  # the role's Chinese label
    scope: str  # zone, or the enterprise / person / institution an external user is tied to
    secret: str  # base32 TOTP secret for staff, "" for external users


def totp_key(seed: int, username: str) -> str:
    """20 bytes (hex) derived from the seed, so a key added to an authenticator keeps working after reloads."""
    return hmac.new(b"rencai-demo-totp", f"{seed}:{username}".encode(), hashlib.sha256).digest()[:20].hex()


@cache
def _password_hash() -> str:
    """Hashed once for all demo users: the slow hasher would otherwise take seconds per user."""
    return make_password(DEMO_PASSWORD)


def _user(username: str, *, role: str, city: City, zone: Zone | None, display_name: str) -> User:
    user = User.objects.filter(username=username).first() or User(username=username)
    user.role, user.city, user.zone, user.display_name = role, city, zone, display_name
    user.is_active = True
    user.password = _password_hash()
    user.save()
    axes_reset(username=username)  # a demo someone locked out by mistyping works again after a reload
    return user


def _device(user: User, seed: int) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, name=DEVICE_NAME).first() or TOTPDevice(user=user, name=DEVICE_NAME)
    device.key = totp_key(seed, user.username)
    device.confirmed = True
    device.step, device.t0, device.digits, device.drift, device.last_t = 30, 0, 6, 0, -1
    device.throttling_failure_count, device.throttling_failure_timestamp = 0, None
    device.save()
    return device


def demo_accounts_ensure(*, data: DemoData, city: City, zones: dict[str, Zone], enterprise: Enterprise,
                         talent: Talent, institution: Institution) -> list[DemoLogin]:
    """Create or refresh the demo users; password, role and links are put back as the demo describes them."""
    logins = []
    for staff in data.staff:
        zone = zones.get(staff.zone)
        user = _user(staff.username, role=staff.role, city=city, zone=zone, display_name=staff.display_name)
        secret = base64.b32encode(_device(user, data.seed).bin_key).decode()
        scope = zone.name if zone else f"市级（{city.name}各旗区/园区）"
        logins.append(DemoLogin(staff.username, Role(staff.role).label, scope, secret))

    contact = enterprise.contacts.filter(is_primary=True).first()
    user = _user("enterprise", role=Role.ENTERPRISE, city=city, zone=None,
                 display_name=contact.name if contact else "企业联系人")
    enterprise.members.add(user)
    logins.append(DemoLogin(user.username, Role.ENTERPRISE.label, enterprise.name, ""))

    user = _user("talent", role=Role.TALENT, city=city, zone=None, display_name=talent.name)
    Talent.objects.filter(user=user).exclude(pk=talent.pk).update(user=None)
    Talent.objects.filter(pk=talent.pk).update(user=user)
    logins.append(DemoLogin(user.username, Role.TALENT.label, f"本人档案：{talent.name}", ""))

    user = _user("liaison", role=Role.LIAISON, city=city, zone=None, display_name=data.liaison_name)
    institution.liaisons.add(user)
    logins.append(DemoLogin(user.username, Role.LIAISON.label, institution.name, ""))
    return logins + _newcomer_accounts(city)


def _newcomer_accounts(city: City) -> list[DemoLogin]:
    """The roles of the areas being built (services, challenges, cards, evaluation): a log-in each already."""
    from rencai.core.setup import DEFAULT_BUREAUS

    bureaus = {code: Bureau.objects.get_or_create(code=code, defaults={"city": city, "name": name})[0]
               for name, code in DEFAULT_BUREAUS}
    logins = []
    user = _user("bureau", role=Role.BUREAU, city=city, zone=None, display_name="教育局经办人")
    User.objects.filter(pk=user.pk).update(bureau=bureaus["education"])
    logins.append(DemoLogin(user.username, Role.BUREAU.label, bureaus["education"].name, ""))
    for username, role, name, scope in (
        ("expert", Role.EXPERT, "评审专家（演示）", "分配给本人的评审"),
        ("partner", Role.PARTNER, "包头市中心医院服务点", "核验人才码"),
        ("evaluator", Role.EVALUATOR, "第三方评估机构（演示）", "去标识化数据"),
    ):
        user = _user(username, role=role, city=city, zone=None, display_name=name)
        logins.append(DemoLogin(user.username, Role(role).label, scope, ""))
    return logins


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def login_table(logins: list[DemoLogin]) -> str:
    """The log-ins as a table for a terminal, with the hints a first-time user needs."""
    header = ("用户名", "角色", "范围", "密码", "验证器密钥（TOTP，base32）")
    rows = [header] + [(x.username, str(x.role), x.scope, DEMO_PASSWORD, x.secret or "—（无需动态验证码）")
                       for x in logins]
    widths = [max(_width(row[n]) for row in rows) for n in range(len(header) - 1)]
    lines = ["  ".join([*(_pad(cell, w) for cell, w in zip(row[:-1], widths, strict=True)), row[-1]]).rstrip()
             for row in rows]
    rule = "-" * max(_width(line) for line in lines)
    return "\n".join([
        f"演示账号（仅供本机演示，切勿用于正式环境；所有账号的密码都是 {DEMO_PASSWORD}）",
        rule, lines[0], rule, *lines[1:], rule,
        "工作人员（管理员、审核员、财务）登录后还要输入6位动态验证码：在手机的身份验证器"
        "（如 Microsoft Authenticator、Google Authenticator、FreeOTP）中选择“输入设置密钥”，"
        "填入上表的验证器密钥，类型选“基于时间”。",
        OTP_HINT,
    ])
