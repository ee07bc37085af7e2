"""The office's own configuration: its name and region on letters, its 文号 series, its working-day calendar."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """A day that is not as the plain week says: an official holiday, or a 调休 Saturday/Sunday worked."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日（休息）")
        WORKDAY = "workday", _("调休上班")

    day = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=50, blank=True, help_text=_("如 国庆节、春节调休上班"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.get_kind_display()} {self.name}"


class OfficeProfile(models.Model):
    """One per city: how the office signs its letters (发文机关、地区) and what its printed pages say."""

    city = models.OneToOneField("core.City", on_delete=models.CASCADE, related_name="office",
                                verbose_name=_("城市"))
    name = models.CharField(_("发文机关"), max_length=100, default="人才工作领导小组办公室",
                            help_text=_("印在公文落款处，如 包头市委人才工作领导小组办公室"))
    region = models.CharField(_("所在地区"), max_length=100, blank=True, help_text=_("如 内蒙古自治区包头市"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("人才办信息")
        verbose_name_plural = _("人才办信息")

    def __str__(self) -> str:
        return self.name

    @property
    def sender(self) -> str:
        """The sender line of a letter: the region and the office, e.g. 内蒙古自治区包头市人才工作领导小组办公室."""
        return self.name if not self.region or self.name.startswith(self.region) else f"{self.region}{self.name}"


class DocumentSeries(models.Model):
    """A 文号 series, numbered per year: 包人才办〔2026〕1号, 2号 … never reused, never skipped."""

    city = models.ForeignKey("core.City", on_delete=models.CASCADE, related_name="document_series")
    key = models.SlugField(_("用途"), max_length=40, help_text=_("如 assessment_letter（年度考核意见）"))
    prefix = models.CharField(_("机关代字"), max_length=30, help_text=_("如 包人才办"))
    year = models.PositiveSmallIntegerField(_("年度"))
    last_number = models.PositiveIntegerField(_("已用到"), default=0)

    class Meta:
        verbose_name = _("文号")
        verbose_name_plural = _("文号")
        constraints = [models.UniqueConstraint(fields=["city", "key", "year"], name="document_series_per_year")]

    def __str__(self) -> str:
        return f"{self.prefix}〔{self.year}〕"
