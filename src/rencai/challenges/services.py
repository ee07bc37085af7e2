"""Writes of 揭榜挂帅: every change, its audit entry, its notices and its money in one function.

Money moves only through `rencai.funds.services`: each tranche is reserved at award (`budget_reserve`), paid
once (`commitment_pay`, idempotent, fund row locked) and released when a team is stopped (`commitment_release`).
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from rencai.challenges import panel as panel_rules
from rencai.challenges.lifecycles import AWARD, BID, CHALLENGE, MILESTONE, OFFICE, PAYERS, deciders, is_issuer
from rencai.challenges.models import (
    HUNDRED,
    ZERO,
    Assignment,
    Award,
    AwardStatus,
    Bid,
    BidStatus,
    BidVersion,
    Challenge,
    CoFunder,
    DeclaredConflict,
    IssuerKind,
    Milestone,
    MilestoneStatus,
    Mode,
    Objection,
    PanelDraw,
    PanelMember,
    Score,
    StageGate,
    Status,
    TeamMember,
)
from rencai.core import inbox
from rencai.core.audit import audit_record
from rencai.core.models import User
from rencai.core.office import document_number
from rencai.core.roles import Role
from rencai.core.workcalendar import add_working_days
from rencai.funds import services as funds
from rencai.funds.models import Fund
from rencai.talents.models import Talent

__all__ = ["AWARD", "BID", "CHALLENGE", "MILESTONE"]  # the lifecycles, found by core.lifecycle.lifecycles()

CATEGORY = "challenges"  # the funds category of every tranche
CENT = Decimal("0.01")
REMIND_DAYS = 7


def _money(value: Any) -> Decimal:
    try:
        return Decimal(str(value)).quantize(CENT)
    except Exception as exc:  # noqa: BLE001 - any unreadable number is the user's to fix
        raise ValidationError(f"金额“{value}”无法识别") from exc


# --- 榜单 -----------------------------------------------------------------------------------------------


@dataclass
class Funder:
    name: str
    kind: str
    share: Decimal


def publish_problems(challenge: Challenge) -> list[str]:
    """What keeps a 榜单 from being published, in Chinese (empty when it may be)."""
    problems = []
    if not challenge.kpis:
        problems.append("至少填写一项可考核的指标")
    if not challenge.acceptance_criteria.strip():
        problems.append("请填写验收标准")
    if challenge.deadline <= timezone.localdate():
        problems.append("揭榜截止日期应晚于今天")
    weights = sum((Decimal(str(item.get("weight", 0))) for item in challenge.rubric), ZERO)
    if weights != HUNDRED:
        problems.append(f"评分细则权重合计应为 100（现为 {weights}）")
    shares = sum((c.share for c in challenge.cofunders.all()), ZERO)
    if challenge.cofunders.exists() and shares != HUNDRED:
        problems.append(f"各出资方比例合计应为 100%（现为 {shares}%）")
    return problems


DEFAULT_RUBRIC = [{"name": "技术路线先进性与可行性", "weight": 40}, {"name": "团队能力与基础", "weight": 30},
                  {"name": "经费预算合理性", "weight": 15}, {"name": "成果转化前景", "weight": 15}]


@transaction.atomic
def challenge_create(*, challenge: Challenge, by: User, cofunders: Sequence[Funder] = (),
                     request: HttpRequest | None = None) -> Challenge:
    """Save a new 榜单 as a draft; an enterprise user issues for their own enterprise, in its zone."""
    if by.role == Role.ENTERPRISE:
        enterprise = by.enterprises.first()
        if enterprise is None:
            raise PermissionDenied("您的账号未关联企业，不能发榜")
        challenge.issuer_kind, challenge.issuer_enterprise, challenge.zone = (IssuerKind.ENTERPRISE, enterprise,
                                                                              enterprise.zone)
    elif by.role not in OFFICE:
        raise PermissionDenied("只有人才办或发榜企业可以创建榜单")
    elif by.zone_id and challenge.zone_id != by.zone_id and by.zone is not None:
        challenge.zone = by.zone
    if not challenge.rubric:
        challenge.rubric = [dict(item) for item in DEFAULT_RUBRIC]
    challenge.created_by, challenge.status = by, Status.DRAFT
    challenge.full_clean()
    challenge.save()
    _cofunders_set(challenge, cofunders)
    CHALLENGE.record(challenge, move="create", label="创建榜单", by=by)
    audit_record(action="create", request=request, user=by, obj=challenge)
    return challenge


def _cofunders_set(challenge: Challenge, cofunders: Sequence[Funder]) -> None:
    challenge.cofunders.all().delete()
    for f in cofunders:
        if f.share <= 0:
            raise ValidationError(f"出资方“{f.name}”的比例必须大于零")
        CoFunder.objects.create(challenge=challenge, name=f.name, kind=f.kind, share=f.share)


@transaction.atomic
def challenge_update(*, challenge: Challenge, by: User, fields: dict[str, Any],
                     cofunders: Sequence[Funder] | None = None, request: HttpRequest | None = None) -> Challenge:
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.status not in (Status.DRAFT, Status.PENDING):
        raise ValidationError(f"榜单“{challenge}”当前为{challenge.get_status_display()}，发布后不能修改内容")
    if not (by.role in OFFICE or is_issuer(challenge, by)):
        raise PermissionDenied("只有发榜方或人才办可以修改榜单")
    for name, value in fields.items():
        setattr(challenge, name, value)
    challenge.full_clean()
    challenge.save()
    if cofunders is not None:
        _cofunders_set(challenge, cofunders)
    audit_record(action="update", request=request, user=by, obj=challenge, detail={"fields": sorted(fields)})
    return challenge


@transaction.atomic
def challenge_from_need(*, need: Any, by: User, deadline: date, cap: Decimal,
                        request: HttpRequest | None = None) -> Challenge:
    """A draft 榜单 from an enterprise need (技术攻关), keeping the link."""
    challenge = Challenge(zone=need.enterprise.zone, title=need.title, issuer_kind=IssuerKind.ENTERPRISE,
                          issuer_enterprise=need.enterprise, problem=need.description, need=need,
                          acceptance_criteria="", deadline=deadline, cap=cap)
    return challenge_create(challenge=challenge, by=by, request=request)


def _codes(n: int) -> list[str]:
    letters = string.ascii_uppercase
    return [letters[i] if i < 26 else f"{letters[i // 26 - 1]}{letters[i % 26]}" for i in range(n)]


def _close(challenge: Challenge, by: User | None) -> None:
    """At the deadline: freeze every submitted bid, give each a blind code, disclose the bids to the issuer."""
    bids = list(challenge.bids.filter(status=BidStatus.SUBMITTED).order_by("pk"))
    for bid, code in zip(bids, _codes(len(bids)), strict=True):
        Bid.objects.filter(pk=bid.pk).update(code=code)
        BID.transition(bid, move="freeze", by=by)
    challenge.bids_disclosed_to = challenge.issuer_enterprise


def challenge_move(*, challenge: Challenge, move: str, by: User | None, reason: str = "",
                   request: HttpRequest | None = None) -> Challenge:
    """Any move of a 榜单 except 立项 (challenge_award); each with its consequences."""
    if move == "award":
        raise ValidationError("立项须选定揭榜团队和里程碑，请在立项页面办理")

    def apply(c: Challenge) -> None:
        if move == "close":
            _close(c, by)
        elif move == "notice":
            start = timezone.localdate()
            c.notice_start, c.notice_until = start, add_working_days(start + timedelta(days=1), c.notice_days)
            c.scores_disclosed_to = c.issuer_enterprise
        elif move == "reopen_review":
            c.scores_disclosed_to, c.notice_start, c.notice_until = None, None, None
            Objection.objects.filter(challenge=c, resolved_by__isnull=True).update(
                resolved_by=by, resolution=f"异议成立，重新评审：{reason}"[:500])

    return CHALLENGE.transition(challenge, move=move, by=by, reason=reason, request=request, apply=apply)


# --- 揭榜 -----------------------------------------------------------------------------------------------


@dataclass
class Member:
    name: str
    unit: str = ""
    duty: str = ""
    talent: Talent | None = None


@transaction.atomic
def bid_save(*, challenge: Challenge, by: User, lead_name: str, unit: str, route: str, budget: Any,
             commitment: str, plan: list[dict[str, Any]] | None = None, members: Sequence[Member] = (),
             lead_talent: Talent | None = None, attachment: Any = None,
             request: HttpRequest | None = None) -> BidVersion:
    """Start or change one's bid: each save is a new version; refused once the 榜单 has closed."""
    if by.role not in (Role.TALENT, Role.ENTERPRISE):
        raise PermissionDenied("只有人才或企业账号可以揭榜")
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.status != Status.PUBLISHED or timezone.localdate() > challenge.deadline:
        raise ValidationError(f"榜单“{challenge}”已于 {challenge.deadline:%Y-%m-%d} 截止揭榜"
                              f"（当前为{challenge.get_status_display()}），方案不能再提交或修改")
    if is_issuer(challenge, by):
        raise ValidationError("发榜企业不能揭自己的榜")
    budget = _money(budget)
    if budget <= 0 or budget > challenge.cap:
        raise ValidationError(f"申请经费应大于零且不超过资助上限 {challenge.cap} 元")
    if not (lead_name or "").strip() or not (unit or "").strip():
        raise ValidationError("请填写团队负责人及其单位")
    if not (route or "").strip() or not (commitment or "").strip():
        raise ValidationError("请填写技术路线和军令状")
    if lead_talent is None and by.role == Role.TALENT:
        lead_talent = Talent.objects.filter(user=by).first()
    bid = Bid.objects.select_for_update().filter(challenge=challenge, submitted_by=by).exclude(
        status=BidStatus.WITHDRAWN).first()
    if bid is None:
        bid = Bid.objects.create(challenge=challenge, submitted_by=by, lead_name=lead_name.strip(), unit=unit.strip(),
                                 lead_talent=lead_talent,
                                 enterprise=by.enterprises.first() if by.role == Role.ENTERPRISE else None)
        BID.record(bid, move="create", label="开始揭榜", by=by)
    else:
        bid.lead_name, bid.unit, bid.lead_talent = lead_name.strip(), unit.strip(), lead_talent
        bid.save(update_fields=["lead_name", "unit", "lead_talent"])
        bid.members.all().delete()
    for m in members:
        if m.name.strip():
            TeamMember.objects.create(bid=bid, name=m.name.strip(), unit=m.unit.strip(), duty=m.duty.strip(),
                                      talent=m.talent)
    number = (BidVersion.objects.filter(bid=bid).order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = BidVersion(bid=bid, number=number, route=route.strip(), plan=plan or [], budget=budget,
                         commitment=commitment.strip())
    if attachment:
        version.attachment = attachment
    version.save()
    audit_record(action="create", request=request, user=by, obj=version, detail={"bid": bid.pk, "version": number})
    return version


def bid_move(*, bid: Bid, move: str, by: User, reason: str = "", request: HttpRequest | None = None) -> Bid:
    if move not in ("submit", "withdraw"):
        raise ValidationError("该操作由人才办在截止、立项时办理")
    return BID.transition(bid, move=move, by=by, reason=reason, request=request)


# --- 评审 -----------------------------------------------------------------------------------------------


def default_pool(challenge: Challenge) -> list[Talent]:
    """Experts of the 榜单's city with an expert account (评审专家)."""
    return list(Talent.objects.filter(zone__city_id=challenge.zone.city_id, user__role=Role.EXPERT)
                .select_related("institution", "user").order_by("pk"))


@transaction.atomic
def panel_draw(*, challenge: Challenge, by: User, seed: int | None = None, pool: Sequence[Talent] | None = None,
               request: HttpRequest | None = None) -> PanelDraw:
    """Draw the panel at random, weighted by affinity, never a conflicted expert; assign every frozen bid."""
    if by.role not in OFFICE:
        raise PermissionDenied("只有人才办可以抽取评审专家")
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.status != Status.CLOSED:
        raise ValidationError(f"榜单“{challenge}”当前为{challenge.get_status_display()}，截止后、评审前才能抽取专家")
    if Score.objects.filter(assignment__challenge=challenge).exists():
        raise ValidationError("已有专家打分，不能重新抽取")
    talents = list(pool) if pool is not None else default_pool(challenge)
    talents = [t for t in talents if t.user_id and t.user is not None and t.user.role == Role.EXPERT]
    excluded = panel_rules.computed_conflicts(challenge, talents)
    weights = panel_rules.affinities(challenge, talents)
    seed = secrets.randbits(48) if seed is None else seed
    ids = [t.pk for t in talents]
    drawn = panel_rules.weighted_draw(ids, weights, excluded, challenge.panel_size, seed)
    if len(drawn) < challenge.panel_size:
        raise ValidationError(f"回避后可抽取的专家只有 {len(drawn)} 人，少于需要的 {challenge.panel_size} 人")
    challenge.assignments.all().delete()
    challenge.panel.all().delete()
    draw = PanelDraw.objects.create(challenge=challenge, seed=seed, size=challenge.panel_size, pool=ids,
                                    affinity={str(k): v for k, v in weights.items()},
                                    excluded={str(k): v for k, v in excluded.items()}, drawn=drawn,
                                    method=panel_rules.AFFINITY_METHOD, by=by)
    by_pk = {t.pk: t for t in talents}
    # every talent left in the pool has a user (filtered above), so .user is never None here
    user_of = {t.pk: cast(User, t.user) for t in talents}
    bids = list(challenge.bids.filter(status=BidStatus.FROZEN))
    for pk in drawn:
        member = PanelMember.objects.create(challenge=challenge, draw=draw, talent=by_pk[pk],
                                            user=user_of[pk], affinity=weights[pk])
        for bid in bids:
            Assignment.objects.create(challenge=challenge, bid=bid, member=member, expert=member.user)
    inbox.notify(recipients=[user_of[pk] for pk in drawn], kind="challenges.review",
                 text=f"您被抽取为榜单“{challenge}”的评审专家，共 {len(bids)} 份方案待评", subject=challenge,
                 dedupe_key=f"challenges.draw:{draw.pk}", url="/challenges/review/")
    audit_record(action="create", request=request, user=by, obj=draw,
                 detail={"seed": seed, "drawn": drawn, "excluded": sorted(excluded)})
    return draw


def redraw(draw: PanelDraw) -> list[int]:
    """The draw repeated from its record: the same experts, or the record was tampered with."""
    weights = {int(k): v for k, v in draw.affinity.items()}
    return panel_rules.weighted_draw(draw.pool, weights, [int(k) for k in draw.excluded], draw.size, draw.seed)


@transaction.atomic
def conflict_declare(*, challenge: Challenge, talent: Talent, reason: str, by: User,
                     request: HttpRequest | None = None) -> DeclaredConflict:
    if not (by.role in OFFICE or talent.user_id == by.pk):
        raise PermissionDenied("只有人才办或专家本人可以申报回避")
    if not (reason or "").strip():
        raise ValidationError("请写明回避原因")
    conflict = DeclaredConflict.objects.create(challenge=challenge, talent=talent, reason=reason.strip()[:200], by=by)
    audit_record(action="create", request=request, user=by, obj=conflict)
    return conflict


def _weighted(challenge: Challenge, items: dict[str, Any]) -> Decimal:
    total = ZERO
    for item in challenge.rubric:
        name = item["name"]
        if name not in items or items[name] in ("", None):
            raise ValidationError(f"请为“{name}”打分")
        value = _money(items[name])
        if not ZERO <= value <= HUNDRED:
            raise ValidationError(f"“{name}”的得分应在 0–100 之间")
        total += value * Decimal(str(item["weight"])) / HUNDRED
    return total.quantize(CENT)


@transaction.atomic
def score_submit(*, assignment: Assignment, by: User, items: dict[str, Any], defence: Any = None,
                 comment: str = "", request: HttpRequest | None = None) -> Score:
    """An expert scores one bid, bound to the frozen version they read; changeable until 公示."""
    assignment = Assignment.objects.select_for_update().select_related("challenge", "bid").get(pk=assignment.pk)
    challenge = assignment.challenge
    if assignment.expert_id != by.pk:
        raise PermissionDenied("只能为分配给自己的方案打分")
    if challenge.status != Status.REVIEWING:
        raise ValidationError(f"榜单“{challenge}”当前为{challenge.get_status_display()}，不在评审阶段，不能打分")
    version = assignment.bid.latest_version()
    if version is None or assignment.bid.status != BidStatus.FROZEN:
        raise ValidationError("该方案未封存，不能评审")
    rubric_total = _weighted(challenge, items)
    defence_value = None if defence in (None, "") else _money(defence)
    if defence_value is not None and not ZERO <= defence_value <= HUNDRED:
        raise ValidationError("答辩得分应在 0–100 之间")
    dw = challenge.defence_weight / HUNDRED
    total = rubric_total if defence_value is None else rubric_total * (1 - dw) + defence_value * dw
    score, created = Score.objects.update_or_create(
        assignment=assignment, defaults={"version": version, "items": {k: str(v) for k, v in items.items()},
                                         "rubric_total": rubric_total, "defence": defence_value,
                                         "total": total.quantize(CENT), "comment": comment.strip()})
    audit_record(action="create" if created else "update", request=request, user=by, obj=score,
                 detail={"version": version.pk, "total": str(score.total)})
    return score


@transaction.atomic
def objection_file(*, challenge: Challenge, by: User, text: str, request: HttpRequest | None = None) -> Objection:
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.status != Status.NOTICE or (challenge.notice_until and timezone.localdate() > challenge.notice_until):
        raise ValidationError(f"榜单“{challenge}”不在公示期内，不能提出异议")
    if not (text or "").strip():
        raise ValidationError("请写明异议内容和理由")
    objection = Objection.objects.create(challenge=challenge, by=by, text=text.strip()[:2000])
    staff = User.objects.filter(role__in=OFFICE, is_active=True).filter(zone=challenge.zone)
    inbox.notify(recipients=staff, kind="challenges.objection", text=f"榜单“{challenge}”公示收到异议",
                 subject=challenge, dedupe_key=f"challenges.objection:{objection.pk}",
                 url=f"/challenges/{challenge.pk}/")
    audit_record(action="create", request=request, user=by, obj=objection)
    return objection


@transaction.atomic
def objection_resolve(*, objection: Objection, by: User, resolution: str,
                      request: HttpRequest | None = None) -> Objection:
    if by.role not in OFFICE:
        raise PermissionDenied("只有人才办可以处理异议")
    if not (resolution or "").strip():
        raise ValidationError("请填写处理意见")
    objection.resolution, objection.resolved_by = resolution.strip()[:2000], by
    objection.save(update_fields=["resolution", "resolved_by"])
    inbox.notify(recipients=[objection.by], kind="challenges.objection", text=f"您对榜单“{objection.challenge}”"
                 f"的异议已处理：{objection.resolution[:200]}", subject=objection.challenge,
                 dedupe_key=f"challenges.objection_done:{objection.pk}")
    audit_record(action="update", request=request, user=by, obj=objection, detail={"resolved": True})
    return objection


# --- 立项 -----------------------------------------------------------------------------------------------


@dataclass
class Tranche:
    title: str
    due: date
    deliverable: str
    percent: Decimal


@dataclass
class Winner:
    bid: Bid
    amount: Decimal
    tranches: Sequence[Tranche]


def split_amounts(amount: Decimal, percents: Sequence[Decimal]) -> list[Decimal]:
    """Each tranche's yuan; the last takes the rounding, so the tranches add up to the award exactly."""
    if sum(percents, ZERO) != HUNDRED:
        raise ValidationError(f"各期拨付比例合计应为 100%（现为 {sum(percents, ZERO)}%）")
    if any(p <= 0 for p in percents):
        raise ValidationError("每期拨付比例必须大于零")
    parts = [(amount * p / HUNDRED).quantize(CENT) for p in percents[:-1]]
    return [*parts, amount - sum(parts, ZERO)]


def government_share(challenge: Challenge) -> Decimal:
    """The government co-funders' percentage: the part of each tranche the fund carries (100 with no co-funders)."""
    funders = list(challenge.cofunders.all())
    if not funders:
        return HUNDRED
    return sum((f.share for f in funders if f.kind == CoFunder.Kind.GOVERNMENT), ZERO)


def challenge_award(*, challenge: Challenge, winners: Sequence[Winner], fund: Fund, by: User,
                    request: HttpRequest | None = None) -> list[Award]:
    """The decision: winners get an award, a task book number and milestones whose tranches are reserved now."""
    awards: list[Award] = []
    if not winners:
        raise ValidationError("请至少选定一个揭榜团队")
    wanted = 1 if challenge.mode == Mode.SINGLE else challenge.race_teams
    if len(winners) > wanted:
        raise ValidationError(f"该榜单{challenge.get_mode_display()}，最多立项 {wanted} 个团队")
    total = sum((_money(w.amount) for w in winners), ZERO)
    if challenge.mode == Mode.SINGLE and total > challenge.cap:
        raise ValidationError(f"资助金额 {total} 元超过资助上限 {challenge.cap} 元")
    if any(_money(w.amount) > challenge.cap for w in winners):
        raise ValidationError(f"每个团队的资助金额不能超过资助上限 {challenge.cap} 元")
    if fund.zone_id != challenge.zone_id:
        raise ValidationError("资金来源应为榜单所在旗区/园区的资金")
    bids = {w.bid.pk for w in winners}
    if len(bids) != len(winners):
        raise ValidationError("同一方案只能立项一次")

    share = government_share(challenge)

    def apply(c: Challenge) -> None:
        c.fund = fund
        funds.lock_funds([fund])
        for w in winners:
            bid = Bid.objects.get(pk=w.bid.pk)
            if bid.challenge_id != c.pk or bid.status != BidStatus.FROZEN:
                raise ValidationError(f"方案{bid.code}不是本榜单已封存的方案")
            amount = _money(w.amount)
            percents = [Decimal(str(t.percent)) for t in w.tranches]
            amounts = split_amounts(amount, percents)
            # the fund carries only the government part, split the same way so its tranches add up exactly
            publics = split_amounts((amount * share / HUNDRED).quantize(CENT), percents)
            number = document_number(city=c.zone.city, key="challenges.taskbook", year=timezone.localdate().year,
                                     prefix=f"{c.zone.city.name[:1]}揭榜任务书")
            award = Award.objects.create(challenge=c, bid=bid, amount=amount, task_book_number=number,
                                         awarded_by=by)
            for seq, (t, yuan, public) in enumerate(zip(w.tranches, amounts, publics, strict=True), start=1):
                commitment = None
                if public > 0:  # a 榜单 funded by enterprises alone books nothing in a government fund
                    commitment = funds.budget_reserve(fund=fund, amount=public, category=CATEGORY,
                                                      reference=f"揭榜-{award.pk}-{seq}", by=by,
                                                      memo=f"{c} {bid.lead_name}团队 第{seq}期（财政资金）")
                Milestone.objects.create(award=award, seq=seq, title=t.title, due=t.due, deliverable=t.deliverable,
                                         percent=Decimal(str(t.percent)), amount=yuan, public_amount=public,
                                         commitment=commitment)
            BID.transition(bid, move="win", by=by, request=request)
            awards.append(award)
        for bid in c.bids.filter(status=BidStatus.FROZEN).exclude(pk__in=bids):
            BID.transition(bid, move="lose", by=by, request=request)

    with transaction.atomic():
        CHALLENGE.transition(challenge, move="award", by=by, request=request, apply=apply,
                             data={"winners": sorted(bids), "fund": fund.pk, "total": str(total)})
    return awards


# --- 里程碑与资金 ---------------------------------------------------------------------------------------


def milestone_move(*, milestone: Milestone, move: str, by: User, reason: str = "", report: str = "",
                   request: HttpRequest | None = None) -> Milestone:
    if move not in ("submit", "issuer_accept", "issuer_reject", "approve"):
        raise ValidationError("支付与释放请通过支付、阶段评估办理")

    def apply(ms: Milestone) -> None:
        if move == "submit":
            if not (report or "").strip():
                raise ValidationError("请填写完成情况")
            ms.report = report.strip()

    return MILESTONE.transition(milestone, move=move, by=by, reason=reason, request=request, apply=apply)


def milestone_pay(*, milestone: Milestone, by: User, idempotency_key: str,
                  request: HttpRequest | None = None) -> Milestone:
    """Pay one tranche through the ledger, once: the milestone row is locked, the commitment paid idempotently."""
    if by.role not in PAYERS:
        raise ValidationError("只有财务人员可以支付")
    if by.pk in deciders(milestone, "approve", "issuer_accept"):
        raise ValidationError("审核或验收该里程碑的人员不能支付")

    def pay(ms: Milestone) -> None:
        award = ms.award
        if award.status not in (AwardStatus.ACTIVE, AwardStatus.ACCEPTED):
            raise ValidationError(f"该项目{award.get_status_display()}，不能支付")
        if ms.commitment is None:
            if ms.public_amount > 0:
                raise ValidationError("该期未预留资金，不能支付")
            return  # no government money in this tranche: the co-funding enterprises pay the team directly
        ms.payment = funds.commitment_pay(commitment=ms.commitment, idempotency_key=idempotency_key, by=by,
                                          payee_name=award.bid.unit or award.bid.lead_name,
                                          memo=f"{award.challenge} {award.bid.lead_name}团队 第{ms.seq}期")

    with transaction.atomic():
        return MILESTONE.transition(milestone, move="pay", by=by, request=request, apply=pay,
                                    data={"key": idempotency_key})


def _release_unpaid(award: Award, *, by: User, reason: str, request: HttpRequest | None) -> Decimal:
    released = ZERO
    # Lock every milestone first (a payment in flight holds its row): the statuses read next are final.
    locked = list(Milestone.objects.select_for_update().filter(award=award).order_by("seq"))
    for ms in [m for m in locked if m.status not in (MilestoneStatus.PAID, MilestoneStatus.RELEASED)]:

        def release(m: Milestone) -> None:
            m.release_reason = reason[:200]
            if m.commitment is not None:
                funds.commitment_release(commitment=m.commitment, memo=f"释放：{reason}"[:200], by=by)

        MILESTONE.transition(ms, move="release", by=by, reason=reason, request=request, apply=release)
        released += ms.public_amount
    return released


@transaction.atomic
def stage_gate(*, award: Award, decision: str, reason: str, by: User, merged_into: Award | None = None,
               request: HttpRequest | None = None) -> StageGate:
    """A race's stage gate: continue, merge into another team, or stop (unpaid tranches released, with reason)."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    if decision not in StageGate.Decision.values:
        raise ValidationError("阶段评估结论只能是继续、合并或终止")
    if decision == StageGate.Decision.MERGE:
        if award.challenge.mode != Mode.RACE:
            raise ValidationError("只有赛马制榜单的团队可以合并")
        if merged_into is None or merged_into.challenge_id != award.challenge_id or merged_into.pk == award.pk \
                or merged_into.status != AwardStatus.ACTIVE:
            raise ValidationError("请选择同一榜单中实施中的另一个团队")
    released = ZERO
    stage = award.stage

    def apply(a: Award) -> None:
        nonlocal released
        if decision == StageGate.Decision.CONTINUE:
            a.stage += 1
        else:
            a.stop_reason = reason[:200]
            a.merged_into = merged_into
            released = _release_unpaid(a, by=by, reason=reason, request=request)

    AWARD.transition(award, move=decision, by=by, reason=reason, request=request, apply=apply)
    return StageGate.objects.create(award=award, stage=stage, decision=decision, reason=reason.strip()[:300],
                                    merged_into=merged_into, released=released, by=by)


@transaction.atomic
def award_accept(*, award: Award, by: User, kpi_results: list[dict[str, Any]], opinion: str, patents: int = 0,
                 products: int = 0, problems_solved: int = 0, request: HttpRequest | None = None) -> Award:
    """Final 验收: each KPI's result against its target, the outcomes counted into the zone's figures."""
    names = [k.get("name") for k in award.challenge.kpis]
    given = {r.get("name") for r in kpi_results}
    if missing := [n for n in names if n not in given]:
        raise ValidationError("请填写每项指标的完成情况：" + "、".join(str(n) for n in missing))
    if not (opinion or "").strip():
        raise ValidationError("请填写验收意见")

    def apply(a: Award) -> None:
        a.kpi_results = kpi_results
        a.acceptance_opinion = opinion.strip()
        a.patents, a.products, a.problems_solved = patents, products, problems_solved

    return AWARD.transition(award, move="accept", by=by, request=request, apply=apply,
                            data={"met": sum(1 for r in kpi_results if r.get("met"))})


# --- 每日提醒 -------------------------------------------------------------------------------------------


def daily(day: date) -> dict[str, Any]:
    """Close 榜单 past their deadline, and remind teams of milestones due within a week or overdue."""
    closed = 0
    for challenge in Challenge.objects.filter(status=Status.PUBLISHED, deadline__lt=day):
        try:
            challenge_move(challenge=challenge, move="close", by=None)
            closed += 1
        except ValidationError:
            continue
    reminded = 0
    due = Milestone.objects.filter(status=MilestoneStatus.PLANNED, award__status=AwardStatus.ACTIVE,
                                   due__lte=day + timedelta(days=REMIND_DAYS))
    due = due.select_related("award__bid__submitted_by")
    for ms in due:
        late = ms.due < day
        text = (f"{ms}已超过完成日期 {ms.due:%Y-%m-%d}，请尽快提交完成情况" if late
                else f"{ms}将于 {ms.due:%Y-%m-%d} 到期，请按时提交完成情况")
        reminded += len(inbox.notify(recipients=[ms.award.bid.submitted_by], kind="challenges.reminder", text=text,
                                     subject=ms, url=ms.get_absolute_url(),
                                     dedupe_key=f"challenges.remind:{ms.pk}:{'late' if late else 'soon'}"))
    return {"closed": closed, "reminded": reminded}


def describe_daily(summary: dict[str, Any]) -> str:
    return f"截止榜单 {summary.get('closed', 0)} 个，发出里程碑提醒 {summary.get('reminded', 0)} 条"
