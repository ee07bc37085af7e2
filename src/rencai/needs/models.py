"""Enterprise needs (企业需求), their status history, survey campaigns (入企问需) and the yearly catalog."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rencai.core.crypto import EncryptedTextField
from rencai.core.models import City, User, Zone
from rencai.core.scoping import Scope, ScopedQuerySet
from rencai.orgs.models import Enterprise


class Kind(models.TextChoices):
    TECH = "技术攻关", _("技术攻关")
    TALENT = "人才引进", _("人才引进")
    TRANSFER = "成果转化", _("成果转化")
    ASSISTANT = "科研助理岗位", _("科研助理岗位")
class Status(models.TextChoices):
    PENDING = "pending", _("待审核")
    RETURNED = "returned", _("退回修改")
    PUBLISHED = "published", _("已发布")
    MATCHING = "matching", _("对接中")
    MATCHED = "matched", _("已对接")
    SOLVED = "solved", _("已解决")
    CLOSED = "closed", _("已关闭")
# Needs still waiting for a talent: they count in the catalog and can be overdue.
OPEN_STATUSES = (Status.PUBLISHED, Status.MATCHING)
LIVE_STATUSES = (Status.PENDING, Status.RETURNED, Status.PUBLISHED, Status.MATCHING)


class Urgency(models.TextChoices):
    NORMAL = "一般", _("一般")
    RATHER = "较急", _("较急")
    URGENT = "紧急", _("紧急")
class Level(models.TextChoices):
    """The degree a need asks for; the talent pool's supply is counted at the same level."""

    DOCTOR = "博士", _("博士")
    MASTER = "硕士", _("硕士")
    BACHELOR = "学士", _("本科")
    ANY = "不限", _("不限")
class Source(models.TextChoices):
    VISIT = "visit", _("走访录入")
    ENTERPRISE = "enterprise", _("企业提交")
    IMPORT = "import", _("表格导入")
    STAFF = "staff", _("工作人员录入")
class NeedQuerySet(ScopedQuerySet):
    def overdue(self, today: date | None = None) -> NeedQuerySet:
        return self.filter(deadline__lt=today or timezone.localdate(), status__in=LIVE_STATUSES)


class Need(models.Model):
    class DisciplineSource(models.TextChoices):
        """How the 一级学科 was found: mapped from 所属领域 (again on each change of it), or set by staff."""

        NONE = "", _("未识别")
        CATALOG = "catalog", _("按学科目录识别")
        THESAURUS = "thesaurus", _("按领域词表识别")
        STAFF = "staff", _("工作人员指定")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="needs", verbose_name="企业")
    kind = models.CharField("需求类型", max_length=10, choices=Kind.choices, default=Kind.TALENT)
    title = models.CharField("需求名称", max_length=200)
    description = models.TextField("需求描述")
    field_text = models.CharField("所属领域", max_length=100, blank=True)
    discipline_code = models.CharField("一级学科代码", max_length=4, blank=True, db_index=True)
    discipline_source = models.CharField("一级学科来源", max_length=10, blank=True, default="",
                                         choices=DisciplineSource.choices)
    industry_code = models.CharField("所属行业", max_length=4, blank=True, db_index=True)
    expected_talent = models.TextField("期望人才", blank=True)
    level = models.CharField("学历层次", max_length=4, choices=Level.choices, default=Level.ANY)
    headcount = models.PositiveIntegerField("需求人数", default=1)
    filled = models.PositiveIntegerField("已到岗人数", default=0, help_text="科研助理岗位已聘用的人数")
    urgency = models.CharField("紧急程度", max_length=4, choices=Urgency.choices, default=Urgency.NORMAL)
    budget = models.DecimalField("拟投入经费(万元)", max_digits=12, decimal_places=2, null=True, blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = EncryptedTextField("联系电话", blank=True)
    deadline = models.DateField("截止日期", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    closed_reason = models.CharField("关闭原因", max_length=300, blank=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.ENTERPRISE)
    campaign = models.ForeignKey("Campaign", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="needs", verbose_name="问需活动")
    visit = models.ForeignKey("Visit", on_delete=models.SET_NULL, null=True, blank=True, related_name="needs",
                              verbose_name="走访记录")
    remarks = models.TextField("备注", blank=True)
    extra = models.JSONField("导入时的其他列", default=dict, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name="录入人")
    created_at = models.DateTimeField("提交时间", default=timezone.now, db_index=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope = Scope(zone="enterprise__zone", enterprise="enterprise")
    objects = NeedQuerySet.as_manager()
    sensitive_fields = {"contact_phone": "phone"}

    class Meta:
        verbose_name = "企业需求"
        verbose_name_plural = "企业需求"
        ordering = ["-created_at", "-pk"]
        # the list's default order (最近提交) and its status filter
        indexes = [models.Index(fields=["-created_at", "-id"], name="need_recent_idx"),
                   models.Index(fields=["status", "-created_at", "-id"], name="need_status_recent_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return bool(self.deadline and self.deadline < timezone.localdate() and self.status in LIVE_STATUSES)


class Campaign(models.Model):
    """A 入企问需 campaign: bureaus visit a list of enterprises in a period and collect their needs."""

    city = models.ForeignKey(City, on_delete=models.PROTECT, verbose_name="城市")
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, null=True, blank=True, verbose_name="旗区/园区",
                             help_text="留空表示全市的活动")
    name = models.CharField("活动名称", max_length=200)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    bureaus = models.JSONField("参与部门", default=list, help_text="如 科技局、工信局、农牧局")
    enterprises = models.ManyToManyField(Enterprise, blank=True, related_name="campaigns",
                                         verbose_name="走访企业")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name="创建人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    # a zone's staff see their zone's campaigns and the city-wide ones (zone empty)
    scope = Scope(zone="zone", city="city")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "问需活动"
        verbose_name_plural = "问需活动"
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.name


class Visit(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="visits")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="visits",
                                   verbose_name="企业")
    bureau = models.CharField("走访部门", max_length=50)
    visited_on = models.DateField("走访日期")
    visitors = models.CharField("走访人员", max_length=200)
    findings = models.TextField("走访情况", blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name="记录人")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    scope = Scope(zone="enterprise__zone")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "走访记录"
        verbose_name_plural = "走访记录"
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.enterprise}"


class CatalogEdition(models.Model):
    """A published, frozen 紧缺人才目录: its lines never change after publication."""

    city = models.ForeignKey(City, on_delete=models.PROTECT, null=True, blank=True, verbose_name="城市")
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, null=True, blank=True, verbose_name="旗区/园区")
    year = models.PositiveSmallIntegerField("年度")
    version = models.PositiveSmallIntegerField("版次")
    title = models.CharField("标题", max_length=200)
    notes = models.TextField("说明", blank=True)
    published_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name="发布人")
    published_at = models.DateTimeField("发布时间", default=timezone.now)

    # a zone's editions for its staff and the city's; the city's published catalog (zone empty) for every
    # staff member of the city, zone staff included
    scope = Scope(zone="zone", city="city")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "紧缺人才目录"
        verbose_name_plural = "紧缺人才目录"
        ordering = ["-year", "-version"]
        constraints = [models.UniqueConstraint(fields=["city", "zone", "year", "version"], name="edition_unique")]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"


class CatalogLine(models.Model):
    edition = models.ForeignKey(CatalogEdition, on_delete=models.CASCADE, related_name="lines")
    rank = models.PositiveIntegerField("排名")
    key = models.CharField(max_length=40)
    discipline_code = models.CharField("一级学科代码", max_length=4, blank=True)
    discipline = models.CharField("一级学科", max_length=50, blank=True)
    industry_code = models.CharField("行业代码", max_length=4, blank=True)
    industry = models.CharField("行业", max_length=100, blank=True)
    level = models.CharField("学历层次", max_length=4)
    demand = models.PositiveIntegerField("需求人数")
    supply = models.PositiveIntegerField("库内人才")
    shortage = models.IntegerField("缺口")
    note = models.CharField("备注", max_length=300, blank=True)
    need_ids = models.JSONField("依据需求", default=list)

    scope = Scope(zone="edition__zone", city="edition__city")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "目录条目"
        verbose_name_plural = "目录条目"
        ordering = ["rank"]

    def __str__(self) -> str:
        return f"{self.rank}. {self.discipline or self.industry} {self.level}"


class CatalogAdjustment(models.Model):
    """Staff's edit of one draft line (by key): a changed demand, a note, or leaving the line out."""

    city = models.ForeignKey(City, on_delete=models.PROTECT, null=True, blank=True)
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, null=True, blank=True)
    year = models.PositiveSmallIntegerField("年度")
    key = models.CharField(max_length=40)
    demand = models.PositiveIntegerField("调整后需求人数", null=True, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)
    hidden = models.BooleanField("不列入目录", default=False)
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    scope = Scope(zone="zone", city="city")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "目录调整"
        verbose_name_plural = "目录调整"
        constraints = [models.UniqueConstraint(fields=["city", "zone", "year", "key"], name="adjustment_unique")]

    def __str__(self) -> str:
        return self.key
