"""Small helpers importers share to turn a cleaned cell into a typed value or a Chinese refusal."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from rencai.core.imports import Problem
from rencai.core.spreadsheet import parse_date, parse_decimal, parse_int
from rencai.core.textnorm import fold_width
from rencai.core.validators import credit_code_problem, normalize_credit_code


def text(values: dict[str, Any], column: str) -> str:
    value = values.get(column)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def choice(values: dict[str, Any], column: str, allowed: Sequence[str], problems: list[Problem]) -> str:
    value = fold_width(text(values, column))
    if value and value not in allowed:
        problems.append((column, f"“{value}”不是可选值，应为：{'、'.join(allowed)}"))
        return ""
    return value


def month_or_date(values: dict[str, Any], column: str, problems: list[Problem]) -> tuple[date | None, bool]:
    """A date and whether only its month was known."""
    try:
        parsed = parse_date(values.get(column))
    except ValueError as exc:
        problems.append((column, str(exc)))
        return None, False
    if parsed is None:
        return None, False
    return parsed.as_date(), parsed.day is None


def integer(values: dict[str, Any], column: str, problems: list[Problem]) -> int | None:
    try:
        return parse_int(values.get(column))
    except ValueError as exc:
        problems.append((column, str(exc)))
        return None


def decimal(values: dict[str, Any], column: str, problems: list[Problem], *, unit: str | None = None) -> Any:
    """A number; with `unit` ("万元") a cell written in another unit ("5000元") is converted, not misread."""
    try:
        return parse_decimal(values.get(column), unit=unit)
    except ValueError as exc:
        problems.append((column, str(exc)))
        return None


def required(values: dict[str, Any], column: str, problems: list[Problem]) -> str:
    value = text(values, column)
    if not value:
        problems.append((column, f"{column}不能为空"))
    return value


def extra_as_text(extra: dict[str, Any]) -> dict[str, str]:
    """Unknown columns are kept, as strings, beside the record: never dropped silently."""
    return {k: str(v) for k, v in extra.items() if v not in (None, "")}


def checked(
    values: dict[str, Any],
    column: str,
    problems: list[Problem],
    *,
    problem: Callable[[object], str | None],
    normalize: Callable[[str], str],
) -> str:
    """A coded value (ID number, credit code, mobile) checked by its rule: normalised, or refused with why."""
    raw = values.get(column)
    if raw in (None, ""):
        return ""
    reason = problem(raw)
    if reason:
        problems.append((column, reason))
        return ""
    return normalize(str(raw))


def credit_code(values: dict[str, Any], problems: list[Problem], column: str = "统一社会信用代码") -> str:
    return checked(values, column, problems, problem=credit_code_problem, normalize=normalize_credit_code)
