"""A policy-effect evaluation's data: the cohort, its comparison groups from the eligibility traces, the
outcomes, the analyses (rencai.targets.analysis) and the pseudonymised extract for a third-party evaluator.

Groups: 受益 (an entitlement on the version, not stopped), 符合条件未受益 (the version's conditions all hold on the
day the person arrived, but no entitlement), 不符合条件 (some condition fails). The trace of each person's
conditions is kept with the cohort, as the policies area keeps it for an entitlement."""

from __future__ import annotations

import datetime
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from rencai.policies.facts import talent_facts
from rencai.policies.models import Entitlement
from rencai.policies.rules import evaluate_conditions
from rencai.targets import analysis
from rencai.targets.models import Evaluation, Stay

GROUPS = {"beneficiary": "受益人员", "eligible": "符合条件未受益", "ineligible": "不符合条件"}
DAYS_PER_MONTH = 30.4375


@dataclass
class Member:
    talent: Any
    stay: Stay
    group: str
    trace: list[dict[str, Any]]
    months: float  # months observed in the zone since arrival
    left: bool


def _months(a: datetime.date, b: datetime.date) -> float:
    return round((b - a).days / DAYS_PER_MONTH, 2)


def cohort(ev: Evaluation, on: datetime.date) -> list[Member]:
    """One member per talent: their first stay in the city's zones, arrived on or after the version took effect."""
    version = ev.version
    stays = (Stay.objects.filter(zone__city=ev.city, arrived_on__gte=version.effective_from, arrived_on__lte=on)
             .select_related("talent", "zone").order_by("talent_id", "arrived_on"))
    if ev.degree:
        stays = stays.filter(talent__degree=ev.degree)
    beneficiaries = set(Entitlement.objects.filter(version=version, talent__isnull=False,
                                                   ).exclude(status="stopped").values_list("talent_id", flat=True))
    members: list[Member] = []
    seen: set[int] = set()
    for stay in stays:
        if stay.talent_id in seen:
            continue
        seen.add(stay.talent_id)
        results = evaluate_conditions(version.conditions or [], talent_facts(stay.talent, stay.arrived_on))
        trace = [{"label": r.label, "expr": r.expr, "held": r.held} for r in results]
        if stay.talent_id in beneficiaries:
            group = "beneficiary"
        elif all(r.held for r in results):
            group = "eligible"
        else:
            group = "ineligible"
        end = stay.left_on if stay.left_on and stay.left_on <= on else on
        members.append(Member(stay.talent, stay, group, trace, _months(stay.arrived_on, end),
                              bool(stay.left_on and stay.left_on <= on)))
    return members


def _covariates(m: Member) -> dict[str, float]:
    t = m.talent
    age = (m.stay.arrived_on.year - t.birth_date.year) if t.birth_date else 0
    return {"age": float(age), "female": 1.0 if t.gender == "女" else 0.0,
            "high_tier": 1.0 if t.tier in ("A", "B") else 0.0}


def _reading(n_months: int, diff: tuple[float, float, float], did_est: dict[str, Any] | None,
             pre_p: float | None, clusters: int = 0) -> str:
    d, lo, hi = (round(x * 100, 1) for x in diff)
    parts = []
    if lo > 0:
        parts.append(f"受益人员到岗{n_months}个月后仍在区的比例比符合条件但未受益的人员高约{d}个百分点"
                     f"（95%置信区间{lo}至{hi}个百分点），差异在统计上可以确认。")
    elif hi < 0:
        parts.append(f"受益人员到岗{n_months}个月后仍在区的比例反而低约{-d}个百分点（95%置信区间{lo}至{hi}），需要查明原因。")
    else:
        parts.append(f"受益人员与符合条件未受益人员{n_months}个月留区比例相差{d}个百分点，但95%置信区间"
                     f"（{lo}至{hi}）包含0，现有数据不能说明政策提高了留区率。")
    if did_est is not None:
        v, lo2, hi2 = (round(did_est[k] * 100, 1) for k in ("value", "low", "high"))
        verdict = "可以确认" if lo2 > 0 or hi2 < 0 else "不能确认"
        parts.append(f"按各区实施时间先后做双重差分，政策实施后半年留区率变化{v}个百分点（95%置信区间{lo2}至{hi2}），{verdict}。")
        if clusters < 10:
            parts.append(f"只有{clusters}个旗区可比，聚类标准误不稳，双重差分仅作参考。")
        if pre_p is not None:
            parts.append("实施前各期趋势无明显差异，比较基础成立。" if pre_p >= 0.05
                         else "实施前各区趋势已有差异，双重差分结果须谨慎解读。")
    parts.append("以上为相关性证据，受益与否并非随机分配，结论宜结合第三方访谈核实。")
    return "".join(parts)


Panel = tuple[list[str], list[int], list[float], dict[str, int | None]]


def _half(d: datetime.date) -> int:
    return d.year * 2 + (0 if d.month <= 6 else 1)


def _half_bounds(h: int) -> tuple[datetime.date, datetime.date]:
    year, second = divmod(h, 2)
    return (datetime.date(year, 7, 1), datetime.date(year, 12, 31)) if second else \
        (datetime.date(year, 1, 1), datetime.date(year, 6, 30))


def zone_half_panel(ev: Evaluation, on: datetime.date) -> Panel:
    """Per zone and half-year: the share of the half's starting stock (with the evaluation's degree) still in
    the zone at its end (or on `on`) — the outcome of the difference-in-differences. Periods are half-years
    numbered year·2 + (0 for January–June, 1 for July–December)."""
    stays = Stay.objects.filter(zone__city=ev.city).select_related("zone")
    if ev.degree:
        stays = stays.filter(talent__degree=ev.degree)
    stays_list = list(stays)
    if not stays_list:
        return [], [], [], {}
    units, periods, y = [], [], []
    for zone_code in sorted({s.zone.code for s in stays_list}):
        for h in range(_half(min(s.arrived_on for s in stays_list)) + 1, _half(on) + 1):
            start, end = _half_bounds(h)
            end = min(end, on)
            stock = [s for s in stays_list if s.zone.code == zone_code and s.arrived_on < start
                     and (s.left_on is None or s.left_on >= start)]
            if len(stock) < 3:
                continue
            stayed = sum(1 for s in stock if s.left_on is None or s.left_on > end)
            units.append(zone_code)
            periods.append(h)
            y.append(stayed / len(stock))
    adoption = {z: (_half(datetime.date.fromisoformat(d)) if d else None) for z, d in (ev.adoption or {}).items()}
    return units, periods, y, adoption


def analyse(ev: Evaluation, *, on: datetime.date) -> dict[str, Any]:
    members = cohort(ev, on)
    n = ev.outcome_months
    out: dict[str, Any] = {"on": on.isoformat(), "counts": {}, "km": {}, "retention": {}, "balance": {}}
    curves = {}
    for key in GROUPS:
        group = [m for m in members if m.group == key]
        out["counts"][key] = len(group)
        if not group:
            continue
        curve = analysis.kaplan_meier([m.months for m in group], [m.left for m in group])
        curves[key] = curve
        out["km"][key] = {"times": curve.times, "survival": [round(s, 4) for s in curve.survival]}
        s, lo, hi = curve.at(n)
        out["retention"][key] = {"value": round(s, 4), "low": round(lo, 4), "high": round(hi, 4)}
    diff = (0.0, 0.0, 0.0)
    if "beneficiary" in curves and "eligible" in curves:
        diff = analysis.difference_ci(curves["beneficiary"].at(n), curves["eligible"].at(n))
        out["difference"] = {"value": round(diff[0], 4), "low": round(diff[1], 4), "high": round(diff[2], 4)}
        ben = [_covariates(m) for m in members if m.group == "beneficiary"]
        eli = [_covariates(m) for m in members if m.group == "eligible"]
        out["balance"] = {k: analysis.smd([r[k] for r in ben], [r[k] for r in eli])
                          for k in ("age", "female", "high_tier")}
    did_est, pre_p = None, None
    units, periods, y, adoption = zone_half_panel(ev, on)
    treated_units = {u for u, a in adoption.items() if a is not None}
    if units and treated_units & set(units) and len(set(units)) > 1:
        treated = [u in treated_units and p >= (adoption[u] or 9999) for u, p in zip(units, periods, strict=True)]
        if any(treated) and not all(treated):
            did_est = analysis.did(units, periods, treated, y).as_dict()
            es = analysis.event_study(units, periods, {u: adoption.get(u) for u in set(units)}, y, window=2)
            pre_p = float(es["pretrend_p"])  # type: ignore[arg-type]
            out["did"] = did_est
            out["event_study"] = es
            out["clusters"] = len(set(units))
    out["reading"] = (_reading(n, diff, did_est, pre_p, out.get("clusters", 0)) if "difference" in out
                      else "各比较组人数不足，暂不能得出结论。")
    return out


# --- the pseudonymised extract ---------------------------------------------------------------------------

CODEBOOK = [
    ("pid", "假名编号（按本次评估的密钥生成，不能还原为个人；同一人在同一评估中编号不变）"),
    ("group", "比较组：beneficiary=受益，eligible=符合条件未受益，ineligible=不符合条件"),
    ("zone", "到岗旗区/园区代码"),
    ("arrival_month", "到岗年月（YYYY-MM）"),
    ("birth_year", "出生年份"),
    ("gender", "性别：M/F/空"),
    ("degree", "最高学位"),
    ("tier", "人才层次（A–E）"),
    ("conditions_held", "政策资格条件满足数/条件总数"),
    ("months_observed", "到岗后在区观察月数（至离区或数据截止日）"),
    ("left", "观察期内是否离区：1=离区，0=仍在区（删失）"),
    ("retained_n", "到岗满N个月时仍在区：1/0；观察不足N个月为空"),
]


def pseudonym(ev: Evaluation, talent_pk: int) -> str:
    return hmac.new(ev.salt.encode(), str(talent_pk).encode(), hashlib.sha256).hexdigest()[:12]


def extract_rows(ev: Evaluation, on: datetime.date) -> list[list[Any]]:
    out = []
    for m in cohort(ev, on):
        t = m.talent
        retained: Any = ""
        if m.months >= ev.outcome_months:
            retained = 1
        elif m.left:
            retained = 0
        out.append([pseudonym(ev, t.pk), m.group, m.stay.zone.code, m.stay.arrived_on.strftime("%Y-%m"),
                    t.birth_date.year if t.birth_date else "", {"男": "M", "女": "F"}.get(t.gender, ""),
                    t.degree, t.tier, f"{sum(1 for c in m.trace if c['held'])}/{len(m.trace)}", m.months,
                    1 if m.left else 0, retained])
    return out
