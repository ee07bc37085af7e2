"""Backfill and refresh list-search documents (rencai.core.search) for every registered model, or the ones named.

    rencai search_reindex [--model talents.Talent ...] [--batch 2000]

Batches of primary keys in order; a document already up to date is skipped, so a run that was interrupted, or one
after a bulk import that bypassed signals, rewrites only what changed. Each model's index is marked ready at the
end of its run, and only then do list searches use it.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from rencai.core import search


class Command(BaseCommand):
    help = "为列表搜索建立或更新索引（可中断后继续：已是最新的记录跳过）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--model", action="append", default=[], help="app_label.Model, e.g. talents.Talent")
        parser.add_argument("--batch", type=int, default=2000)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["model"]:
            chosen = []
            for label in options["model"]:
                try:
                    model = apps.get_model(label)
                except (LookupError, ValueError) as exc:
                    raise CommandError(_("没有这个模型：%(label)s") % {"label": label}) from exc
                if search.registered(model) is None:
                    raise CommandError(_("%(label)s 没有登记为可搜索") % {"label": label})
                chosen.append(model)
        else:
            chosen = [r.model for r in search.registrations()]
        for model in chosen:
            label = model._meta.label

            def progress(seen: int, written: int, label: str = label) -> None:
                if options["verbosity"] > 1:
                    self.stdout.write(_("%(label)s：已检查 %(seen)s 条，写入 %(written)s 条")
                                      % {"label": label, "seen": f"{seen:,}", "written": f"{written:,}"})

            seen, written, removed = search.reindex(model, batch=max(1, options["batch"]), progress=progress)
            self.stdout.write(_("%(label)s：%(seen)s 条记录，更新索引 %(written)s 条，删除 %(removed)s 条")
                              % {"label": label, "seen": f"{seen:,}", "written": f"{written:,}",
                                 "removed": f"{removed:,}"})
