"""First run: the city, its zones and bureaus, and the first office admin, in one transaction.

`rencai setup` (interactive, or with flags for scripts) calls `office_setup`; a fresh install needs nothing
else from the shell. The admin passes a TOTP second factor like every staff user: the key is printed once,
as the enrolment page would show it, and the device is confirmed when they first type a code.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from rencai.core.audit import audit_record
from rencai.core.models import Bureau, City, User, Zone
from rencai.core.roles import Role

CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,29}$")
# The bureaus a talent office works with most often; `--bureau` replaces them.
DEFAULT_BUREAUS = [("教育局", "education"), ("人力资源和社会保障局", "hrss"), ("住房和城乡建设局", "housing"),
                   ("卫生健康委员会", "health"), ("公安局", "police"), ("科学技术局", "science"),
                   ("工业和信息化局", "industry"), ("财政局", "finance")]


@dataclass(frozen=True)
class SetupResult:
    city: City
    zones: list[Zone]
    bureaus: list[Bureau]
    admin: User
    totp_key: str  # base32, for the authenticator app
    totp_uri: str


def parse_pairs(items: list[str], what: str) -> list[tuple[str, str]]:
    """`名称:code` items, e.g. `稀土高新区:xitu`; a code is lower-case letters, digits and hyphens."""
    pairs = []
    for item in items:
        name, _, code = item.partition(":")
        name, code = name.strip(), code.strip().lower()
        if not name or not CODE.match(code):
            raise ValidationError(f"{what}“{item}”应写成 名称:代码，代码用小写字母、数字或连字符，如 稀土高新区:xitu")
        pairs.append((name, code))
    if len({c for _, c in pairs}) != len(pairs):
        raise ValidationError(f"{what}的代码有重复")
    return pairs


@transaction.atomic
def office_setup(*, city_name: str, city_code: str = "", zones: list[tuple[str, str]],
                 bureaus: list[tuple[str, str]], admin_username: str, admin_password: str,
                 admin_display_name: str = "", admin_email: str = "") -> SetupResult:
    """Create what an empty database needs; refused if the city already exists (run it once)."""
    if not city_name.strip():
        raise ValidationError("请填写城市名称")
    if City.objects.filter(name=city_name.strip()).exists():
        raise ValidationError(f"城市“{city_name}”已经建立；增加旗区/园区或用户请在“系统管理”页面操作")
    if not zones:
        raise ValidationError("至少要建立一个旗区/园区")
    if User.objects.filter(username=admin_username).exists():
        raise ValidationError(f"用户名“{admin_username}”已被使用")
    taken = sorted(set(Zone.objects.filter(code__in=[c for _, c in zones]).values_list("code", flat=True))
                   | set(Bureau.objects.filter(code__in=[c for _, c in bureaus]).values_list("code", flat=True)))
    if taken:
        raise ValidationError(f"代码已被使用：{'、'.join(taken)}")
    admin = User(username=admin_username, role=Role.OFFICE_ADMIN, display_name=admin_display_name.strip(),
                 email=admin_email.strip())
    try:
        validate_password(admin_password, admin)
    except ValidationError as exc:
        raise ValidationError(f"密码不符合要求：{'；'.join(exc.messages)}") from exc
    city = City.objects.create(name=city_name.strip(), code=city_code.strip())
    made_zones = [Zone.objects.create(city=city, name=name, code=code) for name, code in zones]
    made_bureaus = [Bureau.objects.create(city=city, name=name, code=code) for name, code in bureaus]
    admin.city = city  # city level: sees and administers every zone of the city
    admin.set_password(admin_password)
    admin.full_clean()
    admin.save()
    device = TOTPDevice.objects.create(user=admin, name="setup", confirmed=True)
    audit_record(action="create", user=admin, obj=city, detail={
        "setup": True, "zones": [c for _, c in zones], "bureaus": [c for _, c in bureaus], "admin": admin.username})
    return SetupResult(city=city, zones=made_zones, bureaus=made_bureaus, admin=admin,
                       totp_key=base64.b32encode(device.bin_key).decode(), totp_uri=device.config_url)
