"""招才引智活动: campaigns and their events, posts, candidates and intentions; innovation competitions.

Every model declares its scope: office staff see their zone's (or city's) rows, an enterprise user the posts
and intentions of its own enterprise. Personal data (ID number, phone) is encrypted at rest, found by a
keyed hash, and only stored once the candidate has consented (PIPL).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rencai.core.crypto import EncryptedTextField, lookup_hash
from rencai.core.models import City, User, Zone
from rencai.core.scoping import Scope, ScopedQuerySet
from rencai.core.textnorm import name_key
from rencai.orgs.models import Enterprise


class Stage(models.TextChoices):
    CAPTURED = "captured", _("已登记意向")
    CONTACTED = "contacted", _("已联系")
    INTERVIEWING = "interviewing", _("面试中")
    OFFERED = "offered", _("已发录用")
    SIGNED = "signed", _("已签约")
    ARRIVED = "arrived", _("已到岗")
    INSURED = "insured", _("已在区内参保")
    RETAINED_6M = "retained_6m", _("留任满6个月")
    RETAINED_12M = "retained_12m", _("留任满12个月")
    LOST = "lost", _("已流失")


PIPELINE = [s.value for s in Stage if s != Stage.LOST]


class Source(models.TextChoices):
    QR = "qr", _("现场扫码")
    STAFF = "staff", _("工作人员录入")
    REFERRAL = "referral", _("推荐")
    ONLINE = "online", _("线上投递")


class Campaign(models.Model):
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="recruit_campaigns", verbose_name=_("城市"))
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, null=True, blank=True, related_name="recruit_campaigns",
                             verbose_name=_("旗区/园区"), help_text=_("留空为全市活动"))
    name = models.CharField(_("活动名称"), max_length=200)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    stages = models.JSONField(_("启用的阶段"), default=list, blank=True,
                              help_text=_("留空为全部阶段；已登记、已签约、已到岗、已在区内参保始终启用"))
    target_hires = models.PositiveIntegerField(_("引才目标（人）"), default=0)
    reward_policy_code = models.CharField(_("引进奖励政策代码"), max_length=60, default="graduate_intro_reward")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    scope = Scope(zone="zone", city="city")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("招才活动")
        verbose_name_plural = _("招才活动")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.name

    REQUIRED_STAGES = ("captured", "signed", "arrived", "insured", "lost")

    def enabled_stages(self) -> list[str]:
        chosen = set(self.stages or PIPELINE) | set(self.REQUIRED_STAGES)
        return [s.value for s in Stage if s.value in chosen]


class Event(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="events", verbose_name=_("招才活动"))
    held_on = models.DateField(_("日期"))
    university = models.CharField(_("高校"), max_length=100)
    city_name = models.CharField(_("所在城市"), max_length=50)
    title = models.CharField(_("场次名称"), max_length=200, blank=True)
    public_token = models.UUIDField(_("扫码登记码"), default=uuid.uuid4, unique=True, editable=False)
    booth_staff = models.ManyToManyField(User, blank=True, related_name="recruit_booths",
                                         verbose_name=_("展位工作人员"))

    # Office staff by the campaign's zone (or city); the booth staff of the event, whatever their role (an
    # enterprise's recruiter at its booth), see the event itself and nothing more through it.
    scope = Scope(zone="campaign__zone", city="campaign__city", person="booth_staff")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("招聘场次")
        verbose_name_plural = _("招聘场次")
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return self.title or f"{self.university}（{self.held_on:%Y-%m-%d}）"


class Post(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="posts", verbose_name=_("招才活动"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="recruit_posts",
                                   verbose_name=_("企业"))
    need = models.ForeignKey("needs.Need", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="recruit_posts", verbose_name=_("来自需求"))
    title = models.CharField(_("岗位名称"), max_length=200)
    field_text = models.CharField(_("领域"), max_length=100, blank=True)
    headcount = models.PositiveIntegerField(_("招聘人数"), default=1)

    scope = Scope(zone="enterprise__zone", enterprise="enterprise")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("招聘岗位")
        verbose_name_plural = _("招聘岗位")
        ordering = ["enterprise__name", "title", "pk"]

    def __str__(self) -> str:
        return f"{self.enterprise.name} · {self.title}"


class Candidate(models.Model):
    """One person, however many events they came to: found by ID number hash, else name + phone or birth date."""

    name = models.CharField(_("姓名"), max_length=50)
    name_key = models.CharField(max_length=50, db_index=True, editable=False)
    id_number = EncryptedTextField(_("身份证号"), blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone = EncryptedTextField(_("手机号"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    gender = models.CharField(_("性别"), max_length=1, choices=[("男", _("男")), ("女", _("女"))], blank=True)
    degree = models.CharField(_("学位"), max_length=10, blank=True)
    university = models.CharField(_("毕业院校"), max_length=100, blank=True)
    major = models.CharField(_("专业"), max_length=100, blank=True)
    consent_at = models.DateTimeField(_("同意个人信息处理的时间"))
    talent = models.ForeignKey("talents.Talent", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="recruit_candidates", verbose_name=_("人才库记录"))
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    scope = Scope(zone="intentions__post__enterprise__zone", enterprise="intentions__post__enterprise")
    objects = ScopedQuerySet.as_manager()
    sensitive_fields = {"id_number": "id_number", "phone": "phone"}

    class Meta:
        verbose_name = _("求职者")
        verbose_name_plural = _("求职者")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_key = name_key(self.name)
        self.id_number_hash = lookup_hash(self.id_number)
        self.phone_hash = lookup_hash(self.phone)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Intention(models.Model):
    """A candidate's hiring intention for one post (at one event): the unit the pipeline moves."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="intentions",
                                  verbose_name=_("求职者"))
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="intentions", verbose_name=_("岗位"))
    event = models.ForeignKey(Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="intentions",
                              verbose_name=_("场次"))
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.STAFF)
    stage = models.CharField(_("阶段"), max_length=14, choices=Stage.choices, default=Stage.CAPTURED, db_index=True)
    lost_reason = models.CharField(_("流失原因"), max_length=200, blank=True)
    contract = models.FileField(_("签约合同"), upload_to="recruitment/contracts/%Y/%m/", blank=True)
    signed_on = models.DateField(_("签约日期"), null=True, blank=True)
    arrived_on = models.DateField(_("到岗日期"), null=True, blank=True)
    insured_on = models.DateField(_("区内参保起始月"), null=True, blank=True)
    talent = models.ForeignKey("talents.Talent", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="recruit_intentions", verbose_name=_("人才库记录"))
    entitlement = models.ForeignKey("policies.Entitlement", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("引进奖励兑现资格"))
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("录入人"))
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, db_index=True)

    scope = Scope(zone="post__enterprise__zone", enterprise="post__enterprise")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("求职意向")
        verbose_name_plural = _("求职意向")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["candidate", "post", "event"], name="recruit_intention_once",
                                               nulls_distinct=False)]

    def __str__(self) -> str:
        return f"{self.candidate.name} → {self.post.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("recruitment:intention", args=[self.pk])


class InsuranceRecord(models.Model):
    """One month of social insurance paid in the zone, from the human-resources bureau's spreadsheet."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+", verbose_name=_("旗区/园区"))
    name = models.CharField(_("姓名"), max_length=50)
    id_number_hash = models.CharField(max_length=64, db_index=True, editable=False)
    month = models.DateField(_("缴费月份"))
    employer = models.CharField(_("参保单位"), max_length=200, blank=True)
    credit_code = models.CharField(_("单位统一社会信用代码"), max_length=18, blank=True)
    intention = models.ForeignKey(Intention, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="insurance", verbose_name=_("对应意向"))
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    scope = Scope(zone="zone")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("社保缴纳记录")
        verbose_name_plural = _("社保缴纳记录")
        ordering = ["-month", "pk"]
        constraints = [models.UniqueConstraint(fields=["zone", "id_number_hash", "month"], name="recruit_insured_once")]

    def __str__(self) -> str:
        return f"{self.name} {self.month:%Y-%m}"


# --- innovation competitions ------------------------------------------------------------------------------


class Competition(models.Model):
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="+", verbose_name=_("城市"))
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("旗区/园区"))
    name = models.CharField(_("大赛名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"))
    landing_months = models.PositiveSmallIntegerField(_("落地期限（月）"), default=6,
                                                      help_text=_("获奖项目须在此期限内在区内注册企业"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    scope = Scope(zone="zone", city="city")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("创新创业大赛")
        verbose_name_plural = _("创新创业大赛")
        ordering = ["-year", "-pk"]

    def __str__(self) -> str:
        return self.name


class Track(models.Model):
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField(_("赛道"), max_length=50)

    scope = Scope(zone="competition__zone", city="competition__city")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("赛道")
        verbose_name_plural = _("赛道")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Round(models.Model):
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="rounds")
    seq = models.PositiveSmallIntegerField(_("轮次"))
    name = models.CharField(_("名称"), max_length=50)
    quota = models.PositiveIntegerField(_("每赛道晋级名额"), help_text=_("最后一轮为获奖名额"))

    scope = Scope(zone="competition__zone", city="competition__city")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("比赛轮次")
        verbose_name_plural = _("比赛轮次")
        ordering = ["competition", "seq"]
        constraints = [models.UniqueConstraint(fields=["competition", "seq"], name="recruit_round_seq")]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("评分项"), max_length=50)
    weight = models.DecimalField(_("权重"), max_digits=4, decimal_places=2)

    scope = Scope(zone="competition__zone", city="competition__city")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("评分项")
        verbose_name_plural = _("评分项")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.weight}）"


class Landing(models.TextChoices):
    NONE = "", _("—")
    PENDING = "pending", _("待落地")
    LANDED = "landed", _("已落地")
    LAPSED = "lapsed", _("逾期未落地")


class Entry(models.Model):
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="entries", verbose_name=_("赛道"))
    project = models.CharField(_("项目名称"), max_length=200)
    leader = models.CharField(_("负责人"), max_length=50)
    unit = models.CharField(_("所在单位"), max_length=200, blank=True, help_text=_("用于评委回避"))
    members = models.CharField(_("团队成员"), max_length=300, blank=True, help_text=_("以顿号分隔"))
    reached = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="entries", verbose_name=_("所在轮次"))
    winner = models.BooleanField(_("获奖（入选直通车）"), default=False)
    support_tier = models.CharField(_("承诺人才层次"), max_length=1, blank=True)
    support_subsidy = models.DecimalField(_("承诺资助（万元）"), max_digits=10, decimal_places=2, null=True, blank=True)
    support_space = models.PositiveIntegerField(_("承诺场地（平方米）"), null=True, blank=True)
    landing_due = models.DateField(_("落地截止日期"), null=True, blank=True)
    landing = models.CharField(_("落地情况"), max_length=8, choices=Landing.choices, default=Landing.NONE, blank=True)
    credit_code = models.CharField(_("拟注册企业统一社会信用代码"), max_length=18, blank=True)
    landed_enterprise = models.ForeignKey(Enterprise, on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="+", verbose_name=_("落地企业"))

    scope = Scope(zone="track__competition__zone", city="track__competition__city")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("参赛项目")
        verbose_name_plural = _("参赛项目")
        ordering = ["track", "pk"]

    def __str__(self) -> str:
        return self.project


class Judge(models.Model):
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="judges")
    name = models.CharField(_("评委"), max_length=50)
    unit = models.CharField(_("工作单位"), max_length=200, blank=True)
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    declared = models.ManyToManyField(Entry, blank=True, related_name="declared_conflicts",
                                      verbose_name=_("申报回避的项目"))

    scope = Scope(zone="competition__zone", city="competition__city")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("评委")
        verbose_name_plural = _("评委")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Score(models.Model):
    judge = models.ForeignKey(Judge, on_delete=models.CASCADE, related_name="scores")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="scores")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.DecimalField(_("得分"), max_digits=5, decimal_places=2)

    scope = Scope(zone="entry__track__competition__zone", city="entry__track__competition__city")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        constraints = [models.UniqueConstraint(fields=["judge", "entry", "round", "criterion"],
                                               name="recruit_score_once")]

    def __str__(self) -> str:
        return f"{self.judge} · {self.entry} · {self.value}"
