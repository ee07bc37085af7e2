"""Small helpers importers share to turn a cleaned cell into a typed value or a Chinese refusal."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from rencai.core.imports import Problem
from rencai.core.spreadsheet import parse_date, parse_decimal, parse_int
from rencai.core.textnorm import fold_width, to_simplified
from rencai.core.validators import credit_code_problem, normalize_credit_code


def text(values: dict[str, Any], column: str) -> str:
    value = values.get(column)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def choice_key(value: str) -> str:
    """How a choice compares: width folded, Traditional as Simplified, no spaces (博士後 = 博士后, 候鳥式 = 候鸟式)."""
    return "".join(to_simplified(fold_width(value)).split())


def canonical(value: str, allowed: Sequence[str]) -> str | None:
    """The allowed value value means, compared by choice_key; None when it is none of them."""
    if value in allowed:
        return value
    wanted = choice_key(value)
    for option in allowed:
        if choice_key(option) == wanted:
            return option
    return None


def choice(values: dict[str, Any], column: str, allowed: Sequence[str], problems: list[Problem]) -> str:
    """A value from a fixed list, stored as the list writes it (Simplified), whatever form the sheet used."""
    value = text(values, column)
    if not value:
        return ""
    found = canonical(value, allowed)
    if found is None:
        problems.append((column, f"“{value}”不是可选值，应为：{'、'.join(allowed)}"))
        return ""
    return found


def known_or_text(values: dict[str, Any], column: str, known: Sequence[str]) -> str:
    """A free-text column with usual values (最高学历): a usual value in any form is stored as the list writes
    it; anything else is kept as written."""
    value = text(values, column)
    return (canonical(value, known) or value) if value else ""


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
