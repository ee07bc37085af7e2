"""Demo money: each demo zone's funds for this year at the three levels, and the demo entitlements taken through
approval and payment, so the reconciliation page, the fund figures and the dashboard show a real ledger.

Everything goes through the funds and policies services (the ledger is append-only): approval by the zone's
office admin, payment by its finance officer, never the same person. Idempotent: funds already open are kept,
entitlements already approved or paid are left as they are. Accounts are confirmed as the beneficiary would
(the demo talents have no log-in of their own).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from rencai.core.models import User, Zone
from rencai.core.roles import Role
from rencai.funds.models import Fund, Level
from rencai.funds.services import fund_open
from rencai.policies.models import Entitlement, Instalment
from rencai.policies.services import entitlement_approve, instalment_pay

# Yearly budgets by level (yuan), as a zone of the demo city's size reports them.
BUDGETS = {Level.REGION: Decimal("3000000"), Level.CITY: Decimal("8000000"), Level.DISTRICT: Decimal("5000000")}


def _staff(zone: Zone, role: str) -> User | None:
    return User.objects.filter(role=role, zone=zone, is_active=True).order_by("pk").first()


def funds_load(*, zones: dict[str, Zone]) -> dict[str, int]:
    year = timezone.localdate().year
    opened = approved = paid = 0
    for zone in zones.values():
        admin = _staff(zone, Role.OFFICE_ADMIN) or User.objects.filter(role=Role.OFFICE_ADMIN, zone=None).first()
        finance = _staff(zone, Role.FINANCE)
        if admin is None:
            continue
        for level, budget in BUDGETS.items():
            if not Fund.objects.filter(year=year, level=level, zone=zone).exists():
                fund_open(year=year, level=level, zone=zone, budget=budget, by=admin)
                opened += 1
        for entitlement in Entitlement.objects.filter(zone=zone, status=Entitlement.Status.PENDING).order_by("pk"):
            try:
                entitlement_approve(entitlement=entitlement, by=admin)
            except ValidationError:
                continue  # a guard or a budget refused it: the demo leaves it waiting, as an office would
            approved += 1
        if finance is None:
            continue
        today = timezone.localdate()
        for entitlement in Entitlement.objects.filter(zone=zone, status=Entitlement.Status.APPROVED).order_by("pk"):
            if not entitlement.bank_confirmed_at:
                entitlement.bank_name = "中国工商银行包头分行"
                entitlement.bank_account = f"6222020600{entitlement.pk:09d}"
                entitlement.bank_confirmed_at = timezone.now()
                entitlement.save(update_fields=["bank_name", "bank_account", "bank_confirmed_at"])
            due = entitlement.instalments.filter(status=Instalment.Status.COMMITTED, due_on__lte=today)
            for instalment in due.order_by("seq"):
                try:
                    instalment_pay(instalment=instalment, idempotency_key=f"demo-{instalment.pk}", by=finance)
                except ValidationError:
                    break
                paid += 1
    return {"资金": opened, "批准兑现": approved, "支付期次": paid}


def funds_summary() -> str:
    year = timezone.localdate().year
    funds = Fund.objects.filter(year=year, zone__in=Zone.objects.filter(
        pk__in=Entitlement.objects.values("zone"))).count()
    paid = Instalment.objects.filter(status=Instalment.Status.PAID).count()
    committed = Instalment.objects.filter(status=Instalment.Status.COMMITTED).count()
    return f"资金：{year}年人才资金 {funds} 个（自治区、市、区三级）；兑现期次已支付 {paid}、已预留待付 {committed}。"
