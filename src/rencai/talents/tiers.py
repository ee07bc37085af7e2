"""Tier (A–E) classification by configurable rules: plain data in, the first matching rule out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, Protocol

FIELDS: dict[str, str] = {
    "title": "职称",
    "degree": "最高学位",
    "education": "最高学历",
    "talent_type": "人才类型",
    "achievements": "代表性成果",
    "research_directions": "研究方向",
    "age": "年龄",
}
OPERATORS: dict[str, str] = {
    "in": "属于",
    "contains_any": "包含任一",
    "lte": "不超过",
    "gte": "不少于",
}
NUMERIC_FIELDS = {"age"}


class RuleLike(Protocol):
    conditions: Any
    active: bool


def talent_facts(talent: Any, today: date | None = None) -> dict[str, Any]:
    today = today or date.today()  # noqa: DTZ011 — ages are counted in calendar days, zone-independent
    birth = talent.birth_date
    age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day)) if birth else None
    return {name: getattr(talent, name, "") or "" for name in FIELDS if name != "age"} | {"age": age}


def _values(condition: Mapping[str, Any]) -> list[str]:
    value = condition.get("value", [])
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def condition_holds(condition: Mapping[str, Any], facts: Mapping[str, Any]) -> bool:
    fact, op = facts.get(condition["field"]), condition["op"]
    if op in ("lte", "gte"):
        if fact is None or fact == "":
            return False
        limit = float(_values(condition)[0])
        return float(fact) <= limit if op == "lte" else float(fact) >= limit
    text = str(fact or "")
    if op == "in":
        return text in _values(condition)
    return any(word and word in text for word in _values(condition))


def classify(facts: Mapping[str, Any], rules: Iterable[RuleLike]) -> RuleLike | None:
    """The first active rule (rules come ordered by priority) whose every condition holds."""
    for rule in rules:
        if rule.active and rule.conditions and all(condition_holds(c, facts) for c in rule.conditions):
            return rule
    return None


def describe_condition(condition: Mapping[str, Any]) -> str:
    field = FIELDS.get(condition.get("field", ""), condition.get("field", ""))
    op = OPERATORS.get(condition.get("op", ""), condition.get("op", ""))
    return f"{field}{op}{'、'.join(_values(condition))}"


def condition_problems(conditions: Sequence[Mapping[str, Any]]) -> list[str]:
    """Why a rule's conditions cannot be saved, in Chinese; empty when they are fine."""
    problems = []
    if not conditions:
        problems.append("至少需要一个条件")
    for n, c in enumerate(conditions, start=1):
        if c.get("field") not in FIELDS:
            problems.append(f"第{n}个条件：字段“{c.get('field')}”不存在，可用：{'、'.join(FIELDS.values())}")
            continue
        if c.get("op") not in OPERATORS:
            problems.append(f"第{n}个条件：比较方式“{c.get('op')}”不支持")
            continue
        numeric = c["field"] in NUMERIC_FIELDS
        if numeric != (c["op"] in ("lte", "gte")):
            problems.append(f"第{n}个条件：“{FIELDS[c['field']]}”不能用“{OPERATORS[c['op']]}”比较")
        elif numeric:
            try:
                float(_values(c)[0])
            except (ValueError, IndexError):
                problems.append(f"第{n}个条件：“{FIELDS[c['field']]}”需要填写数字")
        elif not [v for v in _values(c) if v.strip()]:
            problems.append(f"第{n}个条件：请填写至少一个取值")
    return problems
