"""`rencai setup` on an empty database: the city, zones, bureaus and first admin, then an import that works."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from rencai.core.models import AuditEvent, Bureau, City, User, Zone
from rencai.core.roles import Role

ARGS = ["--city", "包头市", "--zone", "稀土高新区:xitu", "--zone", "昆都仑区:kundulun", "--admin", "zhang",
        "--admin-name", "张主任", "--password-env", "SETUP_PW"]


@pytest.fixture
def password(monkeypatch):
    monkeypatch.setenv("SETUP_PW", "a-long-pass-2026")


def test_setup_creates_city_zones_bureaus_and_a_city_level_admin(db, password):
    out = io.StringIO()
    call_command("setup", *ARGS, stdout=out)
    city = City.objects.get(name="包头市")
    assert set(Zone.objects.filter(city=city).values_list("code", flat=True)) == {"xitu", "kundulun"}
    assert Bureau.objects.filter(city=city, name="教育局").exists()
    admin = User.objects.get(username="zhang")
    assert admin.role == Role.OFFICE_ADMIN and admin.zone_id is None and admin.city == city
    assert admin.check_password("a-long-pass-2026")
    device = TOTPDevice.objects.get(user=admin)
    assert device.verify_token(totp(device.bin_key))  # the printed key gives codes the site accepts
    text = out.getvalue()
    assert "已建立 包头市" in text and "输入设置密钥" in text
    assert AuditEvent.objects.filter(username="zhang", object_type="core.city").exists()


def test_setup_twice_is_refused_and_changes_nothing(db, password):
    call_command("setup", *ARGS, stdout=io.StringIO())
    with pytest.raises(CommandError, match="已经建立"):
        call_command("setup", *ARGS, stdout=io.StringIO())
    assert City.objects.count() == 1 and User.objects.count() == 1


def test_setup_refuses_a_weak_password_and_writes_nothing(db, monkeypatch):
    monkeypatch.setenv("SETUP_PW", "123")
    with pytest.raises(CommandError, match="密码不符合要求"):
        call_command("setup", *ARGS, stdout=io.StringIO())
    assert not City.objects.exists() and not Zone.objects.exists() and not User.objects.exists()


def test_setup_refuses_a_malformed_zone_in_chinese(db, password):
    with pytest.raises(CommandError, match="名称:代码"):
        call_command("setup", "--city", "包头市", "--zone", "稀土高新区", "--admin", "zhang",
                     "--password-env", "SETUP_PW", stdout=io.StringIO())


def test_import_works_right_after_setup(db, password, tmp_path):
    """The wall a new office met: after migrate, `rencai import` said there was no zone and nothing made one."""
    call_command("setup", *ARGS, stdout=io.StringIO())
    sheet = tmp_path / "人才.csv"
    sheet.write_text("姓名,最高学位,研究方向\n陈静,博士,稀土永磁材料\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import", "talents", str(sheet), "--zone", "xitu", "--user", "zhang", stdout=out)
    from rencai.talents.models import Talent

    assert Talent.objects.filter(name="陈静", zone__code="xitu").exists()
