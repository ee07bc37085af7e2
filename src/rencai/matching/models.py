"""Match rounds (批次) in the app: candidates, the office's pins, the published pairings and their answers."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rencai.core.models import User, Zone
from rencai.core.scoping import Scope, ScopedQuerySet
from rencai.needs.models import Campaign, Need
from rencai.orgs.models import Enterprise
from rencai.talents.models import Talent


class ThesaurusTerm(models.Model):
    """One office entry of the domain thesaurus, passed to the engine on top of the shipped one."""

    concept = models.CharField("概念", max_length=100, unique=True)
    synonyms = models.TextField("同义词", blank=True, help_text="以顿号、逗号或换行分隔")
    broader = models.CharField("上位概念", max_length=100, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    updated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "领域词表"
        ordering = ["concept"]

    def __str__(self) -> str:
        return self.concept

    def synonym_list(self) -> list[str]:
        text = self.synonyms
        for sep in "、，,;；\n\r":
            text = text.replace(sep, "|")
        return [s.strip() for s in text.split("|") if s.strip()]


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    RUN = "run", _("已运行")
    PUBLISHED = "published", _("已发布")
class MatchRound(models.Model):
    name = models.CharField("批次名称", max_length=200)
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, verbose_name="旗区/园区")
    campaign = models.ForeignKey(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="match_rounds", verbose_name="摸底活动"
    )
    needs = models.ManyToManyField(Need, blank=True, related_name="match_rounds", verbose_name="需求")
    top = models.PositiveSmallIntegerField("每项需求候选人数", default=5)
    min_score = models.FloatField("最低分", default=0.35)
    lead = models.PositiveSmallIntegerField("每人牵头项目数", default=1)
    service = models.PositiveSmallIntegerField("每人服务项目数", default=2)
    regions = models.CharField("限定地区", max_length=200, blank=True, help_text="多个以顿号分隔")
    modes = models.CharField("限定柔性方式", max_length=200, blank=True, help_text="多个以顿号分隔")
    status = models.CharField("状态", max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    summary = models.JSONField("运行结果", default=dict, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name="创建人")
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    run_at = models.DateTimeField("运行时间", null=True, blank=True)
    published_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="发布人"
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    scope = Scope(zone="zone")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "匹配批次"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class RoundCandidate(models.Model):
    round = models.ForeignKey(MatchRound, on_delete=models.CASCADE, related_name="candidates")
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="+")
    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveIntegerField("名次")
    score = models.FloatField("匹配分")
    reasons = models.JSONField("匹配理由", default=list)

    scope = Scope(zone="round__zone")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["need_id", "rank"]
        constraints = [models.UniqueConstraint(fields=["round", "need", "talent"], name="matching_candidate_once")]

    def __str__(self) -> str:
        return f"{self.need_id}:{self.talent_id} #{self.rank}"


class RoundPin(models.Model):
    class Kind(models.TextChoices):
        PIN = "pin", _("固定配对")
        EXCLUDE = "exclude", _("排除")
    round = models.ForeignKey(MatchRound, on_delete=models.CASCADE, related_name="pins")
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="+")
    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name="操作人")
    reason = models.CharField("原因", max_length=300, blank=True)
    at = models.DateTimeField("时间", default=timezone.now)

    scope = Scope(zone="round__zone")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "need", "talent"], name="matching_pin_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.need_id}:{self.talent_id}"


class PairingStatus(models.TextChoices):
    PROPOSED = "proposed", _("拟配对")
    PUBLISHED = "published", _("已发布")
    ACCEPTED = "accepted", _("已接受")
    DECLINED = "declined", _("已拒绝")
    COMPLETED = "completed", _("已完成")
class Answer(models.TextChoices):
    ACCEPT = "accept", _("接受")
    DECLINE = "decline", _("拒绝")
class Pairing(models.Model):
    round = models.ForeignKey(MatchRound, on_delete=models.CASCADE, related_name="pairings")
    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="pairings")
    talent = models.ForeignKey(Talent, on_delete=models.PROTECT, related_name="pairings")
    role = models.CharField("角色", max_length=4, default="服务")
    score = models.FloatField("匹配分", default=0)
    reasons = models.JSONField("匹配理由", default=list)
    status = models.CharField("状态", max_length=10, choices=PairingStatus.choices, default=PairingStatus.PROPOSED)
    enterprise_answer = models.CharField("企业答复", max_length=10, choices=Answer.choices, blank=True)
    enterprise_reason = models.CharField("企业说明", max_length=300, blank=True)
    talent_answer = models.CharField("人才答复", max_length=10, choices=Answer.choices, blank=True)
    talent_reason = models.CharField("人才说明", max_length=300, blank=True)
    declined_by = models.CharField("拒绝方", max_length=10, blank=True)
    rating = models.PositiveSmallIntegerField("企业评分", null=True, blank=True)
    agreement_id = models.PositiveIntegerField("服务协议", null=True, blank=True)
    created_at = models.DateTimeField("生成时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    # staff by zone; an enterprise only its own needs' published pairings; a talent only their own
    scope = Scope(zone="round__zone", enterprise="need__enterprise", person="talent__user",
                  parties_see=~Q(status=PairingStatus.PROPOSED))
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "配对"
        ordering = ["need_id", "-score"]
        constraints = [models.UniqueConstraint(fields=["round", "need", "talent"], name="matching_pairing_once")]

    def __str__(self) -> str:
        return f"{self.need} ↔ {self.talent}"


class Conflict(models.Model):
    """A declared conflict of interest: this talent is never proposed to this enterprise."""

    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="conflicts", verbose_name="人才")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="conflicts", verbose_name="企业")
    reason = models.CharField("原因", max_length=300)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    scope = Scope(zone="talent__zone")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["talent", "enterprise"], name="matching_conflict_once")]

    def __str__(self) -> str:
        return f"{self.talent} ↔ {self.enterprise}"


class LearnedWeights(models.Model):
    """One learning run: the weights it found, how they did on held-out history, and whether they are used."""

    weights = models.JSONField("权重", default=dict)
    metrics = models.JSONField("评估", default=dict)
    in_use = models.BooleanField("使用中", default=False)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"权重 {self.created_at:%Y-%m-%d %H:%M}"


class ProfileEmbedding(models.Model):
    """A talent profile's meaning as a unit vector (matching.engine.semantic), kept so that ranking never
    embeds a profile twice. `digest` is of the text embedded and `model` names the model: a changed profile
    or a new model is embedded again, nothing else is (services_semantic.embed_profiles)."""

    talent = models.OneToOneField(Talent, on_delete=models.CASCADE, primary_key=True, related_name="embedding")
    model = models.CharField(max_length=80)
    digest = models.CharField(max_length=64)
    vector = models.BinaryField()  # float16 × 384, little-endian (768 bytes)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.talent_id}：{self.model}"
