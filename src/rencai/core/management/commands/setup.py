"""`rencai setup`: a real office's first run — city, zones, bureaus, the first office admin with TOTP.

Interactive when run without flags on a terminal; for scripts:
    rencai setup --city 包头市 --zone 稀土高新区:xitu --zone 昆都仑区:kundulun \
                 --admin zhang --admin-name 张主任 --password-env RENCAI_SETUP_PASSWORD
"""

from __future__ import annotations

import getpass
import os
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from rencai.core.setup import DEFAULT_BUREAUS, office_setup, parse_pairs


class Command(BaseCommand):
    help = "首次安装：建立城市、旗区/园区、局办和第一位人才办管理员（含动态验证码）"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--city", help="城市名称，如 包头市")
        parser.add_argument("--city-code", default="", help="行政区划代码，如 150200")
        parser.add_argument("--zone", action="append", default=[], help="旗区/园区 名称:代码，可重复")
        parser.add_argument("--bureau", action="append", default=[], help="局办 名称:代码，可重复；不填则建常用局办")
        parser.add_argument("--admin", help="管理员用户名")
        parser.add_argument("--admin-name", default="", help="管理员姓名")
        parser.add_argument("--email", default="", help="管理员电子邮箱")
        parser.add_argument("--password-env", help="从该环境变量读取管理员密码（脚本用，避免密码出现在命令行）")

    def handle(self, *args: Any, **options: Any) -> None:
        interactive = sys.stdin.isatty() and not (options["city"] and options["zone"] and options["admin"])
        ask = self._ask if interactive else self._require
        city = options["city"] or ask("城市名称（如 包头市）")
        zone_items = options["zone"] or ask("旗区/园区，名称:代码，多个用空格分开（如 稀土高新区:xitu）").split()
        admin = options["admin"] or ask("管理员用户名")
        name = options["admin_name"] or (ask("管理员姓名") if interactive else "")
        password = self._password(options, interactive)
        try:
            zones = parse_pairs(zone_items, "旗区/园区")
            bureaus = parse_pairs(options["bureau"], "局办") if options["bureau"] else DEFAULT_BUREAUS
            result = office_setup(city_name=city, city_code=options["city_code"], zones=zones, bureaus=bureaus,
                                  admin_username=admin, admin_password=password, admin_display_name=name,
                                  admin_email=options["email"])
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(f"已建立 {result.city.name}：旗区/园区 {len(result.zones)} 个"
                          f"（{'、'.join(z.name for z in result.zones)}），局办 {len(result.bureaus)} 个。")
        self.stdout.write(f"人才办管理员 {result.admin.username}（市级）已建立。登录后需输入动态验证码：")
        self.stdout.write(f"  在手机身份验证器中“输入设置密钥”：{result.totp_key}（基于时间）")
        self.stdout.write(f"  或用扫码方式添加：{result.totp_uri}")
        self.stdout.write("该密钥只显示这一次，请妥善保管。下一步：启动网站，在“系统管理”中添加用户。")

    def _ask(self, prompt: str) -> str:
        answer = input(f"{prompt}：").strip()
        if not answer:
            raise CommandError(f"未填写：{prompt}")
        return answer

    def _require(self, prompt: str) -> str:
        raise CommandError(f"非交互方式运行时必须给出：{prompt}（见 rencai setup --help）")

    def _password(self, options: dict[str, Any], interactive: bool) -> str:
        if options["password_env"]:
            value = os.environ.get(options["password_env"], "")
            if not value:
                raise CommandError(f"环境变量 {options['password_env']} 为空")
            return value
        if not interactive:
            raise CommandError("非交互方式运行时请用 --password-env 提供管理员密码")
        first = getpass.getpass("管理员密码（至少10位）：")
        if first != getpass.getpass("再输入一次："):
            raise CommandError("两次输入的密码不一致")
        return first
