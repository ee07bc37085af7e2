"""揭榜挂帅: a 榜单 (challenge), the bids on it, the panel that reviews them, the awards and their milestones.

Who sees what is declared once per model (`scope`), from data the services set:
- an issuing enterprise sees its own 榜单; it sees the bids only once the 榜单 has closed
  (`Challenge.bids_disclosed_to` is set by the close move) and the scores only from 公示 on
  (`Challenge.scores_disclosed_to` is set by the notice move);
- a bidder sees their own bid (the user who submitted it);
- an expert (Role.EXPERT) sees only their assignments and their own scores, never the Bid row itself;
- office staff see the 榜单 of their zone (city-level staff every zone of the city).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rencai.core.models import Bureau, Zone
from rencai.core.scoping import Scope, ScopedQuerySet
from rencai.funds.models import money_field
from rencai.orgs.models import Enterprise
from rencai.talents.models import Talent

ZERO = Decimal("0")
HUNDRED = Decimal("100")


money = money_field  # one definition of a yuan amount, the ledger's


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING = "pending", _("待审核")
    PUBLISHED = "published", _("揭榜中")
    CLOSED = "closed", _("已截止")
    REVIEWING = "reviewing", _("评审中")
    NOTICE = "notice", _("公示中")
    AWARDED = "awarded", _("已立项")
    ACCEPTED = "accepted", _("已验收")
    CANCELLED = "cancelled", _("已撤销")


PUBLIC_STATUSES = (Status.PUBLISHED, Status.CLOSED, Status.REVIEWING, Status.NOTICE, Status.AWARDED,
                   Status.ACCEPTED)


class IssuerKind(models.TextChoices):
    BUREAU = "bureau", _("政府部门")
    ENTERPRISE = "enterprise", _("企业")


class Mode(models.TextChoices):
    SINGLE = "single", _("择优一家")
    RACE = "race", _("赛马制")


class Challenge(models.Model):
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("旗区/园区"))
    title = models.CharField(_("榜单名称"), max_length=200)
    issuer_kind = models.CharField(_("发榜方类型"), max_length=10, choices=IssuerKind.choices,
                                   default=IssuerKind.ENTERPRISE)
    issuer_enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="challenges", verbose_name=_("发榜企业"))
    issuer_bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="challenges", verbose_name=_("发榜部门"))
    problem = models.TextField(_("需求描述（发榜方原话）"))
    kpis = models.JSONField(_("考核指标"), default=list, blank=True,
                            help_text=_("每项：指标名称、目标值、单位"))
    acceptance_criteria = models.TextField(_("验收标准"), blank=True)
    cap = money(_("资助上限（元）"))
    deadline = models.DateField(_("揭榜截止日期"))
    eligibility = models.TextField(_("揭榜条件"), blank=True, default="不限年龄、学历、职称，团队负责人不设门槛")
    mode = models.CharField(_("方式"), max_length=10, choices=Mode.choices, default=Mode.SINGLE)
    race_teams = models.PositiveSmallIntegerField(_("赛马团队数"), default=1,
                                                  help_text=_("赛马制同时资助的团队数（2–5）"))
    blind = models.BooleanField(_("盲评"), default=True, help_text=_("评审专家看不到揭榜团队的身份"))
    rubric = models.JSONField(_("评分细则"), default=list, blank=True, help_text=_("每项：名称、权重（合计 100）"))
    defence_weight = models.DecimalField(_("答辩成绩权重(%)"), max_digits=5, decimal_places=2, default=Decimal("30"))
    panel_size = models.PositiveSmallIntegerField(_("评审专家人数"), default=3)
    notice_days = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=5)
    notice_start = models.DateField(_("公示开始"), null=True, blank=True)
    notice_until = models.DateField(_("公示截止"), null=True, blank=True)
    need = models.ForeignKey("needs.Need", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="challenges", verbose_name=_("来源需求"))
    catalog_line = models.ForeignKey("needs.CatalogLine", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="challenges", verbose_name=_("来源紧缺目录条目"))
    fund = models.ForeignKey("funds.Fund", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="challenges", verbose_name=_("资金来源"))
    bids_disclosed_to = models.ForeignKey(Enterprise, on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="+", editable=False)
    scores_disclosed_to = models.ForeignKey(Enterprise, on_delete=models.PROTECT, null=True, blank=True,
                                            related_name="+", editable=False)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    scope = Scope(zone="zone", enterprise="issuer_enterprise", bureau="issuer_bureau")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("榜单")
        verbose_name_plural = _("榜单")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("challenges:detail", args=[self.pk])

    @property
    def issuer_name(self) -> str:
        issuer = self.issuer_enterprise if self.issuer_kind == IssuerKind.ENTERPRISE else self.issuer_bureau
        return str(issuer) if issuer else "—"

    def clean(self) -> None:
        if self.issuer_kind == IssuerKind.ENTERPRISE and not self.issuer_enterprise_id:
            raise ValidationError({"issuer_enterprise": "企业发榜须选择发榜企业"})
        if self.issuer_kind == IssuerKind.BUREAU and not self.issuer_bureau_id:
            raise ValidationError({"issuer_bureau": "政府部门发榜须选择发榜部门"})
        if self.mode == Mode.RACE and not 2 <= self.race_teams <= 5:
            raise ValidationError({"race_teams": "赛马制同时资助 2–5 个团队"})
        if self.mode == Mode.SINGLE:
            self.race_teams = 1
        if self.cap is not None and self.cap <= 0:
            raise ValidationError({"cap": "资助上限必须大于零"})


class CoFunder(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("政府")
        ENTERPRISE = "enterprise", _("企业")

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="cofunders")
    name = models.CharField(_("出资方"), max_length=200)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    share = models.DecimalField(_("出资比例(%)"), max_digits=5, decimal_places=2)

    scope = Scope(zone="challenge__zone", enterprise="challenge__issuer_enterprise", bureau="challenge__issuer_bureau")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("出资方")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.share}%"


class BidStatus(models.TextChoices):
    DRAFT = "draft", _("未提交")
    SUBMITTED = "submitted", _("已提交")
    WITHDRAWN = "withdrawn", _("已撤回")
    FROZEN = "frozen", _("已封存")
    WON = "won", _("揭榜成功")
    LOST = "lost", _("未入选")


class Bid(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="bids")
    code = models.CharField(_("方案编号"), max_length=10, blank=True, help_text=_("盲评时专家看到的编号"))
    lead_name = models.CharField(_("团队负责人"), max_length=50)
    lead_talent = models.ForeignKey(Talent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                    verbose_name=_("负责人（人才库）"))
    unit = models.CharField(_("负责人单位"), max_length=200)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("揭榜企业"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=BidStatus.choices, default=BidStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(zone="challenge__zone", enterprise="challenge__bids_disclosed_to", person="submitted_by")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("揭榜方案")
        ordering = ["challenge", "code", "pk"]

    def __str__(self) -> str:
        return f"{self.challenge} · {self.code or self.lead_name}"

    def latest_version(self) -> BidVersion | None:
        return self.versions.order_by("-number").first()


class BidVersion(models.Model):
    """One version of a proposal. Versions are never changed: a change makes the next version."""

    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本"))
    route = models.TextField(_("技术路线"))
    plan = models.JSONField(_("里程碑计划"), default=list, blank=True, help_text=_("每项：名称、日期、交付物、比例"))
    budget = money(_("申请经费（元）"))
    commitment = models.TextField(_("军令状（承诺）"))
    attachment = models.FileField(_("附件"), upload_to="challenges/bids/%Y/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(zone="bid__challenge__zone", enterprise="bid__challenge__bids_disclosed_to",
                  person="bid__submitted_by")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("方案版本")
        ordering = ["bid", "number"]
        constraints = [models.UniqueConstraint(fields=["bid", "number"], name="challenges_bidversion_unique")]

    def __str__(self) -> str:
        return f"{self.bid} 第{self.number}版"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError("方案版本提交后不能修改；请提交新版本")
        super().save(*args, **kwargs)


class TeamMember(models.Model):
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("姓名"), max_length=50)
    talent = models.ForeignKey(Talent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    unit = models.CharField(_("单位"), max_length=200, blank=True)
    duty = models.CharField(_("分工"), max_length=100, blank=True)

    scope = Scope(zone="bid__challenge__zone", enterprise="bid__challenge__bids_disclosed_to",
                  person="bid__submitted_by")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("团队成员")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class PanelDraw(models.Model):
    """One recorded random draw: the seed, the pool and who was left out for which conflict."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="draws")
    seed = models.BigIntegerField(_("随机种子"))
    size = models.PositiveSmallIntegerField(_("抽取人数"))
    pool = models.JSONField(_("候选专家"), default=list)  # [talent id, …] in the order the draw read them
    affinity = models.JSONField(_("匹配度"), default=dict)  # {talent id: weight}
    excluded = models.JSONField(_("回避"), default=dict)  # {talent id: [reasons]}
    drawn = models.JSONField(_("抽中"), default=list)
    method = models.CharField(_("匹配度算法"), max_length=100, default="text-bigram")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    scope = Scope(zone="challenge__zone")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("专家抽取记录")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.challenge} 抽取（种子 {self.seed}）"


class DeclaredConflict(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="declared_conflicts")
    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="+", verbose_name=_("专家"))
    reason = models.CharField(_("回避原因"), max_length=200)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    scope = Scope(zone="challenge__zone")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("申报回避")

    def __str__(self) -> str:
        return f"{self.talent} 回避：{self.reason}"


class PanelMember(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="panel")
    draw = models.ForeignKey(PanelDraw, on_delete=models.CASCADE, related_name="members")
    talent = models.ForeignKey(Talent, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    affinity = models.FloatField(_("匹配度"), default=0)

    scope = Scope(zone="challenge__zone", person="user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("评审专家")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.talent)


class Assignment(models.Model):
    """One expert's copy of one bid to score: what the expert sees instead of the bid itself."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="assignments")
    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="assignments")
    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    scope = Scope(zone="challenge__zone", person="expert")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("评审任务")
        ordering = ["challenge", "bid__code", "pk"]
        constraints = [models.UniqueConstraint(fields=["bid", "member"], name="challenges_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.challenge} 方案{self.bid.code}"


class Score(models.Model):
    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="score")
    version = models.ForeignKey(BidVersion, on_delete=models.PROTECT, related_name="scores",
                                verbose_name=_("所评版本"))
    items = models.JSONField(_("各项得分"), default=dict)  # {rubric item name: 0–100}
    rubric_total = models.DecimalField(_("评分细则加权分"), max_digits=6, decimal_places=2)
    defence = models.DecimalField(_("答辩得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    total = models.DecimalField(_("综合得分"), max_digits=6, decimal_places=2)
    comment = models.TextField(_("评审意见"), blank=True)
    at = models.DateTimeField(auto_now=True)

    scope = Scope(zone="assignment__challenge__zone", enterprise="assignment__challenge__scores_disclosed_to",
                  person="assignment__expert")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("评分")

    def __str__(self) -> str:
        return f"{self.assignment} {self.total}"


class Objection(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="objections")
    text = models.TextField(_("异议内容"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    resolution = models.TextField(_("处理意见"), blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")

    scope = Scope(zone="challenge__zone", person="by")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("公示异议")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.challenge} 异议 #{self.pk}"


class AwardStatus(models.TextChoices):
    ACTIVE = "active", _("实施中")
    STOPPED = "stopped", _("已终止")
    MERGED = "merged", _("已合并")
    ACCEPTED = "accepted", _("已验收")


class Award(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="awards")
    bid = models.OneToOneField(Bid, on_delete=models.PROTECT, related_name="award")
    amount = money(_("资助金额（元）"))
    task_book_number = models.CharField(_("任务书编号"), max_length=60, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=AwardStatus.choices, default=AwardStatus.ACTIVE)
    stage = models.PositiveSmallIntegerField(_("当前阶段"), default=1)
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    stop_reason = models.CharField(_("终止原因"), max_length=200, blank=True)
    kpi_results = models.JSONField(_("指标完成情况"), default=list, blank=True)
    patents = models.PositiveIntegerField(_("专利"), default=0)
    products = models.PositiveIntegerField(_("新产品/新工艺"), default=0)
    problems_solved = models.PositiveIntegerField(_("解决难题"), default=0)
    acceptance_opinion = models.TextField(_("验收意见"), blank=True)
    awarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    awarded_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(zone="challenge__zone", enterprise="challenge__issuer_enterprise",
                  bureau="challenge__issuer_bureau", person="bid__submitted_by")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("立项")
        ordering = ["challenge", "pk"]

    def __str__(self) -> str:
        return f"{self.challenge} · {self.bid.lead_name}团队"

    def get_absolute_url(self) -> str:
        return reverse("challenges:award", args=[self.pk])


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", _("进行中")
    SUBMITTED = "submitted", _("待发榜方验收")
    ISSUER_ACCEPTED = "issuer_ok", _("待人才办审核")
    APPROVED = "approved", _("待支付")
    PAID = "paid", _("已支付")
    RELEASED = "released", _("已释放")


class Milestone(models.Model):
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="milestones")
    seq = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("里程碑"), max_length=200)
    due = models.DateField(_("完成日期"))
    deliverable = models.CharField(_("交付物"), max_length=300)
    percent = models.DecimalField(_("拨付比例(%)"), max_digits=5, decimal_places=2)
    amount = money(_("拨付金额（元）"))
    # The government co-funders' part of `amount`: the only part reserved in and paid from the fund. The rest is
    # the enterprise co-funders' own money, paid by them to the team and recorded, never booked in the ledger.
    public_amount = money(_("财政资金（元）"), default=Decimal("0"))
    commitment = models.OneToOneField("funds.Commitment", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    payment = models.OneToOneField("funds.Payment", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    report = models.TextField(_("完成情况"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=MilestoneStatus.choices,
                              default=MilestoneStatus.PLANNED)
    release_reason = models.CharField(_("释放原因"), max_length=200, blank=True)

    scope = Scope(zone="award__challenge__zone", enterprise="award__challenge__issuer_enterprise",
                  bureau="award__challenge__issuer_bureau", person="award__bid__submitted_by")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("里程碑")
        ordering = ["award", "seq"]
        constraints = [models.UniqueConstraint(fields=["award", "seq"], name="challenges_milestone_unique")]

    def __str__(self) -> str:
        return f"{self.award} 第{self.seq}期 {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("challenges:award", args=[self.award_id])

    @property
    def enterprise_amount(self) -> Decimal:
        return self.amount - self.public_amount


class StageGate(models.Model):
    class Decision(models.TextChoices):
        CONTINUE = "continue", _("继续")
        MERGE = "merge", _("合并")
        STOP = "stop", _("终止")

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="gates")
    stage = models.PositiveSmallIntegerField(_("阶段"))
    decision = models.CharField(_("结论"), max_length=10, choices=Decision.choices)
    reason = models.CharField(_("理由"), max_length=300)
    merged_into = models.ForeignKey(Award, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    released = money(_("释放金额（元）"), default=ZERO)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    scope = Scope(zone="award__challenge__zone", enterprise="award__challenge__issuer_enterprise",
                  bureau="award__challenge__issuer_bureau", person="award__bid__submitted_by")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("阶段评估")
        ordering = ["award", "stage", "pk"]

    def __str__(self) -> str:
        return f"{self.award} 第{self.stage}阶段：{self.get_decision_display()}"
