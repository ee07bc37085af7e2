"""Targets (考核目标), the counting rules of their indicators, the records only this area keeps (a talent's stay
in a zone, a bureau's claim on a talent), manual adjustments, closed periods and policy-effect evaluations.

Actual values are never stored: `rencai.targets.indicators` computes them from the registers every time."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rencai.core.models import Bureau, City, User, Zone
from rencai.core.roles import STAFF, Role
from rencai.core.scoping import Scope, ScopedQuerySet
from rencai.policies.models import PolicyVersion
from rencai.talents.models import Talent


class Measure(models.TextChoices):
    FLOW = "flow", _("流量（期间发生数）")
    STOCK = "stock", _("存量（时点在册数）")


class Accumulation(models.TextChoices):
    PER_PERIOD = "period", _("按年度")
    CUMULATIVE = "cumulative", _("自基年起累计")


class Stay(models.Model):
    """A talent's time in a zone: the day they arrived (到岗) and the day they left (离区), if they have."""

    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="stays", verbose_name=_("人才"))
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("旗区/园区"))
    arrived_on = models.DateField(_("到岗日期"))
    left_on = models.DateField(_("离区日期"), null=True, blank=True)
    employer_in_zone = models.BooleanField(_("用人单位仍在区内"), default=True)

    scope = Scope(zone="zone", person="talent__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("在区记录")
        verbose_name_plural = _("在区记录")
        ordering = ["-arrived_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.talent} {self.arrived_on}—{self.left_on or ''}"


class Claim(models.Model):
    """A bureau counts a talent towards its own target for a year (one talent may be claimed by two)."""

    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="target_claims",
                               verbose_name=_("人才"))
    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, verbose_name=_("局办"))
    year = models.PositiveSmallIntegerField(_("年度"))

    scope = Scope(zone="talent__zone", bureau="bureau")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("局办认领")
        verbose_name_plural = _("局办认领")
        constraints = [models.UniqueConstraint(fields=["talent", "bureau", "year"], name="claim_once")]

    def __str__(self) -> str:
        return f"{self.bureau} {self.year} {self.talent}"


class Indicator(models.Model):
    """One indicator and its counting rule, as data: which source counts, stock or flow, which date, dedupe."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("指标名称"), max_length=80)
    unit = models.CharField(_("单位"), max_length=10, default="人")
    source = models.CharField(_("数据来源"), max_length=40, help_text=_("登记的计数来源，见指标注册表"))
    measure = models.CharField(_("存量/流量"), max_length=6, choices=Measure.choices, default=Measure.FLOW)
    accumulation = models.CharField(_("累计方式"), max_length=10, choices=Accumulation.choices,
                                    default=Accumulation.PER_PERIOD)
    base_year = models.PositiveSmallIntegerField(_("累计基年"), null=True, blank=True)
    filters = models.JSONField(_("计数条件"), default=dict, blank=True,
                               help_text=_('来源允许的条件，如 {"degree": "博士"}'))
    rule = models.TextField(_("口径说明"), blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    scope = Scope(shared_with=STAFF | {Role.BUREAU, Role.EVALUATOR})
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    """The target of one indicator for one year at one level: the city (no zone), a zone, or a bureau."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="targets")
    year = models.PositiveSmallIntegerField(_("年度"))
    city = models.ForeignKey(City, on_delete=models.PROTECT, verbose_name=_("城市"))
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("旗区/园区"))
    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("局办"))
    value = models.PositiveIntegerField(_("目标值"))
    set_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    scope = Scope(zone="zone", city="city", bureau="bureau")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度目标")
        verbose_name_plural = _("年度目标")
        ordering = ["indicator__order", "year", "zone", "bureau"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "city", "zone", "bureau"],
                                    name="target_once_per_level", nulls_distinct=False),
        ]

    def __str__(self) -> str:
        where = self.bureau or self.zone or self.city
        return f"{self.year} {where} {self.indicator}：{self.value}"

    @property
    def level(self) -> str:
        return "bureau" if self.bureau_id else ("zone" if self.zone_id else "city")


class Period(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("开放")
        LOCKED = "locked", _("已锁定")

    city = models.ForeignKey(City, on_delete=models.PROTECT, verbose_name=_("城市"))
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(_("状态"), max_length=6, choices=Status.choices, default=Status.OPEN)

    scope = Scope(city="city")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核期")
        verbose_name_plural = _("考核期")
        constraints = [models.UniqueConstraint(fields=["city", "year"], name="period_once")]

    def __str__(self) -> str:
        return f"{self.city} {self.year}年"


class Adjustment(models.Model):
    """A manual correction of an actual value: a reason, and approval by a second person, before it counts."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待复核")
        APPROVED = "approved", _("已复核生效")
        REJECTED = "rejected", _("已退回")

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="adjustments")
    year = models.PositiveSmallIntegerField(_("年度"))
    city = models.ForeignKey(City, on_delete=models.PROTECT, verbose_name=_("城市"))
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("旗区/园区"))
    delta = models.IntegerField(_("调整数"))
    reason = models.CharField(_("调整原因"), max_length=300)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("提出人"))
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("复核人"))
    created_at = models.DateTimeField(_("提出时间"), default=timezone.now)

    scope = Scope(zone="zone", city="city")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("实绩调整")
        verbose_name_plural = _("实绩调整")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year} {self.delta:+d}"


class Evaluation(models.Model):
    """A policy-effect evaluation of one policy version: plan locked before outcomes are computed."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("拟定方案")
        LOCKED = "locked", _("方案已锁定")
        ANALYSED = "analysed", _("已分析")
        CONCLUDED = "concluded", _("已形成建议")

    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="evaluations",
                                verbose_name=_("政策版本"))
    city = models.ForeignKey(City, on_delete=models.PROTECT, verbose_name=_("城市"))
    question = models.CharField(_("评估问题"), max_length=300)
    degree = models.CharField(_("对象学位"), max_length=10, blank=True, help_text=_("如 博士；留空为全部"))
    outcome_months = models.PositiveSmallIntegerField(_("结果：到岗后N个月仍在区"), default=24)
    adoption = models.JSONField(_("各区实施日期"), default=dict, blank=True,
                                help_text=_('双重差分用，如 {"xitu": "2024-07-01"}'))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    plan_hash = models.CharField(_("方案指纹"), max_length=64, blank=True)
    locked_at = models.DateTimeField(_("锁定时间"), null=True, blank=True)
    results = models.JSONField(_("结果"), default=dict, blank=True)
    finding = models.TextField(_("评估发现"), blank=True)
    recommendation = models.TextField(_("优化建议"), blank=True)
    followup_version = models.ForeignKey(PolicyVersion, on_delete=models.SET_NULL, null=True, blank=True,
                                         related_name="+", verbose_name=_("据此修订的新版本"))
    evaluator = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                  verbose_name=_("第三方评估机构"))
    salt = models.CharField(max_length=32, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    scope = Scope(city="city", person="evaluator")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("政策效果评估")
        verbose_name_plural = _("政策效果评估")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.question


class MonthlyReport(models.Model):
    """The 文号 of one month's report (月度报告) at one level: allocated once, the first time it is written, so the
    .docx and the PDF of a month, and every later reprint, carry the same number."""

    city = models.ForeignKey(City, on_delete=models.PROTECT, verbose_name=_("城市"))
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("旗区/园区"))
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    number = models.CharField(_("文号"), max_length=60)
    first_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("首次生成人"))
    created_at = models.DateTimeField(_("首次生成时间"), default=timezone.now)

    scope = Scope(zone="zone", city="city")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("月度报告")
        verbose_name_plural = _("月度报告")
        ordering = ["-year", "-month", "pk"]
        constraints = [models.UniqueConstraint(fields=["city", "zone", "year", "month"], name="monthly_report_once",
                                               nulls_distinct=False)]

    def __str__(self) -> str:
        return f"{self.year}年{self.month}月 {self.zone or self.city} {self.number}"
