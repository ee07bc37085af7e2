"""Tier (A–E) classification by configurable rules: plain data in, the first matching rule out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, Protocol, TypeVar

FIELDS: dict[str, str] = {
    "title": "职称",
    "title_level": "职称级别",
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


R = TypeVar("R", bound=RuleLike)  # classify gives back the rule it was given (a TierRule in the app)


# How titles are written on real forms, folded to the wording of the published criteria.
TITLE_SYNONYMS: dict[str, str] = {
    "教授级高工": "正高级工程师", "教授级高级工程师": "正高级工程师", "正高工": "正高级工程师",
    "教授级工程师": "正高级工程师", "研究员级高级工程师": "正高级工程师", "研究员级高工": "正高级工程师",
    "高工": "高级工程师", "副研": "副研究员", "正高级农艺师": "正高级农艺师", "农业技术推广研究员": "正高级农艺师",
    "主任医生": "主任医师", "副主任医生": "副主任医师", "正教授": "教授",
}
TITLE_LEVELS: dict[str, str] = {
    **dict.fromkeys(["教授", "研究员", "正高级工程师", "主任医师", "正高级实验师", "正高级农艺师", "正高级畜牧师",
                     "正高级兽医师", "正高级经济师", "正高级会计师", "正高级讲师", "正高级教师", "主任药师"], "正高级"),
    **dict.fromkeys(["副教授", "副研究员", "高级工程师", "副主任医师", "高级实验师", "高级农艺师", "高级畜牧师",
                     "高级兽医师", "高级经济师", "高级会计师", "高级讲师", "高级教师", "副主任药师"], "副高级"),
    **dict.fromkeys(["讲师", "助理研究员", "工程师", "主治医师", "实验师", "农艺师", "畜牧师", "兽医师", "经济师",
                     "会计师"], "中级"),
}
# The degree a 学历 implies, for rows that give 学历 (博士研究生) but leave 学位 empty.
DEGREE_FROM_EDUCATION = {"博士研究生": "博士", "博士": "博士", "博士后": "博士", "硕士研究生": "硕士", "硕士": "硕士",
                         "大学本科": "学士", "本科": "学士"}


def canonical_title(title: str) -> str:
    text = (title or "").strip().replace("（", "(").split("(")[0].strip()
    return TITLE_SYNONYMS.get(text, text)


def title_level(title: str) -> str:
    """正高级 / 副高级 / 中级 from the title as written (教授级高工 is 正高级), else ""."""
    text = canonical_title(title)
    if text in TITLE_LEVELS:
        return TITLE_LEVELS[text]
    if text.startswith(("正高级", "正高")):
        return "正高级"
    if text.startswith(("副高级", "副高")) or (text.startswith("高级") and len(text) > 2):
        return "副高级"
    return ""


def talent_facts(talent: Any, today: date | None = None) -> dict[str, Any]:
    """What rules may test, with the wording folded: 教授级高工 counts as 正高级工程师, and a 博士研究生
    whose 学位 was left empty counts as a 博士."""
    today = today or date.today()  # noqa: DTZ011 — ages are counted in calendar days, zone-independent
    birth = talent.birth_date
    age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day)) if birth else None
    facts = {name: getattr(talent, name, "") or "" for name in FIELDS if name not in ("age", "title_level")}
    facts["title"] = canonical_title(facts["title"])
    facts["title_level"] = title_level(facts["title"])
    if not facts["degree"]:
        facts["degree"] = DEGREE_FROM_EDUCATION.get(str(facts["education"]).strip(), "")
    return facts | {"age": age}


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


def classify(facts: Mapping[str, Any], rules: Iterable[R]) -> R | None:
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
