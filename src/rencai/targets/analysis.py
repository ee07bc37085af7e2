"""The methods of a policy-effect evaluation, small and tested: Kaplan–Meier retention with Greenwood
intervals, two-way fixed-effects difference-in-differences and an event study with standard errors
clustered by zone (CR1), a joint pre-trend test, and standardised mean differences for balance."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import chi2, norm
from scipy.stats import t as student_t


@dataclass(frozen=True)
class KMCurve:
    times: list[float]  # event times
    survival: list[float]
    low: list[float]
    high: list[float]
    n: int

    def at(self, time: float) -> tuple[float, float, float]:
        """S(t) and its 95% interval at `time`."""
        s, lo, hi = 1.0, 1.0, 1.0
        for t_, s_, l_, h_ in zip(self.times, self.survival, self.low, self.high, strict=True):
            if t_ <= time:
                s, lo, hi = s_, l_, h_
        return s, lo, hi


def kaplan_meier(durations: Sequence[float], events: Sequence[bool]) -> KMCurve:
    """`events[i]` True when person i left (the event) at `durations[i]`; False when still there (censored)."""
    d = np.asarray(durations, dtype=float)
    e = np.asarray(events, dtype=bool)
    times: list[float] = []
    surv: list[float] = []
    low: list[float] = []
    high: list[float] = []
    s, greenwood = 1.0, 0.0
    z = float(norm.ppf(0.975))
    for time in sorted(set(d[e].tolist())):
        at_risk = int((d >= time).sum())
        deaths = int(((d == time) & e).sum())
        s *= 1 - deaths / at_risk
        if at_risk > deaths:
            greenwood += deaths / (at_risk * (at_risk - deaths))
        times.append(time)
        surv.append(s)
        if 0 < s < 1:  # log(-log) interval, stays inside (0, 1)
            se = math.sqrt(greenwood) / abs(math.log(s))
            low.append(s ** math.exp(z * se))
            high.append(s ** math.exp(-z * se))
        else:
            low.append(s)
            high.append(s)
    return KMCurve(times, surv, low, high, len(d))


@dataclass(frozen=True)
class Estimate:
    value: float
    se: float
    low: float
    high: float
    p: float

    def as_dict(self) -> dict[str, float]:
        return {"value": self.value, "se": self.se, "low": self.low, "high": self.high, "p": self.p}


def ols_clustered(X: np.ndarray, y: np.ndarray, clusters: Sequence[object]) -> tuple[np.ndarray, np.ndarray]:
    """OLS coefficients and their CR1 cluster-robust covariance."""
    xtx_inv = np.linalg.pinv(X.T @ X)
    beta = xtx_inv @ X.T @ y
    resid = y - X @ beta
    groups: dict[object, list[int]] = {}
    for i, c in enumerate(clusters):
        groups.setdefault(c, []).append(i)
    meat = np.zeros((X.shape[1], X.shape[1]))
    for idx in groups.values():
        score = X[idx].T @ resid[idx]
        meat += np.outer(score, score)
    g, n, k = len(groups), X.shape[0], np.linalg.matrix_rank(X)
    factor = (g / (g - 1)) * ((n - 1) / (n - k)) if g > 1 and n > k else 1.0
    return beta, factor * xtx_inv @ meat @ xtx_inv


def _fixed_effects(units: Sequence[object], periods: Sequence[object]) -> np.ndarray:
    unit_levels = sorted(set(units), key=str)
    period_levels = sorted(set(periods), key=str)
    cols = [np.ones(len(units))]
    cols += [np.array([u == lv for u in units], dtype=float) for lv in unit_levels[1:]]
    cols += [np.array([p == lv for p in periods], dtype=float) for lv in period_levels[1:]]
    return np.column_stack(cols)


def _estimate(beta: float, var: float, clusters: int) -> Estimate:
    se = math.sqrt(max(var, 0.0))
    dof = max(clusters - 1, 1)
    crit = float(student_t.ppf(0.975, dof))
    p = float(2 * (1 - student_t.cdf(abs(beta) / se, dof))) if se > 0 else 0.0
    return Estimate(round(beta, 6), round(se, 6), round(beta - crit * se, 6), round(beta + crit * se, 6), round(p, 6))


def did(units: Sequence[object], periods: Sequence[int], treated: Sequence[bool], y: Sequence[float]) -> Estimate:
    """Two-way fixed effects: y = unit + period + β·treated_after + ε; SEs clustered by unit."""
    X = np.column_stack([np.asarray(treated, dtype=float), _fixed_effects(units, periods)])
    beta, cov = ols_clustered(X, np.asarray(y, dtype=float), units)
    return _estimate(float(beta[0]), float(cov[0, 0]), len(set(units)))


def event_study(units: Sequence[object], periods: Sequence[int], adoption: dict[object, int | None],
                y: Sequence[float], *, window: int = 3) -> dict[str, object]:
    """Leads and lags around each unit's adoption period (−1 is the reference), binned at ±window; the leads'
    joint Wald test is the pre-trend check."""
    rel_levels = [r for r in range(-window, window + 1) if r != -1]
    rel_cols = []
    for r in rel_levels:
        col = []
        for u, p in zip(units, periods, strict=True):
            a = adoption.get(u)
            if a is None:
                col.append(0.0)
                continue
            rel = max(-window, min(window, p - a))
            col.append(1.0 if rel == r else 0.0)
        rel_cols.append(col)
    X = np.column_stack([np.asarray(rel_cols, dtype=float).T, _fixed_effects(units, periods)])
    beta, cov = ols_clustered(X, np.asarray(y, dtype=float), units)
    g = len(set(units))
    coefs = {r: _estimate(float(beta[i]), float(cov[i, i]), g).as_dict() for i, r in enumerate(rel_levels)}
    leads = [i for i, r in enumerate(rel_levels) if r < -1]
    if leads:
        b = beta[leads]
        v = cov[np.ix_(leads, leads)]
        stat = float(b @ np.linalg.pinv(v) @ b)
        pre_p = float(1 - chi2.cdf(stat, len(leads)))
    else:
        stat, pre_p = 0.0, 1.0
    return {"coefficients": coefs, "pretrend_stat": round(stat, 4), "pretrend_p": round(pre_p, 4)}


def smd(a: Sequence[float], b: Sequence[float]) -> float:
    """Standardised mean difference (|d| < 0.1 is usually read as balanced)."""
    if len(a) < 2 or len(b) < 2:
        return 0.0
    va, vb = float(np.var(a, ddof=1)), float(np.var(b, ddof=1))
    pooled = math.sqrt((va + vb) / 2)
    return 0.0 if pooled == 0 else round((float(np.mean(a)) - float(np.mean(b))) / pooled, 4)


def difference_ci(a: tuple[float, float, float], b: tuple[float, float, float]) -> tuple[float, float, float]:
    """The difference of two KM survivals with an interval from their (approximately normal) 95% intervals."""
    z = float(norm.ppf(0.975))
    se_a = (a[2] - a[1]) / (2 * z)
    se_b = (b[2] - b[1]) / (2 * z)
    diff = a[0] - b[0]
    se = math.sqrt(se_a**2 + se_b**2)
    return diff, diff - z * se, diff + z * se
