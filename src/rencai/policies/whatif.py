"""'What if': the same policy with other parameters, run over the real register, booking nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from rencai.core.models import Zone
from rencai.orgs.models import Enterprise
from rencai.policies.facts import facts_for
from rencai.policies.models import Policy, PolicyVersion
from rencai.policies.rules import evaluate_conditions, evaluate_formula
from rencai.policies.services import schedule_for, version_in_force
from rencai.talents.models import Talent


@dataclass(frozen=True)
class Scenario:
    amount: Decimal | None = None
    max_age: int | None = None
    tiers: list[str] | None = None


@dataclass
class Outcome:
    qualified: int = 0
    this_year: Decimal = Decimal(0)
    next_year: Decimal = Decimal(0)
    names: list[str] = field(default_factory=list)


@dataclass
class Comparison:
    year: int
    current: Outcome
    proposed: Outcome


def _conditions(version: PolicyVersion, scenario: Scenario) -> list[dict[str, str]]:
    conditions = list(version.conditions)
    if scenario.max_age is not None:
        conditions = [c for c in conditions if "talent.age" not in c["expr"]]
        age = int(scenario.max_age)
        conditions.append({"label": f"年龄不超过{age}周岁", "expr": f"talent.age <= {age}"})
    if scenario.tiers:
        tiers = ", ".join(f'"{t}"' for t in scenario.tiers if t in "ABCDE")
        conditions = [c for c in conditions if "talent.tier" not in c["expr"]]
        conditions.append({"label": "人才层次", "expr": f"talent.tier in [{tiers}]"})
    return conditions


def _amount(version: PolicyVersion, scenario: Scenario, facts: dict[str, Any]) -> Decimal:
    if scenario.amount is not None:
        return scenario.amount
    if version.amount_formula:
        value = evaluate_formula(version.amount_formula, facts)
        return min(value, version.amount) if version.amount is not None else value
    return version.amount or Decimal(0)


def _beneficiaries(policy: Policy, zones: QuerySet[Zone]) -> QuerySet:
    if policy.beneficiary_kind == "talent":
        return Talent.objects.filter(zone__in=zones).select_related("zone")
    return Enterprise.objects.filter(zone__in=zones).select_related("zone").prefetch_related("platforms",
                                                                                              "indicators")


def _run(policy: Policy, version: PolicyVersion, scenario: Scenario, zones: QuerySet[Zone], today: date) -> Outcome:
    outcome = Outcome()
    conditions = _conditions(version, scenario)
    for beneficiary in _beneficiaries(policy, zones):
        facts = facts_for(beneficiary, today)
        if not all(r.held for r in evaluate_conditions(conditions, facts)):
            continue
        amount = _amount(version, scenario, facts)
        if amount <= 0:
            continue
        outcome.qualified += 1
        if len(outcome.names) < 50:
            outcome.names.append(str(beneficiary))
        for due, part in schedule_for(version, amount, today):
            if due.year == today.year:
                outcome.this_year += part
            elif due.year == today.year + 1:
                outcome.next_year += part
    return outcome


def simulate(*, policy: Policy, scenario: Scenario, zones: QuerySet[Zone], today: date | None = None) -> Comparison:
    today = today or timezone.localdate()
    version = version_in_force(policy, today)
    return Comparison(year=today.year, current=_run(policy, version, Scenario(), zones, today),
                      proposed=_run(policy, version, scenario, zones, today))
