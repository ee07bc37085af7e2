"""Entitlements: grant, approve (reserve money), pay instalments, stop. Money moves only through funds.

Lock order everywhere: entitlement row → instalment rows → fund rows (by id), so concurrent
approvals, payments and stops never deadlock.
"""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet, Sum
from django.http import HttpRequest
from django.utils import timezone

from rencai.core.audit import audit_record
from rencai.core.models import User
from rencai.core.roles import Role
from rencai.funds import services as funds
from rencai.funds.models import Fund, Level, PaymentBatch
from rencai.orgs.models import Enterprise
from rencai.policies.facts import facts_for
from rencai.policies.models import BeneficiaryKind, Entitlement, Instalment, Policy, PolicyVersion, Share
from rencai.policies.rules import evaluate_conditions, evaluate_formula
from rencai.talents.models import Talent

CENT = Decimal("0.01")
APPROVERS = frozenset({Role.OFFICE_ADMIN})
PAYERS = frozenset({Role.FINANCE})


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def split(amount: Decimal, fractions: list[Decimal]) -> list[Decimal]:
    """Split to the cent; the last part takes the rounding so the parts always sum to the whole."""
    parts = [(amount * f).quantize(CENT) for f in fractions[:-1]]
    return [*parts, amount - sum(parts, Decimal(0))]


def beneficiary_key(beneficiary: Talent | Enterprise) -> str:
    return f"{'talent' if isinstance(beneficiary, Talent) else 'enterprise'}:{beneficiary.pk}"


def version_in_force(policy: Policy, today: date) -> PolicyVersion:
    version = (policy.versions.filter(effective_from__lte=today).order_by("-number").first()
               or policy.versions.order_by("-number").first())
    if version is None:
        raise ValidationError(f"政策“{policy.title}”还没有任何版本")
    return version


def schedule_for(version: PolicyVersion, amount: Decimal, start: date) -> list[tuple[date, Decimal]]:
    items = version.schedule
    parts = split(amount, [Decimal(str(i["share"])) for i in items])
    return [(add_months(start, int(i.get("after_months", 0))), p) for i, p in zip(items, parts, strict=True)]


def _sum(instalments: QuerySet[Instalment]) -> Decimal:
    # SQLite sums decimals as floating point; round back to the cent
    return (instalments.aggregate(s=Sum("amount"))["s"] or Decimal(0)).quantize(CENT)


def _check_caps(version: PolicyVersion, key: str, plan: list[tuple[date, Decimal]]) -> None:
    others = Instalment.objects.filter(entitlement__policy=version.policy, entitlement__beneficiary_key=key).exclude(
        status=Instalment.Status.STOPPED)
    total = sum((a for _, a in plan), Decimal(0))
    if version.cap_per_person is not None:
        already = _sum(others)
        if already + total > version.cap_per_person:
            raise ValidationError(f"超过每人累计上限 {version.cap_per_person} 元（已有 {already} 元，本次 {total} 元）")
    if version.cap_per_year is not None:
        for year in sorted({d.year for d, _ in plan}):
            this = sum((a for d, a in plan if d.year == year), Decimal(0))
            already = _sum(others.filter(due_on__year=year))
            if already + this > version.cap_per_year:
                raise ValidationError(f"{year}年超过每人每年上限 {version.cap_per_year} 元")


def _create(*, version: PolicyVersion, beneficiary: Talent | Enterprise, key: str, source: str,
            plan: list[tuple[date, Decimal]], trace: list[dict], by: User) -> Entitlement:
    is_talent = isinstance(beneficiary, Talent)
    entitlement = Entitlement.objects.create(
        policy=version.policy, version=version, beneficiary_key=key, source=source, zone=beneficiary.zone,
        talent=beneficiary if is_talent else None, enterprise=None if is_talent else beneficiary,
        amount=sum((a for _, a in plan), Decimal(0)), trace=trace, created_by=by,
    )
    fractions = [Decimal(str(v)) for v in version.level_shares.values()]
    for seq, (due, amount) in enumerate(plan, start=1):
        instalment = Instalment.objects.create(entitlement=entitlement, seq=seq, due_on=due, amount=amount)
        for level, part in zip(version.level_shares, split(amount, fractions), strict=True):
            Share.objects.create(instalment=instalment, level=level, amount=part)
    return entitlement


def trace_for(version: PolicyVersion, beneficiary: Talent | Enterprise, today: date) -> list[dict]:
    """Which condition of which version held, for the record: what the decision was based on."""
    results = evaluate_conditions(version.conditions, facts_for(beneficiary, today))
    clauses = [c.get("clause", "") for c in version.conditions]
    return [{"version": version.number, "label": r.label, "expr": r.expr, "held": r.held, "clause": c}
            for r, c in zip(results, clauses, strict=True)]


def entitlement_grant(*, policy_code: str, beneficiary: Talent | Enterprise, amount: Decimal | None = None,
                      instalments: list[tuple[date, Decimal]] | None = None, source: str, by: User,
                      request: HttpRequest | None = None, today: date | None = None) -> Entitlement:
    """Create a 待审批 entitlement under the policy's version in force; idempotent per (policy, beneficiary, source).

    Amount and schedule default from the policy; nothing is reserved until entitlement_approve.
    """
    today = today or timezone.localdate()
    policy = Policy.objects.get(code=policy_code)
    expected = BeneficiaryKind.TALENT if isinstance(beneficiary, Talent) else BeneficiaryKind.ENTERPRISE
    if policy.beneficiary_kind != expected:
        raise ValidationError(f"政策“{policy.title}”的兑现对象是{policy.get_beneficiary_kind_display()}")
    key = beneficiary_key(beneficiary)
    existing = Entitlement.objects.filter(policy=policy, beneficiary_key=key, source=source).first()
    if existing is not None:
        return existing
    version = version_in_force(policy, today)
    if instalments:
        plan = [(d, Decimal(a).quantize(CENT)) for d, a in instalments]
        if amount is not None and Decimal(amount).quantize(CENT) != sum((a for _, a in plan), Decimal(0)):
            raise ValidationError("分期金额合计与总金额不一致")
    else:
        total = _default_amount(version, beneficiary, today) if amount is None else Decimal(amount).quantize(CENT)
        plan = schedule_for(version, total, today)
    if any(a <= 0 for _, a in plan):
        raise ValidationError("每期金额必须大于零")
    try:
        with transaction.atomic():
            _check_caps(version, key, plan)
            entitlement = _create(version=version, beneficiary=beneficiary, key=key, source=source, plan=plan,
                                  trace=trace_for(version, beneficiary, today), by=by)
            audit_record(action="create", request=request, user=by, obj=entitlement,
                         detail={"policy": policy.code, "version": version.number, "source": source,
                                 "amount": str(entitlement.amount)})
    except IntegrityError:  # a concurrent call created it first
        return Entitlement.objects.get(policy=policy, beneficiary_key=key, source=source)
    return entitlement


def _default_amount(version: PolicyVersion, beneficiary: Talent | Enterprise, today: date) -> Decimal:
    if version.amount_formula:
        value = evaluate_formula(version.amount_formula, facts_for(beneficiary, today))
        if version.amount is not None:  # a fixed amount alongside a formula acts as its ceiling
            value = min(value, version.amount)
        return value
    assert version.amount is not None  # validate_version guarantees one of the two
    return version.amount


def _locked(entitlement: Entitlement) -> Entitlement:
    return Entitlement.objects.select_for_update().select_related("policy").get(pk=entitlement.pk)


def _fund_for(entitlement: Entitlement, level: str, year: int) -> Fund:
    fund = Fund.objects.filter(year=year, level=level, zone=entitlement.zone_id).first()
    if fund is None:
        raise ValidationError(f"{entitlement.zone}{year}年{Level(level).label}级人才资金尚未设立，不能预留")
    return fund


@transaction.atomic
def entitlement_approve(*, entitlement: Entitlement, by: User, request: HttpRequest | None = None,
                        today: date | None = None) -> Entitlement:
    """Approve and reserve every unpaid instalment's money in this year's funds; refused past budget."""
    today = today or timezone.localdate()
    entitlement = _locked(entitlement)
    if by.role not in APPROVERS:
        raise ValidationError("只有人才办管理员可以批准兑现")
    if entitlement.status != Entitlement.Status.PENDING:
        raise ValidationError(f"该兑现资格当前为{entitlement.get_status_display()}，不能批准")
    if entitlement.reviewed_by_id == by.pk:
        raise ValidationError("审核人不能批准自己审核的事项")
    shares = list(Share.objects.filter(instalment__entitlement=entitlement).select_related("instalment"))
    levels = [lv for lv in Level.values if any(s.level == lv for s in shares)]
    funds_by_level = {lv: _fund_for(entitlement, lv, today.year) for lv in levels}
    funds.lock_funds(funds_by_level.values())
    for share in shares:
        share.commitment = funds.budget_reserve(
            fund=funds_by_level[share.level], amount=share.amount, category=entitlement.policy.code,
            reference=f"兑现{entitlement.pk}-第{share.instalment.seq}期-{share.get_level_display()}", by=by,
        )
        share.save(update_fields=["commitment"])
    entitlement.instalments.update(status=Instalment.Status.COMMITTED)
    entitlement.status = Entitlement.Status.APPROVED
    entitlement.approved_by, entitlement.approved_at = by, timezone.now()
    entitlement.save(update_fields=["status", "approved_by", "approved_at"])
    audit_record(action="update", request=request, user=by, obj=entitlement,
                 detail={"approve": True, "version": entitlement.version.number, "amount": str(entitlement.amount)})
    return entitlement


@transaction.atomic
def entitlement_stop(*, entitlement: Entitlement, reason: str, by: User, request: HttpRequest | None = None) -> int:
    """Cancel the unpaid instalments, release their reserved money, record why; returns how many stopped."""
    if not reason.strip():
        raise ValidationError("终止必须填写原因")
    entitlement = _locked(entitlement)
    open_ = list(entitlement.instalments.select_for_update().filter(
        status__in=[Instalment.Status.PLANNED, Instalment.Status.COMMITTED]).order_by("seq"))
    shares = list(Share.objects.filter(instalment__in=open_, commitment__isnull=False).select_related("commitment"))
    funds.lock_funds(s.commitment.fund for s in shares)
    for share in shares:
        funds.commitment_release(commitment=share.commitment, memo=f"终止：{reason}"[:200], by=by)
    Instalment.objects.filter(pk__in=[i.pk for i in open_]).update(status=Instalment.Status.STOPPED)
    entitlement.status = Entitlement.Status.STOPPED
    entitlement.stop_reason = reason[:200]
    entitlement.save(update_fields=["status", "stop_reason"])
    audit_record(action="update", request=request, user=by, obj=entitlement,
                 detail={"stop": reason, "instalments_stopped": len(open_)})
    return len(open_)


def entitlements_for_source(source: str) -> QuerySet[Entitlement]:
    return Entitlement.objects.filter(source=source).select_related("policy", "version").order_by("pk")


@transaction.atomic
def instalment_pay(*, instalment: Instalment, idempotency_key: str, by: User,
                   request: HttpRequest | None = None, batch: PaymentBatch | None = None) -> Instalment:
    """Pay one instalment (each level's share from its fund), at most once; a retried key returns it unchanged."""
    entitlement = _locked(instalment.entitlement)
    instalment = Instalment.objects.select_for_update().get(pk=instalment.pk)
    shares = list(instalment.shares.select_related("commitment", "payment").order_by("pk"))
    if instalment.status == Instalment.Status.PAID:
        if all(s.payment and s.payment.idempotency_key.startswith(f"{idempotency_key}:") for s in shares):
            return instalment
        raise ValidationError(f"第{instalment.seq}期已经支付，不能重复支付")
    _check_payable(entitlement, instalment, by)
    funds.lock_funds(s.commitment.fund for s in shares)
    payee = entitlement.beneficiary
    for share in shares:
        if share.payment_id:  # paid before; only a share the treasury returned is paid again
            continue
        share.payment = funds.commitment_pay(
            commitment=share.commitment, idempotency_key=f"{idempotency_key}:{share.level}", by=by,
            payee_name=str(payee), payee_bank=entitlement.bank_name, payee_account=entitlement.bank_account,
            memo=f"{entitlement.policy.title} 第{instalment.seq}期（{share.get_level_display()}级）", batch=batch,
        )
        share.save(update_fields=["payment"])
    instalment.status, instalment.paid_by = Instalment.Status.PAID, by
    instalment.save(update_fields=["status", "paid_by"])
    if not entitlement.instalments.exclude(status__in=[Instalment.Status.PAID, Instalment.Status.STOPPED]).exists():
        entitlement.status = Entitlement.Status.DONE
        entitlement.save(update_fields=["status"])
    audit_record(action="update", request=request, user=by, obj=entitlement,
                 detail={"pay": instalment.seq, "amount": str(instalment.amount), "key": idempotency_key})
    return instalment


def _check_payable(entitlement: Entitlement, instalment: Instalment, by: User) -> None:
    if by.role not in PAYERS:
        raise ValidationError("只有财务人员可以支付")
    if entitlement.approved_by_id == by.pk:
        raise ValidationError("批准人不能支付自己批准的事项")
    if instalment.status != Instalment.Status.COMMITTED:
        raise ValidationError(f"第{instalment.seq}期当前为{instalment.get_status_display()}，不能支付")
