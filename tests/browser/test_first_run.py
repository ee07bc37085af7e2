"""A new office's first run, in a real browser: `rencai setup` on an empty database, the admin logs in with the
printed TOTP key, creates a zone and an enterprise user from the register, and that user sets a password
through the link and logs in. No shell step after `rencai setup`.
"""

from __future__ import annotations

import base64
import io
import re

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from playwright.sync_api import expect

from rencai.core.models import User, Zone
from rencai.orgs.models import Enterprise

pytestmark = pytest.mark.browser
ADMIN_PASSWORD = "first-run-pw-2026"


def _code(base32_key: str) -> str:
    return f"{totp(base64.b32decode(base32_key)):06d}"


def test_setup_then_admin_creates_zone_and_enterprise_user_who_logs_in(web, monkeypatch):
    monkeypatch.setenv("SETUP_PW", ADMIN_PASSWORD)
    out = io.StringIO()
    call_command("setup", "--city", "包头市", "--zone", "稀土高新区:xitu", "--admin", "zhang", "--admin-name",
                 "张主任", "--password-env", "SETUP_PW", stdout=out)
    key = re.search(r"输入设置密钥”：([A-Z2-7]+)", out.getvalue())[1]
    page = web.page

    page.goto("/login/")
    page.get_by_label("用户名").fill("zhang")
    page.get_by_label("密码").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_label("6位动态验证码").fill(_code(key))
    page.get_by_role("button", name="验证").click()
    expect(page.get_by_role("heading", name="您好，张主任")).to_be_visible()

    page.get_by_role("link", name="系统管理").click()
    page.get_by_role("link", name="新建").first.click()
    page.get_by_label("旗区/园区").fill("昆都仑区")
    page.get_by_label("代码").fill("kundulun")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存旗区/园区“昆都仑区”")).to_be_visible()
    zone = Zone.objects.get(code="kundulun")
    enterprise = Enterprise.objects.create(name="包头北辰磁业有限公司", zone=zone)

    page.get_by_role("link", name="添加用户").click()
    page.get_by_label("用户名").fill("beichen")
    page.get_by_label("姓名").fill("李经理")
    page.get_by_label("角色").select_option(label="企业用户")
    page.get_by_label("对应的企业（企业用户）").select_option(label="包头北辰磁业有限公司")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已建立账号 beichen")).to_be_visible()
    link = page.locator("code.link").inner_text()
    assert link.startswith("http") and "/account/set-password/" in link
    assert enterprise.members.filter(username="beichen").exists()
    assert web.problems() == []

    page.get_by_role("button", name="退出").click()
    page.goto(link)
    page.locator("#id_new_password1").fill("beichen-pw-2026!")
    page.locator("#id_new_password2").fill("beichen-pw-2026!")
    page.get_by_role("button", name="保存密码").click()
    page.get_by_label("用户名").fill("beichen")
    page.get_by_label("密码").fill("beichen-pw-2026!")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="您好，李经理")).to_be_visible()
    page.get_by_role("link", name="企业库").click()
    expect(page.get_by_role("link", name="包头北辰磁业有限公司")).to_be_visible()
    assert User.objects.get(username="beichen").has_usable_password()
    assert web.problems() == []
