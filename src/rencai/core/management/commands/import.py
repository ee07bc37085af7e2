"""`rencai import talents|enterprises FILE`: the web import's check and write, from the command line.

Exit status: 0 when the file was read (even if rows were refused), 1 when the whole file could not be
read (the Chinese reason goes to stderr), 2 for a usage error (unknown kind, zone or user).
"""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from typing import IO, Any, NoReturn, cast

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from tqdm import tqdm

from rencai.core.imports import MERGE, OUT_OF_MEMORY, REPLACE, ImportReport, importers, refused_sheets, run_import
from rencai.core.models import User, Zone
from rencai.core.spreadsheet import SpreadsheetError, write_xlsx

FAILED, USAGE = 1, 2


class Progress:
    """Reports import phases to stderr: a tqdm bar on a terminal, plain lines when asked (`--progress`)."""

    def __init__(self, stream: IO[str], *, bar: bool, lines: bool) -> None:
        self.stream, self.bar_wanted, self.lines = stream, bar, lines
        self.phase = ""
        self.bar: tqdm | None = None

    def __call__(self, done: int, total: int | None, phase: str) -> None:
        if self.lines:
            counted = f"{done}/{total}" if total else str(done)
            print(f"{phase}：{counted} 行", file=self.stream, flush=True)
        if self.bar_wanted:
            self._update_bar(done, total, phase)
        self.phase = phase

    def _update_bar(self, done: int, total: int | None, phase: str) -> None:
        if self.bar is None or phase != self.phase:
            self.close()
            self.bar = tqdm(total=total, desc=phase, unit="行", file=self.stream, leave=False, dynamic_ncols=True)
        if total and self.bar.total != total:
            self.bar.total = total
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class Command(BaseCommand):
    help = "导入登记表格（.xlsx / .csv）：先检查，再全部写入或全部不写入。"
    requires_system_checks: list[str] = []  # an import must not be blocked by an unrelated settings warning

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.from_command_line = False

    def add_arguments(self, parser: ArgumentParser) -> None:
        kinds = "、".join(f"{kind}（{importer.label}）" for kind, importer in sorted(importers().items()))
        parser.add_argument("kind", choices=sorted(importers()), help=f"导入什么：{kinds}")
        parser.add_argument("file", help="表格文件，.xlsx 或 .csv（UTF-8 或 GBK）")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入数据库")
        parser.add_argument("--format", choices=["text", "json"], default="text", help="结果的输出格式")
        parser.add_argument("--zone", metavar="CODE", help="导入到哪个旗区/园区（代码）；只有一个时可省略")
        parser.add_argument("--user", metavar="USERNAME", help="以哪个用户的名义导入（记入审计日志）")
        parser.add_argument("--progress", action="store_true", help="把各阶段进度逐行写到标准错误（非终端时也写）")
        parser.add_argument("--refused", metavar="FILE.xlsx",
                            help="把被拒绝的行连同“拒绝原因”列写到这个 .xlsx，改正后可重新导入")
        parser.add_argument("--replace-multi", action="store_true",
                            help="更新已登记的记录时，研究方向、企业资质等多值字段以表格为准（默认合并）")

    def run_from_argv(self, argv: list[str]) -> None:
        self.from_command_line = True
        super().run_from_argv(argv)

    def handle(self, *args: Any, **options: Any) -> None:
        zone = self._zone(options["zone"])
        user = self._user(options["user"])
        # the raw stream OutputWrapper keeps in _out: tqdm redraws with \r, which OutputWrapper would break
        stderr = cast(IO[str], self.stderr._out)
        progress = Progress(stderr, bar=_is_terminal(stderr), lines=options["progress"])
        try:
            report = run_import(options["kind"], options["file"], filename=None, zone=zone, user=user,
                                dry_run=options["dry_run"], progress=progress,
                                multi_value=REPLACE if options.get("replace_multi") else MERGE)
        except SpreadsheetError as exc:
            self._fail(str(exc), FAILED)
        except MemoryError:
            self._fail(OUT_OF_MEMORY, FAILED)
        except DatabaseError as exc:  # the preview checks what the database will refuse; this is the last guard
            self._fail(f"写入数据库时出错，数据库未做任何修改：{exc}", FAILED)
        finally:
            progress.close()
        if options.get("refused") and report.refused_cells:
            importer = importers()[options["kind"]]
            write_xlsx(options["refused"], refused_sheets(importer, report.columns, report.refused_cells))
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(summary(report, label=importers()[options["kind"]].label, dry_run=options["dry_run"]))

    def _fail(self, message: str, code: int) -> NoReturn:
        """On the command line: the plain Chinese reason and the exit status; in-process: a CommandError."""
        if self.from_command_line:
            self.stderr.write(message)
            sys.exit(code)
        raise CommandError(message, returncode=code)

    def _zone(self, code: str | None) -> Zone:
        zones = list(Zone.objects.order_by("code"))
        listed = "、".join(f"{z.code}（{z.name}）" for z in zones)
        if code is None:
            if len(zones) == 1:
                return zones[0]
            if not zones:
                self._fail("数据库里还没有任何旗区/园区，请先在系统中建立，再导入。", USAGE)
            self._fail(f"有{len(zones)}个旗区/园区，请用 --zone 指定导入到哪一个：{listed}", USAGE)
        for zone in zones:
            if zone.code == code:
                return zone
        self._fail(f"没有代码为“{code}”的旗区/园区。可用的代码：{listed or '（无）'}", USAGE)

    def _user(self, username: str | None) -> User | None:
        if username is None:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            self._fail(f"没有用户名为“{username}”的用户。", USAGE)
        return user


def _is_terminal(stream: IO[str]) -> bool:
    return bool(getattr(stream, "isatty", lambda: False)())


def summary(report: ImportReport, *, label: str, dry_run: bool) -> str:
    """The report as a clerk reads it: counts first, then every refused and duplicate row."""
    refused_rows = len({r["row"] for r in report.refused})
    verb = ("将新建", "将更新") if dry_run else ("新建", "更新")
    state = "预览，未写入数据库" if dry_run else ("已写入数据库" if report.written else "未写入数据库")
    lines = [
        f"{label}导入（{state}）：共读到 {report.rows} 行数据，表头在第 {report.header_row} 行",
        f"{verb[0]} {report.created} 行，{verb[1]} {report.updated} 行，"
        f"重复跳过 {len(report.duplicates)} 行，拒绝 {refused_rows} 行",
    ]
    if report.unknown_columns:
        lines.append(f"不认识的列（已作为备注保留）：{'、'.join(report.unknown_columns)}")
    if report.refused:
        lines.append("被拒绝的行（改正后可重新导入）：")
        lines += [f"  第 {r['row']} 行 · {r['column']}：{r['reason']}" for r in report.refused]
    if report.duplicates:
        lines.append("重复的行（跳过）：")
        lines += [f"  第 {d['row']} 行，与{d['of']}重复" for d in report.duplicates]
    return "\n".join(lines)
