"""Postdoctoral workstations and bases, their partner mobile stations, postdocs, milestones and reminders."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rencai.core.models import User
from rencai.core.scoping import Scope, ScopedQuerySet
from rencai.orgs.models import Enterprise, Institution, Platform
from rencai.talents.models import Talent


class StationKind(models.TextChoices):
    STATION = "station", _("博士后科研工作站")
    BASE = "base", _("博士后创新实践基地")
class Stage(models.TextChoices):
    SURVEY = "survey", _("调研")
    EVALUATION = "evaluation", _("项目评估")
    APPLICATION = "application", _("申报推荐")
    APPROVED = "approved", _("获批设站")
    OPERATING = "operating", _("运行")
    WITHDRAWN = "withdrawn", _("撤站")
# Stations that may take postdocs in.
OPEN_STAGES = (Stage.APPROVED, Stage.OPERATING)


class PostdocSettings(models.Model):
    """The office's defaults: months from entry to each deadline, and days before a deadline to remind."""

    proposal_months = models.PositiveSmallIntegerField("开题期限(进站后月数)", default=3)
    midterm_months = models.PositiveSmallIntegerField("中期评估期限(进站后月数)", default=12)
    exit_months = models.PositiveSmallIntegerField("出站期限(进站后月数)", default=24)
    reminder_days = models.JSONField("提前提醒天数", default=list, help_text="如 [30, 7]")

    class Meta:
        verbose_name = "博士后期限设置"
        verbose_name_plural = "博士后期限设置"

    def __str__(self) -> str:
        return "博士后期限设置"

    @classmethod
    def current(cls) -> PostdocSettings:
        found, _ = cls.objects.get_or_create(pk=1, defaults={"reminder_days": [30, 7]})
        return found


class Station(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="postdoc_stations",
                                   verbose_name="设站企业")
    kind = models.CharField("类型", max_length=10, choices=StationKind.choices, default=StationKind.STATION)
    name = models.CharField("名称", max_length=200)
    stage = models.CharField("阶段", max_length=12, choices=Stage.choices, default=Stage.SURVEY, db_index=True)
    research_fields = models.CharField("研究方向", max_length=300, blank=True)
    approved_on = models.DateField("获批日期", null=True, blank=True)
    approval_number = models.CharField("批准文号", max_length=100, blank=True)
    withdrawn_on = models.DateField("撤站日期", null=True, blank=True)
    withdrawn_reason = models.CharField("撤站原因", max_length=300, blank=True)
    platform = models.ForeignKey(Platform, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name="创新平台")
    proposal_months = models.PositiveSmallIntegerField("开题期限(月)", null=True, blank=True,
                                                       help_text="留空则用全局设置")
    midterm_months = models.PositiveSmallIntegerField("中期评估期限(月)", null=True, blank=True,
                                                      help_text="留空则用全局设置")
    exit_months = models.PositiveSmallIntegerField("出站期限(月)", null=True, blank=True,
                                                   help_text="留空则用全局设置")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    # a liaison sees the stations their institution partners (pk__in: a station with two partners is one row)
    scope = Scope(zone="enterprise__zone", enterprise="enterprise", institution="partners__institution")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "博士后工作站"
        verbose_name_plural = "博士后工作站"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="station_recent_idx")]  # 最近登记

    def __str__(self) -> str:
        return self.name

    @property
    def source(self) -> str:
        return f"postdoc.station:{self.pk}"


class Assistance(models.Model):
    """The office's help at a step: a site survey, an evaluation, one-to-one guidance where a step is stuck."""

    class Kind(models.TextChoices):
        SURVEY = "实地调研", _("实地调研")
        EVALUATION = "项目评估", _("项目评估")
        GUIDANCE = "一对一指导", _("一对一指导")
        OTHER = "其他", _("其他")
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="assistance")
    postdoc = models.ForeignKey("Postdoc", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="assistance", verbose_name="博士后")
    kind = models.CharField("服务方式", max_length=10, choices=Kind.choices)
    stage = models.CharField("所处阶段", max_length=20, blank=True)
    on = models.DateField("日期")
    content = models.TextField("服务内容及卡点")
    by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, verbose_name="记录人")

    # the office's help: the station's enterprise; a liaison and a postdoc only the help given to that postdoc
    scope = Scope(zone="station__enterprise__zone", enterprise="station__enterprise",
                  institution="postdoc__partner__institution", person="postdoc__talent__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "跟踪服务"
        verbose_name_plural = "跟踪服务"
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.on} {self.kind}"


class Partner(models.Model):
    """A partner mobile station (流动站): a university's discipline, with the co-supervisor there."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="partners")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="postdoc_partners",
                                    verbose_name="合作高校")
    discipline_code = models.CharField("一级学科代码", max_length=4)
    discipline = models.CharField("一级学科", max_length=50)
    co_supervisor = models.CharField("合作导师", max_length=50, blank=True)
    co_supervisor_user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                           verbose_name="合作导师账号")
    two_cities = models.BooleanField("双站双城", default=False, help_text="流动站与工作站在不同城市联合培养")

    scope = Scope(zone="station__enterprise__zone", enterprise="station__enterprise", institution="institution")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "合作流动站"
        verbose_name_plural = "合作流动站"
        constraints = [models.UniqueConstraint(fields=["station", "institution", "discipline_code"],
                                               name="postdoc_partner_unique")]

    def __str__(self) -> str:
        return f"{self.institution} {self.discipline}流动站"


class PostdocStage(models.TextChoices):
    ENTERED = "entered", _("在站（待开题）")
    PROPOSED = "proposed", _("已开题")
    MIDTERM = "midterm", _("已中期评估")
    COMPLETED = "completed", _("期满出站")
    WITHDRAWN = "withdrawn", _("退站")
ACTIVE_STAGES = (PostdocStage.ENTERED, PostdocStage.PROPOSED, PostdocStage.MIDTERM)


class PostdocQuerySet(ScopedQuerySet):
    def active(self) -> PostdocQuerySet:
        return self.filter(stage__in=ACTIVE_STAGES)


class Postdoc(models.Model):
    talent = models.ForeignKey(Talent, on_delete=models.PROTECT, related_name="postdoc_terms", verbose_name="博士后")
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="postdocs", verbose_name="工作站")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="postdocs",
                                verbose_name="合作流动站")
    topic = models.CharField("研究课题", max_length=200, blank=True)
    supervisor = models.CharField("企业导师", max_length=50, blank=True)
    supervisor_user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                        verbose_name="企业导师账号")
    co_supervisor = models.CharField("高校合作导师", max_length=50, blank=True)
    co_supervisor_user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                           verbose_name="高校合作导师账号")
    stage = models.CharField("状态", max_length=10, choices=PostdocStage.choices, default=PostdocStage.ENTERED,
                             db_index=True)
    entered_on = models.DateField("进站日期")
    proposal_due = models.DateField("开题截止")
    midterm_due = models.DateField("中期评估截止")
    exit_due = models.DateField("出站截止")
    extension_months = models.PositiveSmallIntegerField("延期月数", default=0)
    left_on = models.DateField("出站/退站日期", null=True, blank=True)
    stayed_in_zone = models.BooleanField("出站后留区工作", null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    scope = Scope(zone="station__enterprise__zone", enterprise="station__enterprise",
                  institution="partner__institution", person="talent__user")
    objects = PostdocQuerySet.as_manager()

    class Meta:
        verbose_name = "博士后"
        verbose_name_plural = "博士后"
        ordering = ["-entered_on", "-pk"]
        # the list's default order (最近进站) and its status filter
        indexes = [models.Index(fields=["-entered_on", "-id"], name="postdoc_recent_idx"),
                   models.Index(fields=["stage", "-entered_on", "-id"], name="postdoc_stage_recent_idx")]

    def __str__(self) -> str:
        return f"{self.talent.name}（{self.station}）"

    @property
    def source(self) -> str:
        return f"postdoc.postdoc:{self.pk}"

    def next_deadline(self) -> tuple[str, date] | None:
        """The milestone this postdoc is heading for and its deadline; none once out of station."""
        due = {PostdocStage.ENTERED: ("开题", self.proposal_due), PostdocStage.PROPOSED: ("中期评估", self.midterm_due),
               PostdocStage.MIDTERM: ("期满出站", self.exit_due)}
        return due.get(PostdocStage(self.stage))

    def is_overdue(self, today: date | None = None) -> bool:
        found = self.next_deadline()
        return bool(found and found[1] < (today or timezone.localdate()))

    @property
    def on_time(self) -> bool | None:
        if self.stage != PostdocStage.COMPLETED or self.left_on is None:
            return None
        return self.left_on <= self.exit_due


class Milestone(models.Model):
    class Kind(models.TextChoices):
        ENTRY = "进站", _("进站")
        PROPOSAL = "开题", _("开题")
        MIDTERM = "中期评估", _("中期评估")
        EXIT = "期满出站", _("期满出站")
        EXTENSION = "延期", _("延期")
        WITHDRAWAL = "退站", _("退站")
    class Result(models.TextChoices):
        PASSED = "通过", _("通过")
        FAILED = "不通过", _("不通过")
        NONE = "", "—"

    postdoc = models.ForeignKey(Postdoc, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField("事项", max_length=6, choices=Kind.choices)
    on = models.DateField("日期")
    result = models.CharField("评审结果", max_length=4, choices=Result.choices, blank=True)
    documents = models.TextField("材料", blank=True, help_text="如 开题报告、专家评审意见表")
    document = models.FileField("附件", upload_to="postdoc/%Y/", blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, verbose_name="记录人")
    at = models.DateTimeField("记录时间", default=timezone.now)

    scope = Scope(zone="postdoc__station__enterprise__zone", enterprise="postdoc__station__enterprise",
                  institution="postdoc__partner__institution", person="postdoc__talent__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "博士后节点"
        verbose_name_plural = "博士后节点"
        ordering = ["on", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.postdoc} {self.kind}"
