"""Zones, users with roles, the append-only audit log and spreadsheet import jobs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rencai.core.roles import STAFF, Role


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


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    city = models.ForeignKey(City, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("城市"))
    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("旗区/园区"),
        help_text=_("工作人员留空表示市级，可看全市各旗区的数据"),
    )
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)

    objects = UserManager()

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
    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/")
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

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename}（{self.get_status_display()}）"

    @property
    def percent(self) -> int:
        return int(100 * self.progress_done / self.progress_total) if self.progress_total else 0
