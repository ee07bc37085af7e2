"""序时进度 (progress against time) and the year-end forecast with an interval and the chance of reaching target.

The forecast extrapolates the monthly increments seen so far. The remaining k months add k·m̄ in expectation,
with variance k·s² (month-to-month noise; for counts never below the Poisson variance m̄) plus k²·s²/n (the
uncertainty of m̄ itself, estimated from n months). Normal approximation; P(reach) = P(end ≥ target)."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from scipy.stats import norm


@dataclass(frozen=True)
class Forecast:
    expected: float
    low: float  # 80% interval
    high: float
    chance: float  # probability of reaching the target, 0..1

    @property
    def chance_percent(self) -> int:
        return round(self.chance * 100)


def forecast_year_end(month_ends: list[int], target: float | None, *, counts: bool = True,
                      level: float = 0.8, elapsed: float | None = None) -> Forecast:
    """`month_ends`: the figure at the end of each elapsed month of the year (January first); the last may be
    today's figure, with `elapsed` the months gone so far (e.g. 11.2 on 7 December)."""
    if not month_ends:
        return Forecast(0.0, 0.0, 0.0, 0.0)
    now = float(month_ends[-1])
    remaining = 12 - (elapsed if elapsed is not None else len(month_ends))
    increments = [float(b - a) for a, b in zip([0, *month_ends[:-1]], month_ends, strict=True)]
    if counts is False:
        increments = increments[1:] or [0.0]  # a stock's first month-end is its level, not an increment
    n = len(increments)
    mean = sum(increments) / n
    if counts and elapsed:
        mean = now / elapsed  # a partial current month: the rate per month so far
    var = sum((x - mean) ** 2 for x in increments) / (n - 1) if n > 1 else abs(mean)
    if counts:
        var = max(var, mean)
    expected = now + remaining * mean
    sd = math.sqrt(remaining * var + remaining**2 * var / n) if remaining else 0.0
    z = float(norm.ppf(0.5 + level / 2))
    low, high = expected - z * sd, expected + z * sd
    if counts:
        low = max(low, now)
    if target is None:
        chance = 0.0
    elif sd == 0:
        chance = 1.0 if expected >= target else 0.0
    else:
        chance = float(1 - norm.cdf((target - 0.5 - expected) / sd)) if counts else \
            float(1 - norm.cdf((target - expected) / sd))
    return Forecast(round(expected, 1), round(low, 1), round(high, 1), round(chance, 3))


def time_share(on: datetime.date) -> float:
    """The share of the year elapsed at the end of `on` (the 序时 in 序时进度)."""
    start = datetime.date(on.year, 1, 1)
    days = (datetime.date(on.year + 1, 1, 1) - start).days
    return ((on - start).days + 1) / days


def rag(actual: float, target: float, on: datetime.date, *, amber_band: float = 0.1) -> str:
    """green: at or ahead of time; amber: behind by less than `amber_band` of the target; red: further behind."""
    if target <= 0:
        return "green"
    progress = actual / target
    share = time_share(on)
    if progress >= share:
        return "green"
    if progress >= share - amber_band:
        return "amber"
    return "red"


RAG_LABELS = {"green": "正常", "amber": "预警", "red": "滞后"}
