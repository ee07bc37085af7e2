"""The assignment plan: who serves which need, for the best total score under the office's constraints.

A transportation problem solved as min-cost flow (OR-Tools), optimal and fast:
    source →(需求人数)→ need →(1, −score)→ talent →(1 lead + N service projects)→ sink
with a zero-cost bypass source → sink so a need may stay (partly) unserved. Only good fits become arcs:
pairs scoring at least the minimum, not forbidden (declared conflicts, same employer, office exclusions),
not declared unfit by the caller (a stated 学历/职称 requirement unmet, no evidence beyond a shared word),
and scoring at least `relative_floor` × the need's best fit, so a need whose best is taken elsewhere, or
that asks for two people, is not filled with a much weaker one: it stays short and says why.
Pins (pairs the office fixed) are placed first. CP-SAT and scipy's HiGHS solve the same model for
comparison (`solver=`); the bench measures all three.
For every need left short the plan says why, in the words a clerk would use.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from .records import Key

__all__ = ["Plan", "PlanNeed", "plan"]

Solver = Literal["flow", "cpsat", "highs"]
Pair = tuple[Key, Key]  # (need key, talent key)
_SCALE = 100_000  # scores to integer costs: 1e-5 resolution


@dataclass(frozen=True, slots=True)
class PlanNeed:
    """A need as the planner sees it: its demand and every ranked candidate (after filters)."""

    key: Key
    demand: int
    candidates: Sequence[tuple[Key, float]]  # (talent key, score), any order


@dataclass(slots=True)
class Plan:
    assigned: dict[Key, list[Key]]  # need → talents, best score first
    roles: dict[Pair, str]  # (need, talent) → 牵头 (the talent's best project) or 服务
    unassigned: dict[Key, str]  # need → why it is short, in plain Chinese
    total: float
    solver: str
    seconds: float
    rejected_pins: dict[Pair, str] = field(default_factory=dict)

    def pairs(self) -> list[Pair]:
        return [(need, talent) for need, talents in self.assigned.items() for talent in talents]


def plan(
    needs: Sequence[PlanNeed],
    *,
    min_score: float = 0.0,
    lead: int = 1,
    service: int = 2,
    capacity: Mapping[Key, int] | None = None,
    forbidden: Mapping[Pair, str] | None = None,
    pins: Sequence[Pair] = (),
    names: Mapping[Key, str] | None = None,
    filtered: Mapping[Key, str] | None = None,
    unfit: Mapping[Pair, str] | None = None,
    relative_floor: float = 0.0,
    solver: Solver = "flow",
    time_limit: float | None = None,
) -> Plan:
    """Assign talents to needs for the best total score.

    capacity: per-talent total projects, overriding lead + service (the "1+N" model) for that talent.
    forbidden: pair → why it may not be made ("与企业存在利益冲突", "与企业同属一个单位", …).
    names: talent key → name, for the reasons. filtered: need → a sentence on candidates the filters
    removed, used when nothing else explains a shortfall. unfit: pair → why it is not a good fit (never
    planned, except as a pin). relative_floor: a pair must score at least this share of its need's best fit
    (the best allowed candidate at or above the minimum), 0 to switch off. time_limit (seconds) bounds
    CP-SAT and HiGHS, which then return their best plan found, not proven optimal; min-cost flow needs none.
    """
    started = time.perf_counter()
    forbidden = forbidden or {}
    names = names or {}
    default_capacity = max(0, lead) + max(0, service)
    scores = {(n.key, t): s for n in needs for t, s in n.candidates}

    def room(talent: Key) -> int:
        return capacity.get(talent, default_capacity) if capacity else default_capacity

    fixed, rejected = _place_pins(needs, pins, forbidden, room)
    used: dict[Key, int] = {}
    for _need, talent in fixed:
        used[talent] = used.get(talent, 0) + 1
    demand = {n.key: max(0, n.demand) - sum(1 for need, _t in fixed if need == n.key) for n in needs}
    unfit = unfit or {}
    best = _best_fits(needs, min_score, forbidden, unfit)
    arcs = [
        (n.key, talent, score)
        for n in needs
        for talent, score in n.candidates
        if score >= min_score
        and score >= relative_floor * best.get(n.key, 0.0)
        and (n.key, talent) not in forbidden
        and (n.key, talent) not in unfit
        and (n.key, talent) not in fixed
    ]
    left = {t: room(t) - used.get(t, 0) for _n, t, _s in arcs}
    chosen = _SOLVERS[solver](arcs, demand, left, time_limit)
    pairs = list(fixed) + chosen
    assigned = _grouped(needs, pairs, scores)
    result = Plan(
        assigned=assigned,
        roles=_roles(pairs, scores, lead),
        unassigned={},
        total=float(sum(scores.get(p, 0.0) for p in pairs)),
        solver=solver,
        seconds=0.0,
        rejected_pins=rejected,
    )
    why = _Why(
        needs,
        result,
        min_score,
        forbidden,
        names,
        filtered or {},
        room,
        default_capacity,
        lead,
        unfit,
        relative_floor,
        best,
    )
    result.unassigned = why.all()
    result.seconds = time.perf_counter() - started
    return result


def _best_fits(
    needs: Sequence[PlanNeed], min_score: float, forbidden: Mapping[Pair, str], unfit: Mapping[Pair, str]
) -> dict[Key, float]:
    """Each need's best score among the candidates the plan may use (the reference of `relative_floor`)."""
    best: dict[Key, float] = {}
    for need in needs:
        for talent, score in need.candidates:
            pair = (need.key, talent)
            if score >= min_score and pair not in forbidden and pair not in unfit and score > best.get(need.key, 0.0):
                best[need.key] = score
    return best


def _place_pins(
    needs: Sequence[PlanNeed], pins: Sequence[Pair], forbidden: Mapping[Pair, str], room: Callable[[Key], int]
) -> tuple[list[Pair], dict[Pair, str]]:
    demand = {n.key: max(0, n.demand) for n in needs}
    fixed: list[Pair] = []
    rejected: dict[Pair, str] = {}
    used: dict[Key, int] = {}
    for pair in dict.fromkeys(pins):
        need, talent = pair
        if need not in demand:
            rejected[pair] = "需求不在本次对接范围内"
        elif pair in forbidden:
            rejected[pair] = forbidden[pair]
        elif demand[need] <= 0:
            rejected[pair] = "需求人数已满"
        elif used.get(talent, 0) >= room(talent):
            rejected[pair] = "人才的项目名额已满"
        else:
            fixed.append(pair)
            demand[need] -= 1
            used[talent] = used.get(talent, 0) + 1
    return fixed, rejected


# ---- solvers: each takes arcs (need, talent, score), remaining demand and capacity; returns chosen pairs


def _solve_flow(
    arcs: list[tuple[Key, Key, float]], demand: dict[Key, int], left: dict[Key, int], _limit: float | None
) -> list[Pair]:
    from ortools.graph.python import min_cost_flow

    arcs = [a for a in arcs if demand.get(a[0], 0) > 0 and left.get(a[1], 0) > 0]
    if not arcs:
        return []
    need_ids = {key: 2 + i for i, key in enumerate(dict.fromkeys(a[0] for a in arcs))}
    talent_ids = {key: 2 + len(need_ids) + i for i, key in enumerate(dict.fromkeys(a[1] for a in arcs))}
    supply = sum(demand[key] for key in need_ids)
    flow = min_cost_flow.SimpleMinCostFlow()
    tails = [0] * len(need_ids) + [need_ids[n] for n, _t, _s in arcs] + list(talent_ids.values()) + [0]
    heads = list(need_ids.values()) + [talent_ids[t] for _n, t, _s in arcs] + [1] * len(talent_ids) + [1]
    caps = [demand[k] for k in need_ids] + [1] * len(arcs) + [left[k] for k in talent_ids] + [supply]
    costs = [0] * len(need_ids) + [-round(s * _SCALE) for _n, _t, s in arcs] + [0] * len(talent_ids) + [0]
    first = flow.add_arcs_with_capacity_and_unit_cost(
        np.asarray(tails, dtype=np.int32),
        np.asarray(heads, dtype=np.int32),
        np.asarray(caps, dtype=np.int64),
        np.asarray(costs, dtype=np.int64),
    )
    flow.set_node_supply(0, supply)
    flow.set_node_supply(1, -supply)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: {status}")
    offset = int(first[len(need_ids)])
    flows = flow.flows(np.arange(offset, offset + len(arcs)))
    return [(n, t) for (n, t, _s), f in zip(arcs, flows, strict=True) if f > 0]


def _solve_cpsat(
    arcs: list[tuple[Key, Key, float]], demand: dict[Key, int], left: dict[Key, int], limit: float | None
) -> list[Pair]:
    from ortools.sat.python import cp_model

    arcs = [a for a in arcs if demand.get(a[0], 0) > 0 and left.get(a[1], 0) > 0]
    if not arcs:
        return []
    model = cp_model.CpModel()
    chosen = [model.new_bool_var(f"x{i}") for i in range(len(arcs))]
    by_need: dict[Key, list[cp_model.IntVar]] = {}
    by_talent: dict[Key, list[cp_model.IntVar]] = {}
    for var, (need, talent, _s) in zip(chosen, arcs, strict=True):
        by_need.setdefault(need, []).append(var)
        by_talent.setdefault(talent, []).append(var)
    for need, variables in by_need.items():
        model.add(sum(variables) <= demand[need])
    for talent, variables in by_talent.items():
        model.add(sum(variables) <= left[talent])
    model.maximize(sum(round(s * _SCALE) * v for v, (_n, _t, s) in zip(chosen, arcs, strict=True)))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    if limit is not None:
        solver.parameters.max_time_in_seconds = limit
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RuntimeError(f"CP-SAT found no plan: {solver.status_name(status)}")
    return [(n, t) for v, (n, t, _s) in zip(chosen, arcs, strict=True) if solver.value(v)]


def _solve_highs(
    arcs: list[tuple[Key, Key, float]], demand: dict[Key, int], left: dict[Key, int], limit: float | None
) -> list[Pair]:
    from scipy import sparse
    from scipy.optimize import Bounds, LinearConstraint, milp

    arcs = [a for a in arcs if demand.get(a[0], 0) > 0 and left.get(a[1], 0) > 0]
    if not arcs:
        return []
    needs = {key: i for i, key in enumerate(dict.fromkeys(a[0] for a in arcs))}
    talents = {key: len(needs) + i for i, key in enumerate(dict.fromkeys(a[1] for a in arcs))}
    rows = [needs[n] for n, _t, _s in arcs] + [talents[t] for _n, t, _s in arcs]
    columns = list(range(len(arcs))) * 2
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, columns)), shape=(len(needs) + len(talents), len(arcs)))
    upper = np.asarray([demand[k] for k in needs] + [left[k] for k in talents], dtype=float)
    result = milp(
        c=-np.asarray([round(s * _SCALE) for _n, _t, s in arcs], dtype=float),
        constraints=LinearConstraint(matrix, -np.inf, upper),
        # every variable integer (milp reads 0/1 flags); the matrix is totally unimodular: solved at the root
        integrality=np.ones(len(arcs), dtype=np.int_),
        bounds=Bounds(0, 1),
        options={"time_limit": limit} if limit is not None else None,
    )
    if result.x is None:
        raise RuntimeError(f"HiGHS failed: {result.message}")
    return [(n, t) for (n, t, _s), x in zip(arcs, result.x, strict=True) if x > 0.5]


_SOLVERS = {"flow": _solve_flow, "cpsat": _solve_cpsat, "highs": _solve_highs}


def _grouped(needs: Sequence[PlanNeed], pairs: list[Pair], scores: dict[Pair, float]) -> dict[Key, list[Key]]:
    assigned: dict[Key, list[Key]] = {n.key: [] for n in needs}
    for need, talent in pairs:
        assigned[need].append(talent)
    for need, talents in assigned.items():

        def by_score(t: Key, n: Key = need) -> float:
            return -scores.get((n, t), 0.0)

        talents.sort(key=by_score)
    return assigned


def _roles(pairs: list[Pair], scores: dict[Pair, float], lead: int) -> dict[Pair, str]:
    """A talent leads its `lead` best-scoring projects and serves on the rest ("1+N")."""
    by_talent: dict[Key, list[Pair]] = {}
    for pair in pairs:
        by_talent.setdefault(pair[1], []).append(pair)
    roles: dict[Pair, str] = {}
    for own in by_talent.values():
        own.sort(key=lambda p: -scores.get(p, 0.0))
        for rank, pair in enumerate(own):
            roles[pair] = "牵头" if rank < lead else "服务"
    return roles


@dataclass(slots=True)
class _Why:
    """Explains each shortfall by the first reason that applies, strongest first."""

    needs: Sequence[PlanNeed]
    result: Plan
    min_score: float
    forbidden: Mapping[Pair, str]
    names: Mapping[Key, str]
    filtered: Mapping[Key, str]
    room: Callable[[Key], int]
    default_capacity: int
    lead: int
    unfit: Mapping[Pair, str]
    relative_floor: float
    best: Mapping[Key, float]

    def all(self) -> dict[Key, str]:
        load: dict[Key, int] = {}
        for pair in self.result.pairs():
            load[pair[1]] = load.get(pair[1], 0) + 1
        out: dict[Key, str] = {}
        for need in self.needs:
            got = len(self.result.assigned[need.key])
            if got < need.demand:
                reason = self._reason(need, load)
                out[need.key] = reason if got == 0 else f"需求 {need.demand} 人，只安排了 {got} 人：{reason}"
        return out

    def _reason(self, need: PlanNeed, load: dict[Key, int]) -> str:
        mine = set(self.result.assigned[need.key])
        ranked = sorted(need.candidates, key=lambda c: -c[1])
        if not ranked:
            return self.filtered.get(need.key) or "没有找到研究方向与需求相关的人才"
        qualified = [(t, s) for t, s in ranked if s >= self.min_score and t not in mine]
        if not qualified:
            best_talent, best = ranked[0]
            if need.key in self.filtered:
                return self.filtered[need.key]
            if mine:
                return f"其余候选人都没有达到最低分 {self.min_score:.2f}"
            return f"没有候选人达到最低分 {self.min_score:.2f}（最高 {best:.2f}：{self._name(best_talent)}）"
        allowed = [(t, s) for t, s in qualified if (need.key, t) not in self.forbidden]
        if not allowed:
            return self._all_forbidden(need, qualified)
        fit = [(t, s) for t, s in allowed if (need.key, t) not in self.unfit]
        if not fit:
            return self._all_unfit(need, allowed, bool(mine))
        reference = self.best.get(need.key, 0.0)
        close = [(t, s) for t, s in fit if s >= self.relative_floor * reference]
        weaker = self._weaker(reference, len(fit) - len(close))
        if not close:
            return f"其余候选人{weaker}"
        full = [t for t, _s in close if load.get(t, 0) >= self.room(t)]
        if len(full) == len(close):
            shown = "、".join(self._name(t) for t in full[:3]) + ("等" if len(full) > 3 else "")
            also = f"；其余候选人{weaker}" if len(close) < len(fit) else ""
            return f"候选人都已被分配满（{shown}已用完 {self._quota()} 个项目名额）{also}"
        return "候选人已安排到得分更高的其他需求"  # not reached by an optimal plan; kept as a safe default

    def _weaker(self, reference: float, count: int) -> str:
        share = f"{self.relative_floor:.0%}"
        return f"得分不到该需求最佳人选（{reference:.2f}）的 {share}，不予安排" if count else ""

    def _all_unfit(self, need: PlanNeed, allowed: list[tuple[Key, float]], some_assigned: bool) -> str:
        talent, score = allowed[0]
        why = self.unfit[(need.key, talent)]
        if len(allowed) == 1:
            who = "其余唯一的候选人" if some_assigned else "达到最低分的唯一候选人"
            return f"{who}{self._name(talent)}（{score:.2f}）不够合适：{why}"
        who = "其余" if some_assigned else "达到最低分的"
        return f"{who} {len(allowed)} 位候选人都不够合适（最高 {score:.2f}：{self._name(talent)}，{why}）"

    def _all_forbidden(self, need: PlanNeed, qualified: list[tuple[Key, float]]) -> str:
        kinds = list(dict.fromkeys(self.forbidden[(need.key, t)] for t, _s in qualified))
        if len(qualified) == 1:
            return f"唯一的候选人{self._name(qualified[0][0])}{kinds[0]}"
        if len(kinds) == 1:
            return f"达到最低分的 {len(qualified)} 位候选人都{kinds[0]}"
        return f"达到最低分的 {len(qualified)} 位候选人都不能安排（" + "、".join(kinds) + "）"

    def _quota(self) -> str:
        return f"{self.lead}+{self.default_capacity - self.lead}"

    def _name(self, talent: Key) -> str:
        return self.names.get(talent, str(talent))
