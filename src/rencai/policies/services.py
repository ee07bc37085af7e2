"""Entitlements: grant, approve (reserve money), pay instalments, stop. Money moves only through funds.

Lock order everywhere: entitlement row → instalment rows → fund rows (by id), so concurrent
approvals, payments and stops never deadlock.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal
from typing import cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet, Sum
from django.http import HttpRequest
from django.utils import timezone

from rencai.core.audit import audit_record
from rencai.core.dates import add_months
from rencai.core.models import User
from rencai.core.roles import Role
from rencai.funds import services as funds
from rencai.funds.models import Fund, Level, Payment, PaymentBatch, PaymentOutcome
from rencai.orgs.models import Enterprise
from rencai.policies.facts import facts_for
from rencai.policies.lifecycles import ENTITLEMENT, beneficiary_users
from rencai.policies.models import (
    AUTO_SOURCE,
    BeneficiaryKind,
    Entitlement,
    Instalment,
    Policy,
    PolicyVersion,
    Share,
)
from rencai.policies.rules import evaluate_conditions, evaluate_formula
from rencai.talents.models import Talent

CENT = Decimal("0.01")
APPROVERS = frozenset({Role.OFFICE_ADMIN})
PAYERS = frozenset({Role.FINANCE})




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
    talent = beneficiary if isinstance(beneficiary, Talent) else None
    enterprise = None if isinstance(beneficiary, Talent) else beneficiary
    entitlement = Entitlement.objects.create(
        policy=version.policy, version=version, beneficiary_key=key, source=source, zone=beneficiary.zone,
        talent=talent, enterprise=enterprise,
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
            ENTITLEMENT.record(entitlement, move="grant", label="生成兑现资格", by=by, on=today,
                               data={"version": version.number, "source": source, "amount": str(entitlement.amount)})
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
    # of=("self",): PostgreSQL cannot lock the nullable side of the talent/enterprise outer joins
    return Entitlement.objects.select_for_update(of=("self",)).select_related(
        "policy", "talent", "enterprise").get(pk=entitlement.pk)


def _fund_for(entitlement: Entitlement, level: str, year: int) -> Fund:
    fund = Fund.objects.filter(year=year, level=level, zone=entitlement.zone_id).first()
    if fund is None:
        raise ValidationError(f"{entitlement.zone}{year}年{Level(level).label}级人才资金尚未设立，不能预留")
    return fund


@transaction.atomic
def entitlement_approve(*, entitlement: Entitlement, by: User, request: HttpRequest | None = None,
                        today: date | None = None) -> Entitlement:
    """Approve and reserve every unpaid instalment's money in this year's funds; refused past budget.

    The move's guard keeps separation of duties (not the reviewer; 免申即享 only after 复核 and 公示).
    """
    today = today or timezone.localdate()
    entitlement = _locked(entitlement)
    if (entitlement.source == AUTO_SOURCE and entitlement.status == Entitlement.Status.NOTICE
            and entitlement.notice_until and today <= entitlement.notice_until):
        raise ValidationError(f"公示期至 {entitlement.notice_until} 结束，公示期满后才能批准")

    def reserve(ent: Entitlement) -> None:
        shares = list(Share.objects.filter(instalment__entitlement=ent).select_related("instalment"))
        levels = [lv for lv in Level.values if any(s.level == lv for s in shares)]
        funds_by_level = {lv: _fund_for(ent, lv, today.year) for lv in levels}
        funds.lock_funds(funds_by_level.values())
        for share in shares:
            share.commitment = funds.budget_reserve(
                fund=funds_by_level[share.level], amount=share.amount, category=ent.policy.code,
                reference=f"兑现{ent.pk}-第{share.instalment.seq}期-{share.get_level_display()}", by=by,
            )
            share.save(update_fields=["commitment"])
        ent.instalments.update(status=Instalment.Status.COMMITTED)
        ent.approved_by, ent.approved_at = by, timezone.now()

    return ENTITLEMENT.transition(entitlement, move="approve", by=by, request=request, on=today, apply=reserve,
                                  data={"version": entitlement.version.number, "amount": str(entitlement.amount)})


@transaction.atomic
def entitlement_stop(*, entitlement: Entitlement, reason: str, by: User,
                     request: HttpRequest | None = None) -> int:
    """Cancel the unpaid instalments, release their reserved money, record why; returns how many stopped."""
    if not reason.strip():
        raise ValidationError("终止必须填写原因")
    entitlement = _locked(entitlement)
    if entitlement.status in (Entitlement.Status.STOPPED, Entitlement.Status.DONE):
        return 0  # nothing left to stop (a second departure, or everything already paid)
    open_ = list(entitlement.instalments.select_for_update().filter(
        status__in=[Instalment.Status.PLANNED, Instalment.Status.COMMITTED]).order_by("seq"))

    def release(ent: Entitlement) -> None:
        shares = list(Share.objects.filter(instalment__in=open_, commitment__isnull=False)
                      .select_related("commitment"))
        funds.lock_funds(s.commitment.fund for s in shares)
        for share in shares:
            funds.commitment_release(commitment=share.commitment, memo=f"终止：{reason}"[:200], by=by)
        Instalment.objects.filter(pk__in=[i.pk for i in open_]).update(status=Instalment.Status.STOPPED)
        ent.stop_reason = reason[:200]

    ENTITLEMENT.transition(entitlement, move="stop", by=by, reason=reason, request=request, apply=release,
                           data={"instalments_stopped": len(open_)})
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
        ENTITLEMENT.transition(entitlement, move="complete", by=by, request=request, data={"last": instalment.seq})
    audit_record(action="update", request=request, user=by, obj=entitlement,
                 detail={"pay": instalment.seq, "amount": str(instalment.amount), "key": idempotency_key})
    return instalment


def instalments_pay_in_batch(*, request_key: str, instalments: list[Instalment], by: User,
                             request: HttpRequest | None = None) -> tuple[PaymentBatch | None, int, list[str]]:
    """Pay the chosen instalments into one treasury batch; returns (batch, how many paid, refusals).

    Each instalment is paid in its own transaction, and the batch is created inside the first one that
    actually pays: a batch exists only when something was paid into it. A resubmitted form (same key)
    finds its batch and pays nothing twice.
    """
    if not request_key:
        raise ValidationError("支付请求缺少编号，请刷新页面后重试")
    batch = PaymentBatch.objects.filter(request_key=request_key).first()
    if batch is not None and batch.by_id != by.pk:
        raise ValidationError("该支付请求编号已被他人使用，请刷新页面后重试")
    paid, problems = 0, []
    for instalment in sorted(instalments, key=lambda i: (i.entitlement_id, i.pk)):
        try:
            with transaction.atomic():
                target = batch
                if target is None:
                    target, _ = funds.batch_open(request_key=request_key, zone=instalment.entitlement.zone,
                                                 title=f"{timezone.localdate():%Y-%m-%d} 支付批次", by=by)
                instalment_pay(instalment=instalment, idempotency_key=f"{request_key}-{instalment.pk}", by=by,
                               request=request, batch=target)
            batch = target
            paid += 1
        except ValidationError as exc:
            problems.append(f"{instalment.entitlement} {instalment}：{'；'.join(exc.messages)}")
    return batch, paid, problems


def _check_payable(entitlement: Entitlement, instalment: Instalment, by: User) -> None:
    if by.role not in PAYERS:
        raise ValidationError("只有财务人员可以支付")
    if entitlement.approved_by_id == by.pk:
        raise ValidationError("批准人不能支付自己批准的事项")
    if instalment.status != Instalment.Status.COMMITTED:
        raise ValidationError(f"第{instalment.seq}期当前为{instalment.get_status_display()}，不能支付")
    if problem := entitlement.bank_blocker():
        raise ValidationError(f"第{instalment.seq}期不能支付：{problem}")


def bank_account_normalize(value: str) -> str:
    """The digits of a bank account as typed (spaces, full-width digits allowed); refused in Chinese otherwise."""
    digits = unicodedata.normalize("NFKC", value or "")
    digits = "".join(digits.split())
    if not digits:
        raise ValidationError("请填写银行账号")
    if not digits.isdigit() or not digits.isascii():
        raise ValidationError("银行账号只能包含数字（可用空格分组）")
    if not 12 <= len(digits) <= 30:
        raise ValidationError(f"银行账号应为 12–30 位数字（现为 {len(digits)} 位）")
    return digits


def is_beneficiary(entitlement: Entitlement, user: User) -> bool:
    if entitlement.talent_id and entitlement.talent is not None:
        return entitlement.talent.user_id == user.pk
    # an entitlement without a talent is an enterprise's (one of the two is always set)
    return cast(Enterprise, entitlement.enterprise).members.filter(pk=user.pk).exists()


@transaction.atomic
def entitlement_bank_confirm(*, entitlement: Entitlement, bank_name: str, bank_account: str, by: User,
                             request: HttpRequest | None = None) -> Entitlement:
    """The beneficiary confirms (or corrects) where the money goes; this clears a treasury rejection."""
    entitlement = _locked(entitlement)
    if not is_beneficiary(entitlement, by):
        raise ValidationError("只有兑现对象本人（或企业账号）可以确认收款账户")
    if entitlement.status in (Entitlement.Status.STOPPED, Entitlement.Status.DONE):
        raise ValidationError(f"该兑现{entitlement.get_status_display()}，无需再确认收款账户")
    bank_name = " ".join((bank_name or "").split())
    if not bank_name:
        raise ValidationError("请填写开户行")
    digits = bank_account_normalize(bank_account)
    corrected = entitlement.bank_problem
    entitlement.bank_name, entitlement.bank_account = bank_name[:100], digits
    entitlement.bank_confirmed_at, entitlement.bank_problem = timezone.now(), ""
    entitlement.save(update_fields=["bank_name", "bank_account", "bank_confirmed_at", "bank_problem"])
    audit_record(action="update", request=request, user=by, obj=entitlement,
                 detail={"bank_confirmed": True, "corrects": corrected})
    return entitlement


@transaction.atomic
def payment_outcome_settle(*, payment: Payment, result: str, note: str, by: User,
                           request: HttpRequest | None = None) -> PaymentOutcome:
    """Record the treasury's answer for one payment, and put the entitlement where the answer leaves it.

    A returned payment is reversed back to committed (funds), its share and instalment are unpaid again,
    an entitlement that had been paid in full is open again, and the account is marked as rejected, so
    finance cannot pay it until the beneficiary has corrected and re-confirmed it; then finance pays
    again with a new request key. The beneficiary is told.
    """
    if by.role not in PAYERS:
        raise ValidationError("只有财务人员可以登记国库结果")
    if result not in PaymentOutcome.Result.values:
        raise ValidationError("国库结果只能是“已到账”或“退回”")
    note = " ".join((note or "").split())[:200]
    if result == PaymentOutcome.Result.RETURNED and not note:
        raise ValidationError("退回须写明原因（如 账号有误）")
    share = Share.objects.filter(payment=payment).select_related("instalment").first()
    entitlement = instalment = None
    if share is not None:  # lock order: entitlement → instalment → fund (in funds services)
        entitlement = _locked(share.instalment.entitlement)
        instalment = Instalment.objects.select_for_update().get(pk=share.instalment_id)
    outcome = funds.payment_outcome_record(payment=payment, result=result, note=note, by=by, request=request)
    if result != PaymentOutcome.Result.RETURNED or entitlement is None or instalment is None or share is None:
        return outcome
    Share.objects.filter(pk=share.pk).update(payment=None)
    instalment.status, instalment.paid_by = Instalment.Status.COMMITTED, None
    instalment.save(update_fields=["status", "paid_by"])
    reopened = entitlement.status == Entitlement.Status.DONE
    problem = f"国库退回：{note}"[:200]
    if reopened:  # paid in full before the return: open again, for the instalment finance pays anew

        def mark(ent: Entitlement) -> None:
            ent.bank_problem = problem

        ENTITLEMENT.transition(entitlement, move="reopen", by=by, reason=problem, request=request, apply=mark,
                               data={"payment": payment.pk, "instalment": instalment.seq})
    else:
        entitlement.bank_problem = problem
        entitlement.save(update_fields=["bank_problem"])
    audit_record(action="update", request=request, user=by, obj=entitlement,
                 detail={"returned": payment.pk, "instalment": instalment.seq, "note": note, "reopened": reopened})
    _notify_beneficiary(entitlement, kind="policies.payment_returned", dedupe_key=f"returned:{payment.pk}",
                        text=f"{entitlement.policy.title}第{instalment.seq}期 {payment.amount} 元被国库退回"
                             f"（{note}），请核对并重新确认收款账户。")
    return outcome


def batch_outcomes_record(*, batch: PaymentBatch, results: dict[int, tuple[str, str]], by: User,
                          request: HttpRequest | None = None) -> tuple[int, list[str]]:
    """The treasury's answers for a batch: {payment id: (result, note)}; each payment settled on its own."""
    recorded, problems = 0, []
    for payment in batch.payments.filter(pk__in=list(results), outcome__isnull=True).order_by("pk"):
        result, note = results[payment.pk]
        try:
            payment_outcome_settle(payment=payment, result=result, note=note, by=by, request=request)
            recorded += 1
        except ValidationError as exc:
            problems.append(f"{payment.payee_name} {payment.amount} 元：{'；'.join(exc.messages)}")
    return recorded, problems


def _notify_beneficiary(entitlement: Entitlement, *, kind: str, text: str, dedupe_key: str) -> None:
    """Tell the beneficiary through the core inbox (when the platform has one)."""
    try:
        from rencai.core import inbox
    except ImportError:  # the core inbox is not installed yet: the page still shows the problem
        return
    from django.urls import reverse

    inbox.notify(recipients=beneficiary_users(entitlement), kind=kind, text=text, subject=entitlement,
                 dedupe_key=dedupe_key, url=reverse("policies:bank", args=[entitlement.pk]))


POLICY_EDITORS = frozenset({Role.OFFICE_ADMIN})


@transaction.atomic
def policy_create(*, code: str, title: str, beneficiary_kind: str, by: User, doc_number: str = "",
                  issuer: str = "", auto_grant: bool = False, request: HttpRequest | None = None) -> Policy:
    """A new policy (its rules follow as version 1, created with policy_version_create)."""
    if by.role not in POLICY_EDITORS:
        raise ValidationError("只有人才办管理员可以新建政策")
    policy = Policy(code=code, title=title, beneficiary_kind=beneficiary_kind, doc_number=doc_number,
                    issuer=issuer, auto_grant=auto_grant, active=True)
    policy.full_clean()
    try:
        with transaction.atomic():
            policy.save()
    except IntegrityError as exc:  # a rival request took the code between the check and here
        raise ValidationError(f"政策代码“{code}”已被使用") from exc
    audit_record(action="create", request=request, user=by, obj=policy, detail={"code": code})
    return policy


@transaction.atomic
def policy_version_create(*, policy: Policy, version: PolicyVersion, by: User,
                          request: HttpRequest | None = None) -> PolicyVersion:
    """Publish a new version of a policy's rules: numbered after the latest, checked, never edited after."""
    if by.role not in POLICY_EDITORS:
        raise ValidationError("只有人才办管理员可以修订政策")
    policy = Policy.objects.select_for_update().get(pk=policy.pk)  # two editors never get the same number
    latest = policy.versions.order_by("-number").first()
    version.policy, version.created_by = policy, by
    version.number = (latest.number + 1) if latest else 1
    version.full_clean()
    version.save()
    audit_record(action="create", request=request, user=by, obj=version,
                 detail={"policy": policy.code, "version": version.number, "note": version.change_note})
    return version
