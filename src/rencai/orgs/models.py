"""Enterprises (企业库), their innovation indicators and platforms, and institutions (派出单位)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from rencai.core.crypto import EncryptedTextField
from rencai.core.models import User, Zone
from rencai.core.roles import STAFF
from rencai.core.scoping import SELF, Scope, ScopedQuerySet
from rencai.core.textnorm import name_key, to_simplified


class Qualification(models.TextChoices):
    HIGH_TECH = "high_tech", _("高新技术企业")
    SPECIALIZED = "specialized", _("专精特新")
    LITTLE_GIANT = "little_giant", _("小巨人")
    ABOVE_SCALE = "above_scale", _("规上企业")


class Enterprise(models.Model):
    name = models.CharField(_("企业名称"), max_length=200, db_index=True)
    # the name folded to Simplified, no spaces, lower case: a search in either script finds it (kept as written)
    name_key = models.CharField(max_length=200, db_index=True, editable=False, default="")
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, null=True, blank=True)
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name=_("所在旗区/园区"))
    industry_code = models.CharField(
        _("所属行业"), max_length=4, blank=True, help_text=_("国民经济行业分类（门类或大类）")
    )
    qualifications = models.JSONField(_("企业资质"), default=list, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("职工人数"), null=True, blank=True)
    remarks = models.TextField(_("备注"), blank=True)
    extra = models.JSONField(_("导入时的其他列"), default=dict, blank=True)
    members = models.ManyToManyField(User, blank=True, related_name="enterprises", verbose_name=_("企业用户"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    scope = Scope(zone="zone", enterprise=SELF)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]
        # the list's default order (名称), its zone filter and its other sort (最近更新)
        indexes = [models.Index(fields=["zone", "name", "id"], name="enterprise_zone_name_idx"),
                   models.Index(fields=["-updated_at", "-id"], name="enterprise_recent_idx")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_key = name_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:  # type: ignore[operator]
            kwargs["update_fields"] = {*update_fields, "name_key"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def name_other_script(self) -> str:
        """The Simplified form of a name written in Traditional (shown beside it), else ""."""
        simplified = to_simplified(self.name)
        return simplified if simplified != self.name else ""

    @property
    def qualification_labels(self) -> list[str]:
        return [str(Qualification(q).label) for q in self.qualifications if q in Qualification.values]

    def latest_indicator(self) -> InnovationIndicator | None:
        return self.indicators.order_by("-year").first()


class EnterpriseContact(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("联系人"), max_length=50)
    position = models.CharField(_("职务"), max_length=50, blank=True)
    phone = EncryptedTextField(_("联系电话"), blank=True)
    is_primary = models.BooleanField(_("主要联系人"), default=False)

    # the contacts of the enterprises the user may see; the reveal view needs it to find a contact at all
    scope = Scope(zone="enterprise__zone", enterprise="enterprise")
    objects = ScopedQuerySet.as_manager()

    sensitive_fields = {"phone": "phone"}

    class Meta:
        verbose_name = _("企业联系人")
        verbose_name_plural = _("企业联系人")

    def __str__(self) -> str:
        return self.name


class InnovationIndicator(models.Model):
    """A year's R&D figures; the three together decide the 三清零 status."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="indicators")
    year = models.PositiveSmallIntegerField(_("年度"))
    rd_spending = models.DecimalField(_("研发投入（万元）"), max_digits=12, decimal_places=2, default=0)
    has_rd_institution = models.BooleanField(_("有研发机构"), default=False)
    invention_patents = models.PositiveIntegerField(_("有效发明专利（件）"), default=0)

    scope = Scope(zone="enterprise__zone", enterprise="enterprise")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("创新指标")
        verbose_name_plural = _("创新指标")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="indicator_one_per_year")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"

    @property
    def zeros(self) -> list[str]:
        """Which of the three zeros remain: no R&D spending, no R&D institution, no invention patent."""
        missing = []
        if not self.rd_spending or self.rd_spending <= 0:
            missing.append(gettext_noop("研发投入"))
        if not self.has_rd_institution:
            missing.append(gettext_noop("研发机构"))
        if not self.invention_patents:
            missing.append(gettext_noop("发明专利"))
        return missing

    @property
    def three_zeros_cleared(self) -> bool:
        return not self.zeros


class Platform(models.Model):
    class Kind(models.TextChoices):
        POSTDOC_STATION = "postdoc_station", _("博士后科研工作站")
        POSTDOC_BASE = "postdoc_base", _("博士后创新实践基地")
        KEY_LAB = "key_lab", _("重点实验室")
        ACADEMICIAN = "academician", _("院士专家工作站")
        ENGINEERING = "engineering", _("工程技术研究中心")
        SKILL_MASTER = "skill_master", _("技能大师工作室")
        ENCLAVE = "enclave", _("人才飞地")

    class Level(models.TextChoices):
        NATIONAL = "national", _("国家级")
        REGIONAL = "regional", _("自治区级")
        CITY = "city", _("市级")
        ZONE = "zone", _("区级")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="platforms")
    kind = models.CharField(_("平台类型"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("平台名称"), max_length=200)
    level = models.CharField(_("级别"), max_length=20, choices=Level.choices, blank=True)
    approved_on = models.DateField(_("认定日期"), null=True, blank=True)
    location = models.CharField(_("所在地"), max_length=100, blank=True, help_text=_("人才飞地填写所在城市，如 北京"))

    scope = Scope(zone="enterprise__zone", enterprise="enterprise")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("创新平台")
        verbose_name_plural = _("创新平台")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Institution(models.Model):
    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("高等院校")
        INSTITUTE = "institute", _("科研院所")
        HOSPITAL = "hospital", _("医院")
        OTHER = "other", _("其他")

    name = models.CharField(_("机构名称"), max_length=200, unique=True)
    kind = models.CharField(_("机构类型"), max_length=20, choices=Kind.choices, default=Kind.UNIVERSITY)
    province = models.CharField(_("所在省份"), max_length=30, blank=True)
    city = models.CharField(_("所在城市"), max_length=30, blank=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, null=True, blank=True)
    address = models.CharField(_("通讯地址"), max_length=200, blank=True)
    liaisons = models.ManyToManyField(User, blank=True, related_name="institutions", verbose_name=_("联络人"))

    # sending units are shared by the whole city's office; a liaison sees their own institution
    scope = Scope(institution=SELF, shared_with=STAFF)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("派出单位")
        verbose_name_plural = _("派出单位")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


