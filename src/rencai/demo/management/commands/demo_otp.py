"""`rencai demo_otp USERNAME`: the current 6-digit code of a demo staff user's authenticator, for demos only."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from rencai.demo.accounts import DEVICE_NAME


class Command(BaseCommand):
    help = (
        "显示演示工作人员账号（admin、city_admin、reviewer、finance）当前的6位动态验证码，供没有身份验证器时演示登录。"
        "只能在开发设置（DEBUG=True）下运行，且只读取 load_demo 创建的演示验证器。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="演示账号的用户名，如 admin")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "demo_otp 只能在开发设置（DEBUG=True）下运行：正式环境的验证码只能来自用户自己的身份验证器。")
        username = options["username"]
        device = TOTPDevice.objects.filter(user__username=username, name=DEVICE_NAME, confirmed=True).first()
        if device is None:
            raise CommandError(f"“{username}”没有演示验证器：此命令只为 load_demo 创建的演示工作人员账号生成验证码。")
        token = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
        left = device.step - int(time.time() - device.t0) % device.step
        self.stdout.write(f"{token:0{device.digits}d}")
        self.stderr.write(f"（{username} 的当前验证码，约 {left} 秒后更换）")
