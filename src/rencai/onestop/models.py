"""一站式人才服务: the service catalog, requests and their bureau tasks, ratings and rectification, the talent
card (人才码) and its redemptions, talent apartments, family members, liaison leaders and visits."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rencai.core.crypto import EncryptedTextField
from rencai.core.models import Bureau, City, User, Zone
from rencai.core.roles import Role
from rencai.core.scoping import Scope, ScopedQuerySet
from rencai.needs.models import Need
from rencai.policies.models import Application, Entitlement, Policy
from rencai.talents.models import Talent

# Everyone outside the office reads the catalog (it says what they may ask for); staff read their city's.
CATALOG_READERS = frozenset({Role.TALENT, Role.BUREAU, Role.PARTNER, Role.ENTERPRISE, Role.LIAISON})


class ServiceItem(models.Model):
    """One item of the catalog the office edits: who is entitled, who handles it, what it needs, how long."""

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="+", verbose_name=_("城市"))
    code = models.SlugField(_("代码"), max_length=30)
    name = models.CharField(_("服务事项"), max_length=60)
    description = models.TextField(_("说明"), blank=True)
    tiers = models.JSONField(_("适用人才层次"), default=list, blank=True,
                             help_text=_("如 [\"A\", \"B\"]；空表示所有层次"))
    talent_types = models.JSONField(_("适用人才类型"), default=list, blank=True, help_text=_("空表示所有类型"))
    bureaus = models.ManyToManyField(Bureau, related_name="service_items", verbose_name=_("承办局办"))
    documents = models.TextField(_("所需材料"), blank=True, help_text=_("每行一项"))
    time_limit_days = models.PositiveSmallIntegerField(_("办结时限（工作日）"), default=15)
    task_limit_days = models.PositiveSmallIntegerField(_("各局办办理时限（工作日）"), default=10)
    without_application = models.BooleanField(_("免申即享"), default=False,
                                              help_text=_("符合条件的人才无需申请即享有，可凭人才码使用"))
    card_quota = models.PositiveSmallIntegerField(_("人才码每年可核销次数"), default=0,
                                                  help_text=_("0 表示不能凭人才码核销"))
    active = models.BooleanField(_("启用"), default=True)
    policy = models.ForeignKey(Policy, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("兑现政策"),
                               help_text=_("涉及资金的事项（如安家/购房补贴）：申请同时提交该政策的兑现申请，"
                                           "经初审、复审、公示、批准后由财政拨付"))

    scope = Scope(city="city", shared_with=CATALOG_READERS)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("服务事项")
        verbose_name_plural = _("服务事项")
        ordering = ["city__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["city", "code"], name="onestop_item_unique_code")]

    def __str__(self) -> str:
        return self.name

    def document_list(self) -> list[str]:
        return [line.strip() for line in self.documents.splitlines() if line.strip()]

    def entitles(self, talent: Talent) -> bool:
        """Whether this talent's tier and type are among the item's (empty lists: everyone)."""
        return bool(self.active and (not self.tiers or talent.tier in self.tiers)
                    and (not self.talent_types or talent.talent_type in self.talent_types))


class RequestStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("办理中")
    WAITING = "waiting", _("待补充材料")
    DONE = "done", _("已办结")
    RATED = "rated", _("已评价")
    CANCELLED = "cancelled", _("已撤回")


class ServiceRequest(models.Model):
    """A talent's request for one catalog item; it fans out into one task per handling bureau."""

    talent = models.ForeignKey(Talent, on_delete=models.PROTECT, related_name="service_requests",
                               verbose_name=_("人才"))
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="requests", verbose_name=_("服务事项"))
    details = models.TextField(_("具体诉求"), blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=RequestStatus.choices,
                              default=RequestStatus.IN_PROGRESS, db_index=True)
    submitted_on = models.DateField(_("受理日期"), default=timezone.localdate)
    due_on = models.DateField(_("办结期限"))
    paused_on = models.DateField(_("暂停计时自"), null=True, blank=True)
    done_on = models.DateField(_("办结日期"), null=True, blank=True)
    escalated_on = models.DateField(_("超期上报日期"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("评价"), null=True, blank=True)
    rating_tags = models.JSONField(_("评价标签"), default=list, blank=True)
    rating_comment = models.CharField(_("评价意见"), max_length=300, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+",
                                   verbose_name=_("提交人"))
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    # The money part of an item with a policy goes through 政策兑现: its application, or the entitlement the
    # talent already had (免申即享), never a payment of this app's own.
    policy_application = models.ForeignKey(Application, on_delete=models.SET_NULL, null=True, blank=True,
                                           related_name="+", verbose_name=_("政策兑现申请"))
    policy_entitlement = models.ForeignKey(Entitlement, on_delete=models.SET_NULL, null=True, blank=True,
                                           related_name="+", verbose_name=_("兑现资格"))

    scope = Scope(zone="talent__zone", person="talent__user", bureau="tasks__bureau")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("服务申请")
        verbose_name_plural = _("服务申请")
        ordering = ["-submitted_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.item.name}（{self.talent.name}）"

    @property
    def on_time(self) -> bool | None:
        return None if self.done_on is None else self.done_on <= self.due_on

    @property
    def entitlement(self) -> Entitlement | None:
        """The 兑现资格 behind the money part: the one the talent had, or the one its application's approval made."""
        if self.policy_entitlement is not None:
            return self.policy_entitlement
        return self.policy_application.entitlement if self.policy_application is not None else None


class TaskStatus(models.TextChoices):
    OPEN = "open", _("办理中")
    WAITING = "waiting", _("待补充材料")
    DONE = "done", _("已办结")
    CANCELLED = "cancelled", _("已撤回")


class ServiceTask(models.Model):
    """One bureau's part of a request, with its own working-day clock."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="tasks",
                                verbose_name=_("服务申请"))
    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="service_tasks",
                               verbose_name=_("承办局办"))
    status = models.CharField(_("状态"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN,
                              db_index=True)
    started_on = models.DateField(_("开始日期"))
    due_on = models.DateField(_("办理期限"))
    paused_on = models.DateField(_("暂停计时自"), null=True, blank=True)
    wanted = models.CharField(_("需补充的材料"), max_length=300, blank=True)
    done_on = models.DateField(_("办结日期"), null=True, blank=True)
    result = models.TextField(_("办理结果"), blank=True)
    escalated_on = models.DateField(_("超期上报日期"), null=True, blank=True)

    scope = Scope(zone="request__talent__zone", person="request__talent__user", bureau="bureau")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("局办任务")
        verbose_name_plural = _("局办任务")
        ordering = ["due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["request", "bureau"], name="onestop_task_one_per_bureau")]

    def __str__(self) -> str:
        return f"{self.bureau.name}：{self.request}"


class CaseStatus(models.TextChoices):
    OPEN = "open", _("待回访")
    CALLED = "called", _("整改中")
    FIXED = "fixed", _("已整改")
    CLOSED = "closed", _("已复评")


class Rectification(models.Model):
    """A bad rating (差评) opens a case: call the talent back within 1 working day, fix within 15."""

    request = models.OneToOneField(ServiceRequest, on_delete=models.CASCADE, related_name="rectification",
                                   verbose_name=_("服务申请"))
    status = models.CharField(_("状态"), max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_on = models.DateField(_("立案日期"))
    callback_due = models.DateField(_("回访期限"))
    fix_due = models.DateField(_("整改期限"))
    called_on = models.DateField(_("回访日期"), null=True, blank=True)
    callback_note = models.TextField(_("回访情况"), blank=True)
    fixed_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    fix_note = models.TextField(_("整改措施"), blank=True)
    followup_rating = models.PositiveSmallIntegerField(_("复评"), null=True, blank=True)
    escalated_on = models.DateField(_("超期上报日期"), null=True, blank=True)

    scope = Scope(zone="request__talent__zone", person="request__talent__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")
        ordering = ["-opened_on", "-pk"]

    def __str__(self) -> str:
        return f"整改：{self.request}"


# --- the talent card (人才码) --------------------------------------------------------------------------------
class SigningKey(models.Model):
    """The office's Ed25519 key pair for 人才码; the public half is published, the private half is encrypted."""

    kid = models.CharField(_("密钥编号"), max_length=16, unique=True)
    private_key = EncryptedTextField(_("私钥"))
    public_key = models.CharField(_("公钥（base64url）"), max_length=64)
    active = models.BooleanField(_("当前使用"), default=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    # only the platform signs with it; its public half is served to everyone at a URL, not through a list
    scope = Scope(shared_with=frozenset({Role.OFFICE_ADMIN}))
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("人才码签名密钥")
        verbose_name_plural = _("人才码签名密钥")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.kid


class CardStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    SUSPENDED = "suspended", _("已暂停")


class TalentCard(models.Model):
    talent = models.OneToOneField(Talent, on_delete=models.CASCADE, related_name="card", verbose_name=_("人才"))
    number = models.CharField(_("卡号"), max_length=20, unique=True)
    status = models.CharField(_("状态"), max_length=10, choices=CardStatus.choices, default=CardStatus.ACTIVE)
    issued_on = models.DateField(_("发放日期"), default=timezone.localdate)
    expires_on = models.DateField(_("有效期至"))
    suspended_reason = models.CharField(_("暂停原因"), max_length=200, blank=True)

    scope = Scope(zone="talent__zone", person="talent__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("人才码")
        verbose_name_plural = _("人才码")
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return self.number


class PartnerVenue(models.Model):
    """A partner service point (hospital, airport VIP lounge, scenic spot) that redeems card entitlements."""

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="+", verbose_name=_("城市"))
    name = models.CharField(_("服务点名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=30, blank=True, help_text=_("如 医院、机场贵宾厅、景区"))
    items = models.ManyToManyField(ServiceItem, related_name="venues", verbose_name=_("可核销的服务"))
    members = models.ManyToManyField(User, blank=True, related_name="partner_venues", verbose_name=_("工作人员"))

    scope = Scope(city="city", person="members")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("合作服务点")
        verbose_name_plural = _("合作服务点")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Redemption(models.Model):
    """One use of a card entitlement at a partner venue (核销)."""

    card = models.ForeignKey(TalentCard, on_delete=models.PROTECT, related_name="redemptions",
                             verbose_name=_("人才码"))
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("服务"))
    venue = models.ForeignKey(PartnerVenue, on_delete=models.PROTECT, related_name="redemptions",
                              verbose_name=_("服务点"))
    at = models.DateTimeField(_("核销时间"), default=timezone.now)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("核销人"))
    token_id = models.CharField(_("码编号"), max_length=32, db_index=True)

    scope = Scope(zone="card__talent__zone", person="venue__members")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("核销记录")
        verbose_name_plural = _("核销记录")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.card}·{self.item}"


# --- talent apartments -------------------------------------------------------------------------------------
class Building(models.Model):
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+", verbose_name=_("旗区/园区"))
    name = models.CharField(_("公寓名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)

    scope = Scope(zone="zone")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("人才公寓")
        verbose_name_plural = _("人才公寓")
        ordering = ["zone__name", "name"]

    def __str__(self) -> str:
        return self.name


class UnitStatus(models.TextChoices):
    VACANT = "vacant", _("空置")
    OFFERED = "offered", _("已配租待入住")
    OCCUPIED = "occupied", _("已入住")


class Unit(models.Model):
    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="units", verbose_name=_("公寓"))
    number = models.CharField(_("房号"), max_length=20)
    area = models.DecimalField(_("面积（㎡）"), max_digits=7, decimal_places=2)
    rent = models.DecimalField(_("月租金（元）"), max_digits=9, decimal_places=2, default=0)
    layout = models.CharField(_("户型"), max_length=30, blank=True, help_text=_("如 两室一厅"))
    available_on = models.DateField(_("可入住日期"), null=True, blank=True,
                                    help_text=_("交付前不能配租；空表示已可入住"))
    status = models.CharField(_("状态"), max_length=10, choices=UnitStatus.choices, default=UnitStatus.VACANT,
                              db_index=True)

    scope = Scope(zone="building__zone")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("房源")
        verbose_name_plural = _("房源")
        ordering = ["building__name", "number"]
        constraints = [models.UniqueConstraint(fields=["building", "number"], name="onestop_unit_unique_number")]

    def __str__(self) -> str:
        return f"{self.building.name} {self.number}"


class WaitStatus(models.TextChoices):
    WAITING = "waiting", _("轮候中")
    OFFERED = "offered", _("已配租")
    HOUSED = "housed", _("已入住")
    WITHDRAWN = "withdrawn", _("已退出")


class WaitlistEntry(models.Model):
    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="apartment_wait",
                               verbose_name=_("人才"))
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请旗区/园区"))
    applied_on = models.DateField(_("申请日期"), default=timezone.localdate)
    arrival_on = models.DateField(_("到岗日期"))
    status = models.CharField(_("状态"), max_length=10, choices=WaitStatus.choices, default=WaitStatus.WAITING)

    scope = Scope(zone="zone", person="talent__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("公寓轮候")
        verbose_name_plural = _("公寓轮候")
        ordering = ["applied_on", "pk"]

    def __str__(self) -> str:
        return f"轮候：{self.talent.name}"


class TenancyStatus(models.TextChoices):
    OFFERED = "offered", _("已配租待入住")
    DECLINED = "declined", _("已放弃")
    OCCUPIED = "occupied", _("在住")
    VACATED = "vacated", _("已退房")


class Tenancy(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="tenancies", verbose_name=_("房源"))
    entry = models.ForeignKey(WaitlistEntry, on_delete=models.PROTECT, related_name="tenancies",
                              verbose_name=_("轮候"))
    status = models.CharField(_("状态"), max_length=10, choices=TenancyStatus.choices,
                              default=TenancyStatus.OFFERED)
    offered_on = models.DateField(_("配租日期"))
    starts_on = models.DateField(_("入住日期"), null=True, blank=True)
    ends_on = models.DateField(_("租期至"), null=True, blank=True)
    vacated_on = models.DateField(_("退房日期"), null=True, blank=True)

    scope = Scope(zone="unit__building__zone", person="entry__talent__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("配租与入住")
        verbose_name_plural = _("配租与入住")
        ordering = ["-offered_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.unit}·{self.entry.talent.name}"


# --- family members ----------------------------------------------------------------------------------------
class Relation(models.TextChoices):
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")


class FamilyMember(models.Model):
    """Only what a service needs (schooling, spouse job, health check); personal data encrypted and masked."""

    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="family", verbose_name=_("人才"))
    relation = models.CharField(_("关系"), max_length=8, choices=Relation.choices)
    name = EncryptedTextField(_("姓名"))
    id_number = EncryptedTextField(_("身份证号"), blank=True)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), null=True, blank=True)
    need = models.CharField(_("服务需要"), max_length=100, blank=True, help_text=_("如 小学入学、就业安置"))

    scope = Scope(zone="talent__zone", person="talent__user")
    objects = ScopedQuerySet.as_manager()
    sensitive_fields = {"name": "other", "id_number": "id_number"}

    class Meta:
        verbose_name = _("家属")
        verbose_name_plural = _("家属")
        ordering = ["talent", "relation", "pk"]

    def __str__(self) -> str:
        return f"{self.talent.name}的{self.get_relation_display()}"

    @property
    def user_id(self) -> int | None:
        """The talent's account: core.sensitive lets a person reveal their own records' values."""
        return self.talent.user_id


# --- liaison leaders and visits ----------------------------------------------------------------------------
class Leader(models.Model):
    """A leader assigned to stay in touch with experts (one leader, several experts)."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+", verbose_name=_("旗区/园区"))
    name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("职务"), max_length=100)
    talents = models.ManyToManyField(Talent, blank=True, related_name="liaison_leaders", verbose_name=_("联系专家"))
    team = models.CharField(_("联系团队"), max_length=200, blank=True)

    scope = Scope(zone="zone")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("联系领导")
        verbose_name_plural = _("联系领导")
        ordering = ["zone__name", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.post}）"


class VisitKind(models.TextChoices):
    CONDOLENCE = "condolence", _("走访慰问")
    SYMPOSIUM = "symposium", _("座谈")
    LEAVE = "leave", _("学术休假")


# Days between visits by tier when the office has not set its own (VisitCadence rows override these).
VISIT_CADENCE_DAYS = {"A": 90, "B": 180, "C": 365}


class VisitCadence(models.Model):
    """The office's cadence for staying in touch: at most this many days between two visits of a tier's expert."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+", verbose_name=_("城市"))
    tier = models.CharField(_("人才层次"), max_length=1)
    days = models.PositiveSmallIntegerField(_("走访周期（天）"), null=True, blank=True,
                                            help_text=_("空表示该层次不按周期提醒走访"))
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("修改人"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    scope = Scope(city="city")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("专家走访周期")
        verbose_name_plural = _("专家走访周期")
        ordering = ["city", "tier"]
        constraints = [models.UniqueConstraint(fields=["city", "tier"], name="onestop_cadence_one_per_tier")]

    def __str__(self) -> str:
        return f"{self.tier}类：{self.days or '-'}天"


class ExpertVisit(models.Model):
    leader = models.ForeignKey(Leader, on_delete=models.PROTECT, related_name="visits", verbose_name=_("领导"))
    talent = models.ForeignKey(Talent, on_delete=models.PROTECT, related_name="expert_visits",
                               verbose_name=_("专家"))
    on = models.DateField(_("日期"))
    kind = models.CharField(_("形式"), max_length=12, choices=VisitKind.choices)
    findings = models.TextField(_("了解到的情况"), blank=True)
    service_request = models.ForeignKey(ServiceRequest, on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="+", verbose_name=_("转办的服务申请"))
    need = models.ForeignKey(Need, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("转为的需求"))

    scope = Scope(zone="talent__zone")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("专家走访")
        verbose_name_plural = _("专家走访")
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.leader.name}·{self.talent.name}·{self.on}"
