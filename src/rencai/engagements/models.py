"""Flexible service (柔性引才): programmes, agreements with their "1+N" projects, the service log the host
confirms, outcomes, the annual assessment and the opinion letter sent to the sending unit."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rencai.core.models import User, Zone
from rencai.core.scoping import Scope, ScopedQuerySet
from rencai.engagements import compliance as rules
from rencai.needs.models import Need
from rencai.orgs.models import Enterprise, Institution
from rencai.talents.models import Talent


class Mode(models.TextChoices):
    SEASONAL = "候鸟式", _("候鸟式")
    WEEKEND = "周末式", _("周末式")
    PART_TIME = "兼职", _("兼职")
    ADVISER = "顾问/聘任", _("顾问/聘任")
    RESIDENT = "驻企服务", _("驻企服务")
    DOCTOR = "博士服务", _("博士服务")
class Grade(models.TextChoices):
    EXCELLENT = "优秀", _("优秀")
    PASS = "合格", _("合格")
    BASIC = "基本合格", _("基本合格")
    FAIL = "不合格", _("不合格")
def one_year_from(start: date) -> date:
    """The last day of a one-year term (a term from 1 March ends on the last day of February)."""
    try:
        return start.replace(year=start.year + 1) - timedelta(days=1)
    except ValueError:
        return date(start.year + 1, 2, 28)


class Programme(models.Model):
    """A group of agreements with shared default terms, e.g. 2026年高校博士服务行动 (15 doctors, 15 hosts)."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name="旗区/园区")
    name = models.CharField("项目名称", max_length=200)
    year = models.PositiveSmallIntegerField("年度")
    description = models.TextField("说明", blank=True)
    visits_per_month = models.PositiveSmallIntegerField("每月至少到岗次数", default=1)
    days_per_visit = models.PositiveSmallIntegerField("每次至少天数", default=2)
    days_per_year = models.PositiveSmallIntegerField("每年至少天数", default=30)
    weight_host = models.PositiveSmallIntegerField("企业评价权重(%)", default=40)
    weight_compliance = models.PositiveSmallIntegerField("履约权重(%)", default=40)
    weight_outcomes = models.PositiveSmallIntegerField("成果权重(%)", default=20)
    office_name = models.CharField("发文单位", max_length=100, default="人才工作领导小组办公室")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope = Scope(zone="zone")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "柔性引才项目"
        verbose_name_plural = "柔性引才项目"
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return self.name


class AgreementStatus(models.TextChoices):
    ACTIVE = "active", _("服务中")
    ENDED = "ended", _("已终止")
    COMPLETED = "completed", _("期满")
class Agreement(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="agreements", verbose_name="所属项目")
    talent = models.ForeignKey(Talent, on_delete=models.PROTECT, related_name="agreements", verbose_name="人才")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="agreements",
                                   verbose_name="服务企业")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="agreements",
                                    verbose_name="派出单位")
    mode = models.CharField("柔性方式", max_length=10, choices=Mode.choices, default=Mode.DOCTOR)
    starts_on = models.DateField("服务开始")
    ends_on = models.DateField("服务结束", blank=True, help_text="留空为一年")
    visits_per_month = models.PositiveSmallIntegerField("每月至少到岗次数", default=1)
    days_per_visit = models.PositiveSmallIntegerField("每次至少天数", default=2)
    days_per_year = models.PositiveSmallIntegerField("每年至少天数", default=30)
    provides_transport = models.BooleanField("企业承担交通", default=True)
    provides_meals = models.BooleanField("企业承担餐饮", default=True)
    provides_lodging = models.BooleanField("企业承担住宿", default=True)
    research_funds = models.DecimalField("科研经费(万元)", max_digits=10, decimal_places=2, null=True, blank=True)
    needs = models.ManyToManyField(Need, blank=True, related_name="agreements", verbose_name="对应需求")
    pairing_ref = models.CharField("对接结果编号", max_length=64, blank=True, db_index=True)
    replaces = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="replaced_by", verbose_name="接替的协议")
    status = models.CharField("状态", max_length=10, choices=AgreementStatus.choices,
                              default=AgreementStatus.ACTIVE, db_index=True)
    ended_on = models.DateField("终止日期", null=True, blank=True)
    end_reason = models.CharField("终止原因", max_length=300, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope = Scope(zone="enterprise__zone", enterprise="enterprise", institution="institution", person="talent__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "柔性服务协议"
        verbose_name_plural = "柔性服务协议"
        ordering = ["-starts_on", "-pk"]
        # the list's default order (最近开始) and its status filter
        indexes = [models.Index(fields=["-starts_on", "-id"], name="agreement_recent_idx"),
                   models.Index(fields=["status", "-starts_on", "-id"], name="agreement_status_recent_idx")]

    def __str__(self) -> str:
        return f"{self.talent.name} · {self.enterprise.name}"

    @property
    def obligations(self) -> rules.Obligations:
        return rules.Obligations(self.visits_per_month, self.days_per_visit, self.days_per_year)

    @property
    def term(self) -> rules.Term:
        return rules.Term(self.starts_on, self.ends_on, self.ended_on)

    def compliance(self, today: date | None = None) -> rules.Report:
        # .all() so a list page that prefetched the visits computes every agreement without a query each
        spans = [v.span for v in self.visits.all() if v.status != VisitStatus.REJECTED]
        return rules.evaluate(self.term, self.obligations, spans, today or timezone.localdate())


class ServiceProject(models.Model):
    """"1+N": one lead project (牵头项目) and N service projects."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="projects")
    lead = models.BooleanField("牵头项目", default=False)
    title = models.CharField("项目名称", max_length=200)
    description = models.TextField("内容", blank=True)

    scope = Scope(zone="agreement__enterprise__zone", enterprise="agreement__enterprise",
                  institution="agreement__institution", person="agreement__talent__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "服务项目"
        verbose_name_plural = "服务项目"
        ordering = ["-lead", "pk"]

    def __str__(self) -> str:
        return self.title


class VisitStatus(models.TextChoices):
    PENDING = "pending", _("待企业确认")
    CONFIRMED = "confirmed", _("已确认")
    DISPUTED = "disputed", _("有异议")
    REJECTED = "rejected", _("不予认定")
class ServiceVisit(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="visits")
    starts_on = models.DateField("到岗日期")
    ends_on = models.DateField("离开日期")
    work = models.TextField("服务内容")
    attachment = models.FileField("附件", upload_to="engagements/visits/%Y/%m/", blank=True)
    status = models.CharField("状态", max_length=10, choices=VisitStatus.choices, default=VisitStatus.PENDING,
                              db_index=True)
    dispute_reason = models.CharField("异议原因", max_length=300, blank=True)
    resolution = models.CharField("处理意见", max_length=300, blank=True)
    logged_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name="填报人")
    logged_at = models.DateTimeField("填报时间", auto_now_add=True)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name="确认人")
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)

    scope = Scope(zone="agreement__enterprise__zone", enterprise="agreement__enterprise",
                  institution="agreement__institution", person="agreement__talent__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "服务记录"
        verbose_name_plural = "服务记录"
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.agreement.talent.name} {self.starts_on}—{self.ends_on}"

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    @property
    def span(self) -> rules.VisitSpan:
        return rules.VisitSpan(self.starts_on, self.ends_on, self.status == VisitStatus.CONFIRMED)


class OutcomeKind(models.TextChoices):
    PROJECT = "project", _("开展项目")
    PROBLEM = "problem", _("解决难题")
    PATENT = "patent", _("申请专利")
    PRODUCT = "product", _("新产品/新配方")
    PAPER = "paper", _("发表论文")
    TRAINED = "trained", _("培养人才")
class Outcome(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="outcomes")
    project = models.ForeignKey(ServiceProject, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="outcomes", verbose_name="所属项目")
    kind = models.CharField("成果类型", max_length=10, choices=OutcomeKind.choices)
    count = models.PositiveIntegerField("数量", default=1)
    title = models.CharField("名称", max_length=200)
    evidence = models.FileField("佐证材料", upload_to="engagements/outcomes/%Y/", blank=True)
    evidence_note = models.CharField("佐证说明", max_length=300, blank=True)
    achieved_on = models.DateField("取得日期", default=timezone.localdate)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name="录入人")
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    scope = Scope(zone="agreement__enterprise__zone", enterprise="agreement__enterprise",
                  institution="agreement__institution", person="agreement__talent__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "服务成果"
        verbose_name_plural = "服务成果"
        ordering = ["-achieved_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class AssessmentStatus(models.TextChoices):
    AWAITING = "awaiting", _("待企业评价")
    RATED = "rated", _("待审定")
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("已审定")
class Assessment(models.Model):
    """One agreement's annual assessment: the host's rating, the office's review, the weighted grade."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="assessments")
    year = models.PositiveSmallIntegerField("考核年度")
    host_score = models.PositiveSmallIntegerField("企业评分", null=True, blank=True)
    host_comment = models.TextField("企业评价", blank=True)
    host_rated_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    compliance_score = models.PositiveSmallIntegerField("履约得分", null=True, blank=True)
    outcome_score = models.PositiveSmallIntegerField("成果得分", null=True, blank=True)
    score = models.DecimalField("综合得分", max_digits=5, decimal_places=1, null=True, blank=True)
    grade = models.CharField("考核等次", max_length=4, choices=Grade.choices, blank=True)
    status = models.CharField("考核状态", max_length=10, choices=AssessmentStatus.choices,
                              default=AssessmentStatus.AWAITING, db_index=True)
    office_comment = models.TextField("考核意见", blank=True)
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField("审定时间", null=True, blank=True)

    scope = Scope(zone="agreement__enterprise__zone", enterprise="agreement__enterprise",
                  institution="agreement__institution", person="agreement__talent__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "年度考核"
        verbose_name_plural = "年度考核"
        constraints = [models.UniqueConstraint(fields=["agreement", "year"], name="assessment_once_a_year")]

    def __str__(self) -> str:
        return f"{self.agreement} {self.year}年度考核"


class Letter(models.Model):
    """The annual assessment opinion (年度考核意见) sent to the sending unit, as .docx and PDF."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="letters")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="letters",
                                    verbose_name="派出单位")
    number = models.CharField("文号", max_length=60)
    docx = models.FileField("Word 文件", upload_to="engagements/letters/%Y/")
    pdf = models.FileField("PDF 文件", upload_to="engagements/letters/%Y/")
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name="发送人")
    sent_at = models.DateTimeField("发送时间", default=timezone.now)

    # the opinion goes to the sending unit: its liaisons, and the office of the agreement's zone
    scope = Scope(zone="assessment__agreement__enterprise__zone", institution="institution")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "年度考核意见"
        verbose_name_plural = "年度考核意见"
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.assessment.agreement.talent.name}"
