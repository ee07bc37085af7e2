"""Policies with their versions, entitlements and instalments.

A policy's rules live in its versions; an entitlement names the version it was granted under, so a
later change of the policy never alters what was promised.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from rencai.core.crypto import EncryptedTextField
from rencai.core.models import User, Zone
from rencai.core.scoping import Scope, ScopedQuerySet
from rencai.funds.models import Commitment, Level, Payment, money_field
from rencai.orgs.models import Enterprise
from rencai.talents.models import Talent

AUTO_SOURCE = "免申即享"  # the source of entitlements the nightly scan proposes


class BeneficiaryKind(models.TextChoices):
    TALENT = "talent", _("人才")
    ENTERPRISE = "enterprise", _("企业")


class Policy(models.Model):
    code = models.SlugField(_("政策代码"), max_length=60, unique=True, help_text=_("稳定的英文代码，供系统引用"))
    title = models.CharField(_("政策名称"), max_length=200)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    issuer = models.CharField(_("发文单位"), max_length=100, blank=True)
    beneficiary_kind = models.CharField(_("兑现对象"), max_length=12, choices=BeneficiaryKind.choices)
    auto_grant = models.BooleanField(_("免申即享"), default=False,
                                     help_text=_("每晚从平台数据中找出符合条件者，生成待确认名单"))
    active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("政策")
        verbose_name_plural = _("政策")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title

    @property
    def current_version(self) -> PolicyVersion | None:
        return self.versions.order_by("-number").first()


class PolicyVersion(models.Model):
    """One published wording of a policy's rules; never edited once saved — a change is a new version."""

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本号"))
    clauses = models.TextField(_("条款"), help_text=_("政策原文的相关条款，按“第X条”分行"))
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)
    conditions = models.JSONField(_("资格条件"), default=list, blank=True,
                                  help_text=_('每条 {"label": 说明, "expr": CEL 表达式, "clause": 条款}'))
    amount = money_field(_("金额（元）"), null=True, blank=True)
    amount_formula = models.CharField(_("金额公式"), max_length=300, blank=True,
                                      help_text=_("CEL 表达式，结果为元，如 enterprise.rd_spending * 100.0"))
    schedule = models.JSONField(_("分期"), default=list,
                                help_text=_('每期 {"after_months": 起算后月数, "share": 比例}，比例合计为 1'))
    level_shares = models.JSONField(_("分级承担"), default=dict,
                                    help_text=_('如 {"region": "0.4", "city": "0.3", "district": "0.3"}'))
    cap_per_person = money_field(_("每人累计上限（元）"), null=True, blank=True)
    cap_per_year = money_field(_("每人每年上限（元）"), null=True, blank=True)
    required_documents = models.JSONField(_("所需材料"), default=list, blank=True)
    notice_days = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=5)
    change_note = models.CharField(_("修订说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("政策版本")
        verbose_name_plural = _("政策版本")
        ordering = ["policy", "-number"]
        constraints = [models.UniqueConstraint(fields=["policy", "number"], name="policy_version_unique")]

    def __str__(self) -> str:
        return f"{self.policy.title}（第{self.number}版）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValidationError("政策版本保存后不能修改，请新建版本")
        super().save(*args, **kwargs)

    def clean(self) -> None:
        from rencai.policies.validation import validate_version  # rules need the whole version

        validate_version(self)

    @property
    def subjects(self) -> tuple[str, ...]:
        return (self.policy.beneficiary_kind,)


class Entitlement(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        NOTICE = "notice", _("公示中")
        APPROVED = "approved", _("已批准")
        STOPPED = "stopped", _("已终止")
        DONE = "done", _("已兑付完毕")

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="entitlements")
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, verbose_name=_("依据版本"))
    talent = models.ForeignKey(Talent, on_delete=models.PROTECT, null=True, blank=True, related_name="entitlements")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="entitlements")
    beneficiary_key = models.CharField(max_length=40, editable=False)
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("旗区/园区"))
    source = models.CharField(_("来源"), max_length=80, help_text=_("如 免申即享、申请编号、博士后工作站编号"))
    amount = money_field(_("金额（元）"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    trace = models.JSONField(_("资格依据"), default=list, blank=True)
    bank_name = models.CharField(_("开户行"), max_length=100, blank=True)
    bank_account = EncryptedTextField(_("银行账号"), blank=True)
    bank_confirmed_at = models.DateTimeField(_("账户确认时间"), null=True, blank=True)
    bank_problem = models.CharField(_("账户问题"), max_length=200, blank=True,
                                    help_text=_("国库退回等原因，兑现对象重新确认账户后清空"))
    notice_from = models.DateField(_("公示开始"), null=True, blank=True)
    notice_until = models.DateField(_("公示截止"), null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("审核人"))
    approved_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("批准人"))
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    stop_reason = models.CharField(_("终止原因"), max_length=200, blank=True)

    scope = Scope(zone="zone", enterprise="enterprise", person="talent__user")
    objects = ScopedQuerySet.as_manager()
    sensitive_fields = {"bank_account": "bank_account"}

    class Meta:
        verbose_name = _("兑现资格")
        verbose_name_plural = _("兑现资格")
        ordering = ["-created_at", "-pk"]
        # the office list: newest first, by zone, and the 免申即享 views by status
        indexes = [models.Index(fields=["zone", "-created_at", "-id"], name="entitlement_zone_recent_idx"),
                   models.Index(fields=["status", "-created_at", "-id"], name="entitlement_status_recent_idx")]
        constraints = [models.UniqueConstraint(fields=["policy", "beneficiary_key", "source"],
                                               name="entitlement_once_per_source")]

    def __str__(self) -> str:
        return f"{self.beneficiary} · {self.policy.title}"

    @property
    def beneficiary(self) -> Talent | Enterprise:
        return self.talent or self.enterprise  # type: ignore[return-value]

    def bank_blocker(self) -> str | None:
        """Why no money may go to this entitlement's account yet (Chinese), or None when it may."""
        if self.bank_problem:
            return f"收款账户被退回（{self.bank_problem}），须由兑现对象重新确认"
        if self.bank_confirmed_at is None or not self.bank_name or not self.bank_account:
            return "收款账户尚未由兑现对象确认"
        return None

    @property
    def paid_total(self) -> Decimal:
        return sum((i.amount for i in self.instalments.all() if i.status == Instalment.Status.PAID), Decimal(0))


class Instalment(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("待批准")
        COMMITTED = "committed", _("已预留")
        PAID = "paid", _("已支付")
        STOPPED = "stopped", _("已终止")

    entitlement = models.ForeignKey(Entitlement, on_delete=models.PROTECT, related_name="instalments")
    seq = models.PositiveSmallIntegerField(_("期次"))
    due_on = models.DateField(_("应付日期"))
    amount = money_field(_("金额（元）"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    paid_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    scope = Scope(zone="entitlement__zone", enterprise="entitlement__enterprise", person="entitlement__talent__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("分期")
        verbose_name_plural = _("分期")
        ordering = ["entitlement", "seq"]
        constraints = [models.UniqueConstraint(fields=["entitlement", "seq"], name="instalment_seq_unique")]

    def __str__(self) -> str:
        return f"第{self.seq}期 {self.amount}"


class Share(models.Model):
    """One government level's part of one instalment, with the fund commitment that reserves it."""

    instalment = models.ForeignKey(Instalment, on_delete=models.PROTECT, related_name="shares")
    level = models.CharField(_("政府层级"), max_length=10, choices=Level.choices)
    amount = money_field(_("金额（元）"))
    commitment = models.OneToOneField(Commitment, on_delete=models.PROTECT, null=True, blank=True)
    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, null=True, blank=True)

    scope = Scope(zone="instalment__entitlement__zone", enterprise="instalment__entitlement__enterprise",
                  person="instalment__entitlement__talent__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("分级承担")
        verbose_name_plural = _("分级承担")
        constraints = [models.UniqueConstraint(fields=["instalment", "level"], name="share_one_per_level")]

    def __str__(self) -> str:
        return f"{self.instalment} {self.get_level_display()} {self.amount}"


class Application(models.Model):
    """A talent's or an enterprise's application: 初审 → 复审 → 公示 → 批准, then 拨付 on the entitlement."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待初审")
        FIRST_PASSED = "first_passed", _("待复审")
        SECOND_PASSED = "second_passed", _("待公示")
        NOTICE = "notice", _("公示中")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已驳回")
        APPEALED = "appealed", _("申诉中")

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="applications", verbose_name=_("政策"))
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, verbose_name=_("依据版本"))
    talent = models.ForeignKey(Talent, on_delete=models.PROTECT, null=True, blank=True, related_name="applications")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="applications")
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("旗区/园区"))
    applicant = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人账号"))
    statement = models.TextField(_("申请说明"), blank=True)
    status = models.CharField(_("状态"), max_length=15, choices=Status.choices, default=Status.SUBMITTED)
    notice_from = models.DateField(_("公示开始"), null=True, blank=True)
    notice_until = models.DateField(_("公示截止"), null=True, blank=True)
    appeal_text = models.TextField(_("申诉理由"), blank=True)
    entitlement = models.OneToOneField(Entitlement, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="application")
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    scope = Scope(zone="zone", enterprise="enterprise", person="talent__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("兑现申请")
        verbose_name_plural = _("兑现申请")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["zone", "-submitted_at", "-id"], name="application_zone_recent_idx"),
                   models.Index(fields=["status", "-submitted_at", "-id"], name="application_status_recent_idx")]

    def __str__(self) -> str:
        return f"{self.beneficiary} 申请 {self.policy.title}"

    @property
    def beneficiary(self) -> Talent | Enterprise:
        return self.talent or self.enterprise  # type: ignore[return-value]

    def deciders(self, *moves: str) -> set[int]:
        """Who made these review moves (first, second, …) on this application; from the core history."""
        from rencai.policies.lifecycles import deciders

        return deciders(self, *moves)


class Attachment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("材料名称"), max_length=100)
    file = models.FileField(_("文件"), upload_to="policies/applications/%Y/")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(zone="application__zone", enterprise="application__enterprise",
                  person="application__talent__user")
    objects = ScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return self.title

