"""Eligibility conditions and amount formulas in CEL (cel-python), never Python eval.

A policy's conditions are a list of named CEL expressions that must all hold, e.g.
    {"label": "博士学位", "expr": 'talent.degree == "博士"'}
Each is checked when the policy is saved: syntax, fields against the declared schema below, and
types by evaluating it on sample data. Evaluation at payment time then only sees real values.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import celpy
from lark import Tree

# The fields staff may use, with their CEL type and a sample value used to check types on save.
SCHEMA: dict[str, dict[str, tuple[str, str, Any]]] = {
    "talent": {
        "tier": ("string", "人才层次 A–E", "C"),
        "degree": ("string", "最高学位：博士 / 硕士 / 学士", "博士"),
        "education": ("string", "最高学历", "博士研究生"),
        "age": ("int", "年龄（周岁）", 35),
        "title": ("string", "职称", "教授"),
        "talent_type": ("string", "人才类型：全职引进 / 柔性引进 / 本土培养 / 博士服务 / 博士后", "全职引进"),
        "discipline_code": ("string", "一级学科代码", "0805"),
        "zone": ("string", "所属旗区代码", "xitu"),
        "years_in_zone": ("int", "在本区登记年数", 1),
        "has_employer": ("bool", "已在本区单位就业", True),
    },
    "enterprise": {
        "qualifications": ("list", "企业资质列表：high_tech / specialized / little_giant / above_scale", ["high_tech"]),
        "industry_code": ("string", "国民经济行业代码", "C3985"),
        "rd_spending": ("double", "上年研发投入（万元）", 500.0),
        "has_rd_institution": ("bool", "有研发机构", True),
        "invention_patents": ("int", "有效发明专利（件）", 3),
        "platform_kinds": ("list", "已认定平台类型：postdoc_station / key_lab / engineering …", ["key_lab"]),
        "platform_levels": ("list", "已认定平台级别：national / regional / city / zone", ["regional"]),
        "zone": ("string", "所在旗区代码", "xitu"),
    },
}
TYPE_LABEL = {"string": "文本", "int": "整数", "double": "数值", "bool": "是/否", "list": "列表"}


class RuleError(ValueError):
    """A condition or formula a person wrote is not valid; the message says why, in Chinese."""


@dataclass(frozen=True)
class ConditionResult:
    label: str
    expr: str
    held: bool


_env = celpy.Environment()


def _identifiers(tree: Tree) -> set[tuple[str, str]]:
    """All `object.field` pairs the expression reads, and bare identifiers as (name, "")."""
    found: set[tuple[str, str]] = set()
    for node in tree.iter_subtrees():
        if node.data == "member_dot":
            inner, field = node.children[0], node.children[1]
            ident = _bare_ident(inner)
            if ident:
                found.add((ident, str(field)))
        elif node.data == "ident":
            found.add((str(node.children[0]), ""))
    return found


def _bare_ident(node: Any) -> str:
    if isinstance(node, Tree) and node.data == "member" and len(node.children) == 1:
        primary = node.children[0]
        if isinstance(primary, Tree) and primary.data == "primary" and isinstance(primary.children[0], Tree):
            ident = primary.children[0]
            if ident.data == "ident":
                return str(ident.children[0])
    return ""


def _compile(expr: str, subjects: tuple[str, ...]) -> Any:
    if not expr or not expr.strip():
        raise RuleError("表达式不能为空")
    try:
        ast = _env.compile(expr)
    except celpy.CELParseError as exc:
        line = getattr(exc, "line", None)
        column = getattr(exc, "column", None)
        where = f"（第 {line} 行第 {column} 列附近）" if line else ""
        raise RuleError(f"表达式语法错误{where}：{expr}") from exc
    for obj, field in _identifiers(ast):
        if field == "":
            if obj not in subjects:
                known = "、".join(subjects)
                raise RuleError(f"未知的名称“{obj}”：只能使用 {known}")
            continue
        if obj not in subjects:
            continue
        if field not in SCHEMA[obj]:
            known = "、".join(SCHEMA[obj])
            raise RuleError(f"{obj} 没有字段“{field}”。可用字段：{known}")
    return ast


def sample_activation(subjects: tuple[str, ...]) -> dict[str, Any]:
    return {s: {f: spec[2] for f, spec in SCHEMA[s].items()} for s in subjects}


def _run(ast: Any, activation: dict[str, Any]) -> Any:
    program = _env.program(ast)
    result = program.evaluate({k: celpy.json_to_cel(v) for k, v in activation.items()})
    if isinstance(result, celpy.CELEvalError):
        raise result
    return result


def _type_message(exc: Exception) -> str:
    text = str(exc.args[0] if exc.args else exc)
    if "no matching overload" in text or "no such overload" in text:
        return "类型不匹配：比较或运算的两边类型不同（例如把整数和文本比较，文本要加引号，数字不要加引号）"
    return f"无法计算：{text[:120]}"


def check_condition(expr: str, subjects: tuple[str, ...]) -> None:
    """Raise RuleError unless expr is a valid true/false condition over the given subjects."""
    ast = _compile(expr, subjects)
    try:
        result = _run(ast, sample_activation(subjects))
    except celpy.CELEvalError as exc:
        raise RuleError(f"条件“{expr}”{_type_message(exc)}") from exc
    if not isinstance(result, celpy.celtypes.BoolType):
        raise RuleError(f"条件“{expr}”的结果必须是 是/否（例如 talent.age <= 45），现在得到的是一个值")


def check_formula(expr: str, subjects: tuple[str, ...]) -> None:
    """Raise RuleError unless expr computes a number (the amount in yuan)."""
    ast = _compile(expr, subjects)
    try:
        result = _run(ast, sample_activation(subjects))
    except celpy.CELEvalError as exc:
        raise RuleError(f"金额公式“{expr}”{_type_message(exc)}") from exc
    # cel-python may hand back plain Python numbers from arithmetic; booleans are ints in Python
    if isinstance(result, celpy.celtypes.BoolType | bool) or not isinstance(result, int | float):
        raise RuleError(f"金额公式“{expr}”的结果必须是数值（元）")


def evaluate_conditions(conditions: list[dict[str, str]], facts: dict[str, Any]) -> list[ConditionResult]:
    """Evaluate each named condition on real facts; a failure to evaluate counts as not held."""
    results = []
    for cond in conditions:
        ast = _env.compile(cond["expr"])
        try:
            held = bool(_run(ast, facts))
        except celpy.CELEvalError:
            held = False
        results.append(ConditionResult(cond.get("label", ""), cond["expr"], held))
    return results


def evaluate_formula(expr: str, facts: dict[str, Any]) -> Decimal:
    value = _run(_env.compile(expr), facts)
    return Decimal(str(float(value))).quantize(Decimal("0.01"))
