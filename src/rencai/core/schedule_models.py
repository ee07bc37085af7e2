"""The scheduler's records: one JobRun per run of a registered job, one TaskLease per running background task.

Imported by ``rencai.core.models`` so the models belong to the core app; the logic lives in ``rencai.core.schedule``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rencai.core.roles import Role
from rencai.core.scoping import Scope, ScopedQuerySet


class JobRun(models.Model):
    """One run of a scheduled job. (name, slot) is unique: a scheduler claims a slot by inserting its row."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("运行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("按计划")
        MANUAL = "manual", _("手动")

    name = models.CharField(_("任务"), max_length=60, db_index=True)
    slot = models.DateTimeField(_("计划时间"), help_text=_("这次运行所对应的计划时间；手动运行为点击的时间"))
    day = models.DateField(_("按哪一天计算"))
    trigger = models.CharField(_("触发方式"), max_length=10, choices=Trigger.choices, default=Trigger.SCHEDULE)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                           related_name="+", verbose_name=_("操作人"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)
    owner = models.CharField(_("执行进程"), max_length=200, blank=True, help_text=_("主机:进程号:进程启动时刻"))
    task_id = models.CharField(_("后台任务编号"), max_length=64, blank=True)
    summary = models.JSONField(_("结果"), default=dict, blank=True)
    error = models.TextField(_("错误"), blank=True)

    # System records of the whole installation: the office admins see them (the jobs page is theirs alone).
    scope = Scope(shared_with=frozenset({Role.OFFICE_ADMIN}))
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("定时任务运行记录")
        verbose_name_plural = _("定时任务运行记录")
        ordering = ["-slot", "-pk"]
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="jobrun_one_run_per_slot")]
        indexes = [models.Index(fields=["name", "status"], name="jobrun_name_status")]

    def __str__(self) -> str:
        return f"{self.name} {timezone.localtime(self.slot):%Y-%m-%d %H:%M}（{self.get_status_display()}）"

    @property
    def seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class TaskLease(models.Model):
    """The heartbeat of a background task while a worker runs it (django-tasks-db stores none of its own)."""

    task_id = models.CharField(_("后台任务编号"), max_length=64, unique=True)
    task_path = models.CharField(_("任务"), max_length=200)
    owner = models.CharField(_("执行进程"), max_length=200, help_text=_("主机:进程号:进程启动时刻"))
    started_at = models.DateTimeField(_("开始时间"))
    beat_at = models.DateTimeField(_("最近心跳"))

    scope = Scope(shared_with=frozenset({Role.OFFICE_ADMIN}))
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("后台任务心跳")
        verbose_name_plural = _("后台任务心跳")

    def __str__(self) -> str:
        return f"{self.task_path} @ {self.owner}"
