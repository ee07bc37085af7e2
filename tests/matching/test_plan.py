"""The plan never breaks a constraint, is optimal (checked by brute force), and says why a need is short."""

from __future__ import annotations

from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rencai.matching.engine.plan import PlanNeed, plan

SOLVERS = ("flow", "cpsat", "highs")


@st.composite
def problems(draw: st.DrawFn, max_needs: int = 4, max_talents: int = 4) -> dict:
    needs = draw(st.integers(1, max_needs))
    talents = draw(st.integers(1, max_talents))
    scores = draw(
        st.lists(
            st.lists(st.one_of(st.none(), st.floats(0.0, 1.0)), min_size=talents, max_size=talents),
            min_size=needs,
            max_size=needs,
        )
    )
    demands = draw(st.lists(st.integers(0, 3), min_size=needs, max_size=needs))
    capacity = draw(st.lists(st.integers(0, 3), min_size=talents, max_size=talents))
    pairs = [(n, 100 + t) for n in range(needs) for t in range(talents) if scores[n][t] is not None]
    forbidden = draw(st.lists(st.sampled_from(pairs), unique=True) if pairs else st.just([]))
    return {
        "needs": [
            PlanNeed(n, demands[n], [(100 + t, s) for t, s in enumerate(scores[n]) if s is not None])
            for n in range(needs)
        ],
        "capacity": {100 + t: c for t, c in enumerate(capacity)},
        "forbidden": dict.fromkeys(forbidden, "与企业存在利益冲突"),
        "min_score": draw(st.sampled_from([0.0, 0.2, 0.35, 0.6])),
    }


def _run(problem: dict, solver: str = "flow", pins: tuple = ()) -> object:
    return plan(
        problem["needs"],
        min_score=problem["min_score"],
        capacity=problem["capacity"],
        forbidden=problem["forbidden"],
        pins=pins,
        solver=solver,  # type: ignore[arg-type]
    )


def _check_constraints(problem: dict, result: object) -> None:
    pairs = result.pairs()  # type: ignore[attr-defined]
    assert len(pairs) == len(set(pairs)), "a talent is assigned twice to one need"
    scores = {(n.key, t): s for n in problem["needs"] for t, s in n.candidates}
    for need in problem["needs"]:
        assert len(result.assigned[need.key]) <= need.demand  # type: ignore[attr-defined]
    load: dict[int, int] = {}
    for need, talent in pairs:
        load[talent] = load.get(talent, 0) + 1
        assert (need, talent) not in problem["forbidden"]
        assert scores[(need, talent)] >= problem["min_score"]
    for talent, used in load.items():
        assert used <= problem["capacity"][talent]


def _brute_force(problem: dict) -> float:
    arcs = [
        (n.key, t, s)
        for n in problem["needs"]
        for t, s in n.candidates
        if s >= problem["min_score"] and (n.key, t) not in problem["forbidden"]
    ]
    demand = {n.key: n.demand for n in problem["needs"]}
    best = 0.0
    for size in range(len(arcs) + 1):
        for chosen in combinations(arcs, size):
            need_load: dict[int, int] = {}
            talent_load: dict[int, int] = {}
            for n, t, _s in chosen:
                need_load[n] = need_load.get(n, 0) + 1
                talent_load[t] = talent_load.get(t, 0) + 1
            if all(v <= demand[k] for k, v in need_load.items()) and all(
                v <= problem["capacity"][k] for k, v in talent_load.items()
            ):
                best = max(best, sum(s for _n, _t, s in chosen))
    return best


@settings(max_examples=300, deadline=None)
@given(problems(max_needs=5, max_talents=5))
def test_constraints_are_never_violated(problem: dict) -> None:
    _check_constraints(problem, _run(problem))


@settings(max_examples=150, deadline=None)
@given(problems(max_needs=3, max_talents=4))
def test_the_total_is_optimal_against_brute_force(problem: dict) -> None:
    arcs = sum(len(n.candidates) for n in problem["needs"])
    if arcs > 12:  # 2^12 subsets is as far as brute force goes in a unit test
        return
    best = _brute_force(problem)
    for solver in SOLVERS:
        result = _run(problem, solver)
        _check_constraints(problem, result)
        # Costs are integers at 1e-5 resolution; a tie broken differently may differ by rounding only.
        assert result.total == pytest.approx(best, abs=1e-4 * (arcs + 1)), solver


@settings(max_examples=200, deadline=None)
@given(problems(), st.data())
def test_every_short_need_is_explained(problem: dict, data: st.DataObject) -> None:
    result = _run(problem)
    for need in problem["needs"]:
        short = len(result.assigned[need.key]) < need.demand
        assert (need.key in result.unassigned) == short
        if short:
            assert result.unassigned[need.key].strip()


@settings(max_examples=200, deadline=None)
@given(problems(), st.data())
def test_pins_are_placed_within_the_constraints(problem: dict, data: st.DataObject) -> None:
    pairs = [(n.key, t) for n in problem["needs"] for t, _s in n.candidates]
    pins = tuple(data.draw(st.lists(st.sampled_from(pairs), max_size=3)) if pairs else [])
    result = _run(problem, pins=pins)
    chosen = set(result.pairs())
    for pin in pins:
        assert pin in chosen or pin in result.rejected_pins
    # Pins may be below the minimum score (the office decided), but never break capacity or conflicts.
    relaxed = {**problem, "min_score": 0.0}
    _check_constraints(relaxed, result)


def test_roles_follow_one_lead_plus_n_service_projects() -> None:
    needs = [PlanNeed(n, 1, [("t", 0.9 - n / 10)]) for n in range(4)]
    result = plan(needs, lead=1, service=2)
    assert sorted(result.roles.values()) == ["服务", "服务", "牵头"]
    assert result.roles[(0, "t")] == "牵头"  # the best-scoring project is the one the talent leads
    assert result.unassigned[3].startswith("候选人都已被分配满")


def test_why_a_need_has_no_one_names_the_minimum_score() -> None:
    result = plan([PlanNeed(9, 1, [("a", 0.21), ("b", 0.28)])], min_score=0.35, names={"b": "王芳"})
    assert result.unassigned[9] == "没有候选人达到最低分 0.35（最高 0.28：王芳）"


def test_why_the_only_candidate_is_excluded_for_a_conflict() -> None:
    result = plan(
        [PlanNeed(3, 1, [("a", 0.8), ("b", 0.1)])],
        min_score=0.35,
        forbidden={(3, "a"): "与企业存在利益冲突"},
        names={"a": "张伟"},
    )
    assert result.unassigned[3] == "唯一的候选人张伟与企业存在利益冲突"


def test_a_partly_served_need_says_how_many_are_missing() -> None:
    result = plan([PlanNeed(5, 3, [("a", 0.8), ("b", 0.2)])], min_score=0.35)
    assert result.assigned[5] == ["a"]
    assert result.unassigned[5].startswith("需求 3 人，只安排了 1 人：")


def test_the_plan_prefers_the_best_total_over_greedy_choices() -> None:
    # Greedy would give talent x to need 1 (0.9) and leave need 2 empty; the optimum serves both.
    needs = [PlanNeed(1, 1, [("x", 0.9), ("y", 0.8)]), PlanNeed(2, 1, [("x", 0.85)])]
    result = plan(needs, lead=1, service=0)
    assert result.assigned == {1: ["y"], 2: ["x"]}
    assert result.total == pytest.approx(1.65)
