"""A large export, written by the task worker rather than inside the request (core.export_jobs)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rencai.core.import_storage import PrivateImportStorage
from rencai.core.scoping import Scope, ScopedQuerySet


class ExportJob(models.Model):
    """The export a user asked for on a list page: replayed as that user in the worker, then downloaded once ready.

    The file may hold revealed personal data, so it is private (0600) and deleted after RENCAI_EXPORT_KEEP_HOURS;
    only the person who asked sees the job."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("正在生成")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")
        EXPIRED = "expired", _("文件已过期删除")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("导出人"))
    title = models.CharField(_("内容"), max_length=200)
    path = models.CharField(_("列表地址"), max_length=300)
    query = models.JSONField(_("筛选条件"), default=dict)  # the request's GET as {name: [values]}
    address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(_("总行数"), default=0)
    rows_done = models.PositiveIntegerField(_("已写行数"), default=0)
    file = models.FileField(_("文件"), upload_to="exports/%Y/%m/", storage=PrivateImportStorage(), blank=True)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    scope = Scope(person="user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_status_display()}）"
