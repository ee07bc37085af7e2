"""`rencai scheduler [--once] [--inline] [--job NAME]`: run the registered jobs when they are due.

Every ``--interval`` seconds (30 by default) it claims each due slot and hands the run to the task worker
(``rencai db_worker``), which records what it found on the jobs page (/jobs/). Two schedulers may run at
once: a slot is claimed by inserting its row, so it runs once. ``--once`` looks once and exits (tests, and
``* * * * * rencai scheduler --once`` from cron); ``--inline`` runs the jobs in this process instead of the
worker. Ctrl+C or SIGTERM stops it between two looks.
"""

from __future__ import annotations

import signal
import threading
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, close_old_connections, connection
from django.utils import timezone

from rencai.core.schedule import get_job, jobs, run_due


class Command(BaseCommand):
    help = "定时任务调度：到点的任务交给后台任务进程运行（免申即享扫描、期限提醒、匹配、检查中断的任务等）"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--once", action="store_true", help="只检查一次到点的任务，然后退出（供 cron 或测试使用）")
        parser.add_argument("--inline", action="store_true", help="在本进程内直接运行任务，不交给后台任务进程")
        parser.add_argument("--interval", type=float, default=30.0, help="两次检查之间等待的秒数，默认 30")
        parser.add_argument("--job", action="append", dest="names", metavar="NAME",
                            help="只调度这些任务（可重复）；默认全部已登记的任务")

    def handle(self, *args: Any, once: bool, inline: bool, interval: float, names: list[str] | None,
               **options: Any) -> None:
        for name in names or []:
            try:
                get_job(name)
            except LookupError as exc:
                raise CommandError(str(exc)) from exc
        self._stop = threading.Event()
        if not once:
            signal.signal(signal.SIGINT, self._shutdown)
            signal.signal(signal.SIGTERM, self._shutdown)
            planned = "；".join(f"{job.label}（{job.name}）{job.plan}" for job in jobs()
                               if not names or job.name in names)
            self.stdout.write(f"定时任务调度已启动，每 {interval:g} 秒检查一次：{planned}")
            self.stdout.flush()
        while True:
            self._look(names, inline)
            if once or self._stop.wait(interval):
                break
        if not once:
            self.stdout.write("定时任务调度已停止")

    def _look(self, names: list[str] | None, inline: bool) -> None:
        _drop_stale_connections()
        try:
            runs = run_due(names=names, inline=inline)
        except OperationalError as exc:  # a locked SQLite file or a restarting database: try again next time
            self.stderr.write(f"{timezone.localtime():%H:%M:%S} 数据库暂时不可用，稍后重试：{exc}")
            return
        for run in runs:
            job = get_job(run.name)
            when = timezone.localtime(run.slot)
            if inline:
                outcome = job.summary_text(run.summary) if run.status == run.Status.DONE else run.error.split("\n")[0]
                self.stdout.write(f"{when:%Y-%m-%d %H:%M} {job.label}：{run.get_status_display()} {outcome}")
            else:
                self.stdout.write(f"{when:%Y-%m-%d %H:%M} {job.label}：已交给后台任务进程")
        self.stdout.flush()  # a log file, not a terminal, in `make demo` and under systemd
        _drop_stale_connections()

    def _shutdown(self, signum: int, frame: FrameType | None) -> None:
        self._stop.set()


def _drop_stale_connections() -> None:
    """As Django does around each request, so a restarted database is reconnected (not inside a transaction)."""
    if not connection.in_atomic_block:
        close_old_connections()
