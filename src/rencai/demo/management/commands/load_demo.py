"""`rencai load_demo [--reset] [--seed N]`: the realistic demo city, its registers and a log-in for every role."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from rencai.demo.accounts import login_table
from rencai.demo.data import CITY_NAME, DEFAULT_SEED
from rencai.demo.generate import build_demo
from rencai.demo.load import DemoError, LoadResult, demo_load


class Command(BaseCommand):
    help = (
        "载入演示数据：包头市三个旗区/园区的派出单位、企业和人才，入企问需、博士后工作站和柔性服务，"
        "以及每个角色的演示账号（密码公开，仅供演示）。"
        "可重复运行，不会重复创建；同一种子得到相同的数据。只能在开发设置（DEBUG=True）下运行。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true",
                            help="先删除演示旗区的人才、企业、演示派出单位及其需求、服务协议、博士后数据再重新生成"
                                 "（审计日志保留；已记入资金台账的博士后补贴及其对象保留）")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                            help=f"随机种子，同一种子生成相同的人和企业（默认 {DEFAULT_SEED}）")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "演示数据只能在开发设置（DEBUG=True）下载入：它会创建使用公开密码的账号，切勿在正式环境运行。")
        try:
            result = demo_load(data=build_demo(options["seed"]), reset=options["reset"])
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        from rencai.core import search

        search.reindex_job(timezone.localdate())  # the lists search the demo through the index from the start
        if settings.RENCAI_SEMANTIC:  # the talents were bulk-created (no save signal): the worker embeds them
            from rencai.matching.tasks import embed_profiles_task

            embed_profiles_task.enqueue()
        self.stdout.write(summary(result, options["seed"]))
        self.stdout.write("")
        self.stdout.write(login_table(result.logins))


def summary(result: LoadResult, seed: int) -> str:
    totals, tiers = result.totals, result.tiers
    tier_text = "、".join(f"{tier}类 {n}" if tier != "未分层" else f"未分层 {n}" for tier, n in tiers.items())
    lines = [
        f"已载入演示数据（种子 {seed}）：{CITY_NAME} {totals['旗区/园区']} 个旗区/园区，"
        f"派出单位 {totals['派出单位']} 家，企业 {totals['企业']} 家，人才 {totals['人才']} 名（{tier_text}）。",
        f"本次新建：企业 {result.created['企业']} 家，人才 {result.created['人才']} 名"
        + ("（数据已存在，未重复创建）" if not any(result.created.values()) else "") + "。",
    ]
    lines.extend(result.areas)
    if result.deleted:
        deleted = "、".join(f"{k} {v}" for k, v in result.deleted.items())
        lines.insert(0, f"已重置：删除{deleted}（审计日志保留）。")
    lines.append("启动网站（make demo 或 .venv/bin/rencai runserver）后打开 http://127.0.0.1:8000/ 用下列账号登录。")
    return "\n".join(lines)
