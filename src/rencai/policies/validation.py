"""Checks a policy version when it is saved, so mistakes show up for the editor, never at payment time."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

from rencai.funds.models import Level
from rencai.policies.rules import RuleError, check_condition, check_formula

if TYPE_CHECKING:
    from rencai.policies.models import PolicyVersion

ONE = Decimal(1)


def _fraction(value: object, what: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(f"{what}“{value}”不是数字") from exc
    if number <= 0 or number > 1:
        raise ValidationError(f"{what}必须在 0 到 1 之间，现在是 {value}")
    return number


def validate_conditions(conditions: object, subjects: tuple[str, ...]) -> None:
    if not isinstance(conditions, list):
        raise ValidationError({"conditions": "资格条件必须是条件列表"})
    errors = []
    for n, cond in enumerate(conditions, start=1):
        if not isinstance(cond, dict) or not cond.get("expr"):
            errors.append(f"第{n}条条件缺少表达式")
            continue
        try:
            check_condition(str(cond["expr"]), subjects)
        except RuleError as exc:
            errors.append(f"第{n}条条件（{cond.get('label', '')}）：{exc}")
    if errors:
        raise ValidationError({"conditions": errors})


def validate_schedule(schedule: object) -> None:
    if not isinstance(schedule, list) or not schedule:
        raise ValidationError({"schedule": "至少要有一期"})
    total = Decimal(0)
    for n, item in enumerate(schedule, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("after_months", 0), int):
            raise ValidationError({"schedule": f"第{n}期的起算月数必须是整数"})
        total += _fraction(item.get("share"), f"第{n}期比例")
    if total != ONE:
        raise ValidationError({"schedule": f"各期比例合计应为 1，现在是 {total}"})


def validate_level_shares(shares: object) -> None:
    if not isinstance(shares, dict) or not shares:
        raise ValidationError({"level_shares": "至少要有一个出资层级"})
    unknown = set(shares) - set(Level.values)
    if unknown:
        names = "、".join(sorted(unknown))
        raise ValidationError({"level_shares": f"未知的政府层级：{names}（可用 region / city / district）"})
    total = sum((_fraction(v, f"{Level(k).label}级比例") for k, v in shares.items()), Decimal(0))
    if total != ONE:
        raise ValidationError({"level_shares": f"各级承担比例合计应为 1，现在是 {total}"})


def validate_version(version: PolicyVersion) -> None:
    subjects = version.subjects
    validate_conditions(version.conditions, subjects)
    if version.amount is None and not version.amount_formula:
        raise ValidationError({"amount": "请填写固定金额或金额公式"})
    if version.amount is not None and version.amount <= 0:
        raise ValidationError({"amount": "金额必须大于零"})
    if version.amount_formula:
        try:
            check_formula(version.amount_formula, subjects)
        except RuleError as exc:
            raise ValidationError({"amount_formula": str(exc)}) from exc
    validate_schedule(version.schedule)
    validate_level_shares(version.level_shares)
    if version.effective_to and version.effective_to < version.effective_from:
        raise ValidationError({"effective_to": "失效日期不能早于生效日期"})
