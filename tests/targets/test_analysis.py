"""The evaluation's methods on synthetic data: a planted effect is recovered inside its CI; none, none found."""

import numpy as np
import pytest

from rencai.targets.analysis import did, event_study, kaplan_meier, smd


def _panel(effect: float, seed: int) -> tuple[list[str], list[int], list[bool], list[float], dict]:
    rng = np.random.default_rng(seed)
    units, periods, treated, y = [], [], [], []
    adoption = {}
    for u in range(30):
        adopt = (2019 + u % 4) if u < 20 else None  # staggered adoption in 20 zones, 10 never
        adoption[f"z{u}"] = adopt
        level = rng.normal(0.7, 0.05)
        for p in range(2016, 2025):
            on = adopt is not None and p >= adopt
            units.append(f"z{u}")
            periods.append(p)
            treated.append(on)
            y.append(level + 0.01 * (p - 2016) + (effect if on else 0.0) + rng.normal(0, 0.02))
    return units, periods, treated, y, adoption


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_did_recovers_a_planted_effect_inside_its_interval(seed):
    units, periods, treated, y, _ = _panel(0.08, seed)
    est = did(units, periods, treated, y)
    assert est.low <= 0.08 <= est.high
    assert est.low > 0  # and it is found


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_did_finds_nothing_when_nothing_was_planted(seed):
    units, periods, treated, y, _ = _panel(0.0, seed)
    est = did(units, periods, treated, y)
    assert est.low <= 0 <= est.high


def test_event_study_has_flat_leads_and_the_effect_in_the_lags():
    units, periods, _, y, adoption = _panel(0.08, 4)
    es = event_study(units, periods, adoption, y, window=2)
    assert es["pretrend_p"] > 0.05
    lag = es["coefficients"][1]
    assert lag["low"] <= 0.08 <= lag["high"]
    lead = es["coefficients"][-2]
    assert lead["low"] <= 0 <= lead["high"]


def test_event_study_flags_a_pre_trend():
    units, periods, _, y, adoption = _panel(0.0, 5)
    y = [v + (0.05 * (p - (adoption[u] or 9999)) if adoption[u] and p < adoption[u] else 0)
         for u, p, v in zip(units, periods, y, strict=True)]
    assert event_study(units, periods, adoption, y, window=2)["pretrend_p"] < 0.05


def test_kaplan_meier_matches_a_hand_computed_curve_and_recovers_a_planted_retention_gap():
    curve = kaplan_meier([1, 2, 2, 3, 4], [True, True, False, True, False])
    # S(1)=4/5, S(2)=4/5·3/4=0.6, S(3)=0.6·1/2=0.3
    assert [round(s, 4) for s in curve.survival] == [0.8, 0.6, 0.3]
    rng = np.random.default_rng(7)
    def group(rate: float, n: int = 400):
        t = rng.exponential(1 / rate, n)
        return np.minimum(t, 36), t <= 36
    d1, e1 = group(0.01)
    d0, e0 = group(0.03)
    s1 = kaplan_meier(d1, e1).at(24)
    s0 = kaplan_meier(d0, e0).at(24)
    assert s1[1] <= np.exp(-0.01 * 24) <= s1[2]
    assert s0[1] <= np.exp(-0.03 * 24) <= s0[2]
    assert s1[1] > s0[2]  # the gap is found


def test_smd_of_identical_groups_is_zero():
    assert smd([1, 2, 3], [1, 2, 3]) == 0
