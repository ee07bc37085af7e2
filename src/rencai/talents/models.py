"""The talent register (人才库): people, their history, tags and the tier rules that classify them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from rencai.core.crypto import EncryptedTextField, lookup_hash
from rencai.core.models import User, Zone
from rencai.core.scoping import Scope, ScopedQuerySet
from rencai.core.textnorm import name_key, to_simplified
from rencai.orgs.models import Institution


class Tier(models.TextChoices):
    A = "A", _("A类 顶尖人才")
    B = "B", _("B类 国家级领军人才")
    C = "C", _("C类 省级领军人才")
    D = "D", _("D类 地方高级人才")
    E = "E", _("E类 基础人才")


class TalentType(models.TextChoices):
    FULL_TIME = "全职引进", _("全职引进")
    FLEXIBLE = "柔性引进", _("柔性引进")
    LOCAL = "本土培养", _("本土培养")
    DOCTOR_SERVICE = "博士服务", _("博士服务")
    POSTDOC = "博士后", _("博士后")


class FlexibleMode(models.TextChoices):
    SEASONAL = "候鸟式", _("候鸟式")
    WEEKEND = "周末式", _("周末式")
    PART_TIME = "兼职", _("兼职")
    ADVISER = "顾问", _("顾问")
    PROJECT = "项目合作", _("项目合作")
    RESIDENT = "驻企服务", _("驻企服务")


EDUCATION_LEVELS = ["博士研究生", "硕士研究生", "大学本科", "大学专科", "中专", "高中及以下"]
DEGREES = ["博士", "硕士", "学士"]


class Tag(models.Model):
    name = models.CharField(_("标签"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("标签")
        verbose_name_plural = _("标签")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TierRule(models.Model):
    """One published criterion: if every condition holds, the talent is in `tier`. Lower priority wins."""

    name = models.CharField(_("规则名称"), max_length=100)
    tier = models.CharField(_("人才层次"), max_length=1, choices=Tier.choices)
    priority = models.PositiveSmallIntegerField(_("优先级"), default=100, help_text=_("数字越小越先判断"))
    conditions = models.JSONField(_("条件"), default=list)
    active = models.BooleanField(_("启用"), default=True)
    basis = models.CharField(_("依据"), max_length=200, blank=True, help_text=_("如 政策文号或认定标准条款"))

    class Meta:
        verbose_name = _("分层规则")
        verbose_name_plural = _("分层规则")
        ordering = ["priority", "tier", "pk"]

    def __str__(self) -> str:
        return f"{self.tier}类：{self.name}"


class Talent(models.Model):
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所属旗区/园区"))
    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    name_key = models.CharField(max_length=50, db_index=True, editable=False)
    gender = models.CharField(_("性别"), max_length=1, choices=[("男", _("男")), ("女", _("女"))], blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    birth_month_only = models.BooleanField(_("出生日期只有年月"), default=False)
    id_number = EncryptedTextField(_("身份证号"), blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone = EncryptedTextField(_("手机号"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    education = models.CharField(_("最高学历"), max_length=20, blank=True)
    degree = models.CharField(_("最高学位"), max_length=10, blank=True)
    graduated_from = models.CharField(_("毕业院校"), max_length=100, blank=True)
    major = models.CharField(_("所学专业"), max_length=100, blank=True)
    discipline_code = models.CharField(_("一级学科代码"), max_length=4, blank=True, db_index=True)
    discipline = models.CharField(_("一级学科"), max_length=50, blank=True)
    research_directions = models.TextField(_("研究方向"), blank=True)
    title = models.CharField(_("职称"), max_length=50, blank=True)
    employer = models.CharField(_("工作单位"), max_length=200, blank=True)
    institution = models.ForeignKey(
        Institution, on_delete=models.SET_NULL, null=True, blank=True, related_name="talents",
        verbose_name=_("派出单位"),
    )
    talent_type = models.CharField(_("人才类型"), max_length=10, choices=TalentType.choices, blank=True)
    flexible_mode = models.CharField(_("柔性方式"), max_length=10, choices=FlexibleMode.choices, blank=True)
    tier = models.CharField(_("人才层次"), max_length=1, choices=Tier.choices, blank=True, db_index=True)
    tier_rule = models.ForeignKey(
        TierRule, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("分层依据规则")
    )
    tier_manual = models.BooleanField(_("层次为人工认定"), default=False)
    achievements = models.TextField(_("代表性成果"), blank=True)
    region = models.CharField(_("所在地区"), max_length=50, blank=True)
    remarks = models.TextField(_("备注"), blank=True)
    extra = models.JSONField(_("导入时的其他列"), default=dict, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="talents", verbose_name=_("标签"))
    user = models.OneToOneField(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="talent_profile",
        verbose_name=_("登录账号"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    scope = Scope(zone="zone", institution="institution", person="user")
    objects = ScopedQuerySet.as_manager()

    # field → kind of mask; who may reveal is decided in rencai.core.sensitive
    sensitive_fields = {"id_number": "id_number", "phone": "phone"}

    class Meta:
        verbose_name = _("人才")
        verbose_name_plural = _("人才")
        ordering = ["-updated_at", "-pk"]
        # the list's default order (最近更新, the pk after it in the same direction) and its zone and tier filters
        # (zone and user, the columns of the scope, close the first: a deep page's offset is then counted in
        # the index alone)
        indexes = [models.Index(fields=["-updated_at", "-id", "zone", "user"], name="talent_recent_idx"),
                   models.Index(fields=["zone", "-updated_at", "-id"], name="talent_zone_recent_idx"),
                   models.Index(fields=["zone", "tier"], name="talent_zone_tier_idx")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.refresh_keys()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def name_other_script(self) -> str:
        """The Simplified form of a name written in Traditional (shown beside it), else ""."""
        simplified = to_simplified(self.name)
        return simplified if simplified != self.name else ""

    def refresh_keys(self) -> None:
        """Derived lookup columns: the Simplified name key and keyed hashes of ID number and phone."""
        self.name_key = name_key(self.name)
        self.id_number_hash = lookup_hash(self.id_number)
        self.phone_hash = lookup_hash(self.phone)

    @property
    def birth_display(self) -> str:
        if not self.birth_date:
            return ""
        return self.birth_date.strftime("%Y-%m" if self.birth_month_only else "%Y-%m-%d")


class Education(models.Model):
    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="educations")
    start = models.DateField(_("入学"), null=True, blank=True)
    end = models.DateField(_("毕业"), null=True, blank=True)
    school = models.CharField(_("学校"), max_length=100)
    major = models.CharField(_("专业"), max_length=100, blank=True)
    degree = models.CharField(_("学位"), max_length=10, blank=True)

    scope = Scope(zone="talent__zone", institution="talent__institution", person="talent__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("教育经历")
        verbose_name_plural = _("教育经历")
        ordering = ["-end", "-start"]

    def __str__(self) -> str:
        return f"{self.school} {self.major}"


class Employment(models.Model):
    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="employments")
    start = models.DateField(_("开始"), null=True, blank=True)
    end = models.DateField(_("结束"), null=True, blank=True)
    employer = models.CharField(_("单位"), max_length=200)
    position = models.CharField(_("职务/岗位"), max_length=100, blank=True)

    scope = Scope(zone="talent__zone", institution="talent__institution", person="talent__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("工作经历")
        verbose_name_plural = _("工作经历")
        ordering = ["-start"]

    def __str__(self) -> str:
        return self.employer


class Achievement(models.Model):
    class Kind(models.TextChoices):
        PAPER = "paper", _("论文")
        PATENT = "patent", _("专利")
        PROJECT = "project", _("项目")
        AWARD = "award", _("奖励")
        OTHER = "other", _("其他")

    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="achievement_items")
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("名称"), max_length=300)
    year = models.PositiveSmallIntegerField(_("年份"), null=True, blank=True)
    detail = models.TextField(_("说明"), blank=True)

    scope = Scope(zone="talent__zone", institution="talent__institution", person="talent__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("成果")
        verbose_name_plural = _("成果")
        ordering = ["-year", "kind"]

    def __str__(self) -> str:
        return self.title
