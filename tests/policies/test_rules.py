"""Mistakes in a policy's rules are caught, in plain Chinese, when the policy is saved."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from rencai.policies.examples import EXAMPLE_POLICIES
from rencai.policies.models import Policy, PolicyVersion
from rencai.policies.rules import RuleError, check_condition, check_formula, evaluate_conditions
from rencai.policies.validation import validate_conditions, validate_level_shares, validate_schedule

TALENT = ("talent",)


def test_a_syntax_error_names_the_expression():
    with pytest.raises(RuleError, match="表达式语法错误.*talent.age <="):
        check_condition("talent.age <=", TALENT)


def test_an_unknown_field_lists_the_fields_that_exist():
    with pytest.raises(RuleError, match="talent 没有字段“salary”。可用字段：tier、degree"):
        check_condition("talent.salary > 10000", TALENT)


def test_an_unknown_name_says_which_names_may_be_used():
    with pytest.raises(RuleError, match="未知的名称“person”：只能使用 talent"):
        check_condition("person.age > 1", TALENT)


def test_enterprise_fields_are_not_available_in_a_talent_policy():
    with pytest.raises(RuleError, match="未知的名称“enterprise”"):
        check_condition("enterprise.rd_spending > 1.0", TALENT)


def test_comparing_a_number_with_text_is_a_type_error():
    with pytest.raises(RuleError, match="类型不匹配"):
        check_condition('talent.age <= "35"', TALENT)


def test_a_condition_must_be_true_or_false():
    with pytest.raises(RuleError, match="结果必须是 是/否"):
        check_condition("talent.age + 1", TALENT)


def test_a_formula_must_give_a_number():
    with pytest.raises(RuleError, match="结果必须是数值"):
        check_formula('talent.degree == "博士"', TALENT)
    check_formula('talent.degree == "博士" ? 100000.0 : 30000.0', TALENT)


def test_empty_expression_is_refused():
    with pytest.raises(RuleError, match="不能为空"):
        check_condition("  ", TALENT)


def test_python_is_not_evaluated():
    with pytest.raises(RuleError):
        check_condition("__import__('os').system('true')", TALENT)


def test_each_bad_condition_is_reported_with_its_number():
    with pytest.raises(ValidationError) as info:
        validate_conditions([{"label": "年龄", "expr": "talent.age <= 45"},
                             {"label": "学位", "expr": "talent.degre == 1"}], TALENT)
    assert "第2条条件（学位）：talent 没有字段“degre”" in str(info.value)


def test_schedule_shares_must_sum_to_one():
    with pytest.raises(ValidationError, match="合计应为 1，现在是 0.9"):
        validate_schedule([{"after_months": 0, "share": "0.5"}, {"after_months": 12, "share": "0.4"}])


def test_level_shares_name_real_levels_and_sum_to_one():
    with pytest.raises(ValidationError, match="未知的政府层级：province"):
        validate_level_shares({"province": "1"})
    with pytest.raises(ValidationError, match="合计应为 1"):
        validate_level_shares({"city": "0.5", "district": "0.6"})


@pytest.mark.django_db
def test_saving_a_version_with_a_bad_rule_through_full_clean_is_refused():
    policy = Policy.objects.get(code="housing_subsidy")
    version = PolicyVersion(policy=policy, number=2, clauses="第二条", effective_from=date(2026, 1, 1),
                            conditions=[{"label": "年龄", "expr": "talent.age < '40'"}], amount=Decimal("1"),
                            schedule=[{"after_months": 0, "share": "1"}], level_shares={"district": "1"})
    with pytest.raises(ValidationError, match="类型不匹配"):
        version.full_clean()


@pytest.mark.django_db
def test_every_shipped_example_policy_passes_the_save_checks():
    assert {p["code"] for p in EXAMPLE_POLICIES} <= set(Policy.objects.values_list("code", flat=True))
    for version in PolicyVersion.objects.select_related("policy"):
        version.full_clean()


def test_evaluating_reports_each_condition_that_held():
    results = evaluate_conditions(
        [{"label": "博士", "expr": 'talent.degree == "博士"'}, {"label": "年轻", "expr": "talent.age <= 35"}],
        {"talent": {"degree": "博士", "age": 40}},
    )
    assert [(r.label, r.held) for r in results] == [("博士", True), ("年轻", False)]
