"""Zones, users with roles, the append-only audit log and spreadsheet import jobs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rencai.core.export_models import ExportJob  # noqa: F401  (large exports run as tasks)
from rencai.core.history_models import StateChange  # noqa: F401  (lifecycle history, in core)
from rencai.core.import_storage import PrivateImportStorage
from rencai.core.notice_models import Notice, NoticePreference  # noqa: F401  (the inbox's models, in core)
from rencai.core.office_models import CalendarDay, DocumentSeries, OfficeProfile  # noqa: F401  (office configuration)
from rencai.core.roles import STAFF, Role
from rencai.core.schedule_models import JobRun, TaskLease  # noqa: F401  (the scheduler's records, in core)
from rencai.core.scoping import SELF, Scope, ScopedQuerySet
from rencai.core.token_models import TokenUse  # noqa: F401  (API token expiry, scope and last use)


class City(models.Model):
    name = models.CharField(_("城市"), max_length=50, unique=True)
    code = models.CharField(_("行政区划代码"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("城市")
        verbose_name_plural = _("城市")

    def __str__(self) -> str:
        return self.name


class Zone(models.Model):
    """A 旗区/园区: every record belongs to one."""

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="zones", verbose_name=_("城市"))
    name = models.CharField(_("旗区/园区"), max_length=80)
    code = models.SlugField(_("代码"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("旗区/园区")
        verbose_name_plural = _("旗区/园区")
        ordering = ["city__name", "name"]
        constraints = [models.UniqueConstraint(fields=["city", "name"], name="zone_unique_name_in_city")]

    def __str__(self) -> str:
        return self.name


class Bureau(models.Model):
    """A bureau beside the talent office (教育局、人社局、住建局、卫健委 …) whose staff handle service tasks."""

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="bureaus", verbose_name=_("城市"))
    name = models.CharField(_("局办名称"), max_length=80)
    code = models.SlugField(_("代码"), max_length=30, unique=True)

    # the city's office staff (zone staff included) and the bureau's own staff
    scope = Scope(city="city", bureau=SELF)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("局办")
        verbose_name_plural = _("局办")
        ordering = ["city__name", "name"]
        constraints = [models.UniqueConstraint(fields=["city", "name"], name="bureau_unique_name_in_city")]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    city = models.ForeignKey(City, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("城市"))
    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("旗区/园区"),
        help_text=_("工作人员留空表示市级，可看全市各旗区的数据"),
    )
    bureau = models.ForeignKey(
        Bureau, on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name=_("所属局办"),
        help_text=_("局办人员所在的局办"),
    )
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)

    # django-stubs declares AbstractUser.objects a ClassVar; a custom user's manager is Django's documented way
    objects = UserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_office_staff(self) -> bool:
        return self.role in STAFF

    @property
    def is_city_level(self) -> bool:
        return self.is_office_staff and self.zone_id is None

    def zone_q(self, field: str = "zone") -> Q:
        """Rows of the zones this staff user may see; nothing for external roles."""
        if not self.is_office_staff:
            return Q(pk__in=[])
        if self.zone_id:
            return Q(**{field: self.zone_id})
        if self.city_id:
            return Q(**{f"{field}__city": self.city_id})
        return Q()

    def visible_zones(self) -> models.QuerySet[Zone]:
        if not self.is_office_staff:
            return Zone.objects.none()
        if self.zone_id:
            return Zone.objects.filter(pk=self.zone_id)
        # zone_q("pk") would give pk__city for city-level staff, which is not a lookup
        return Zone.objects.filter(city=self.city_id) if self.city_id else Zone.objects.all()


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("审计日志只能追加，不能修改")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("审计日志只能追加，不能删除")


class AuditEvent(models.Model):
    """Append-only: who did what to which record, from where, and whether it was allowed."""

    class Action(models.TextChoices):
        LOGIN = "login", _("登录")
        LOGIN_FAILED = "login_failed", _("登录失败")
        LOGOUT = "logout", _("退出")
        OTP = "otp", _("二次验证")
        VIEW = "view", _("查看")
        CREATE = "create", _("新建")
        UPDATE = "update", _("修改")
        DELETE = "delete", _("删除")
        REVEAL = "reveal", _("查看敏感信息")
        EXPORT = "export", _("导出")
        IMPORT = "import", _("导入")
        DENIED = "denied", _("拒绝访问")

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("用户"))
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    role = models.CharField(_("角色"), max_length=20, blank=True)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=60, blank=True, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=40, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    path = models.CharField(_("地址"), max_length=300, blank=True)
    allowed = models.BooleanField(_("是否允许"), default=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("审计日志只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("审计日志只能追加，不能删除")

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role in Role.values else self.role


class ImportJob(models.Model):
    """One uploaded spreadsheet: previewed first, written only when a user confirms."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("已上传")
        PREVIEWING = "previewing", _("正在检查")
        PREVIEWED = "previewed", _("待确认")
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("导入中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("类型"), max_length=30)
    # Private (0600) while the job waits, deleted when it ends: the file holds ID numbers and phones in plaintext.
    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/", storage=PrivateImportStorage(), blank=True)
    filename = models.CharField(_("文件名"), max_length=200)
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("导入到"))
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, verbose_name=_("导入人"))
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.UPLOADED)
    preview = models.JSONField(_("预览"), default=dict)
    result = models.JSONField(_("结果"), default=dict)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    error = models.TextField(_("错误"), blank=True)
    started_at = models.DateTimeField(_("开始处理"), null=True, blank=True,
                                      help_text=_("工作进程接手检查或写入的时间；此后心跳停止即视为中断"))
    multi_value = models.CharField(
        _("多值字段"), max_length=10, default="merge",
        choices=[("merge", _("合并：保留原有的，加上表格里新的")), ("replace", _("替换：以表格为准"))],
        help_text=_("更新已登记的记录时，研究方向、企业资质这类多值字段如何处理"))

    # the preview holds the uploaded rows (personal data): only the user who uploaded the file sees the job
    scope = Scope(person="created_by")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename}（{self.get_status_display()}）"

    @property
    def percent(self) -> int:
        return int(100 * self.progress_done / self.progress_total) if self.progress_total else 0


class SearchDocument(models.Model):
    """One row's searchable text as lexemes, for list searches (`rencai.core.search`). On PostgreSQL a trigger
    moves `tokens` into `vector` (GIN index); on SQLite an FTS5 table mirrors `tokens`. The row (model, 0) marks a
    model's index complete."""

    from django.contrib.postgres.search import SearchVectorField

    model = models.CharField(max_length=100)  # the indexed model's label, "talents.talent"
    object_id = models.BigIntegerField()
    tokens = models.TextField(blank=True)  # lexemes, space-separated (empty on PostgreSQL: see vector)
    digest = models.CharField(max_length=32)  # of the fields' text when indexed: an unchanged row is not rewritten
    vector = SearchVectorField(null=True, editable=False)  # PostgreSQL only (trigger); NULL on SQLite
    del SearchVectorField  # imported here only because this class is appended to the module

    class Meta:
        constraints = [models.UniqueConstraint(fields=["model", "object_id"], name="search_document_unique")]

    def __str__(self) -> str:
        return f"{self.model}#{self.object_id}"
