"""序时进度 and the year-end forecast on known series."""

import datetime

from rencai.targets.forecast import forecast_year_end, rag, time_share


def test_a_steady_series_forecasts_its_line_and_a_reachable_target_is_likely():
    months = [10 * m for m in range(1, 7)]  # ten a month, January to June
    fc = forecast_year_end(months, target=100)
    assert fc.expected == 120
    assert fc.low < 120 < fc.high
    assert fc.chance > 0.9
    assert forecast_year_end(months, target=200).chance < 0.01


def test_the_interval_narrows_as_the_year_goes_on_and_a_year_end_figure_is_certain():
    early = forecast_year_end([10, 20, 30], target=120)
    late = forecast_year_end([10 * m for m in range(1, 11)], target=120)
    assert (late.high - late.low) < (early.high - early.low)
    done = forecast_year_end([10 * m for m in range(1, 13)], target=120)
    assert (done.expected, done.low, done.high, done.chance) == (120, 120, 120, 1.0)


def test_a_stock_series_extrapolates_its_net_change():
    fc = forecast_year_end([100, 102, 104, 106, 108, 110], target=None, counts=False)
    assert fc.expected == 122


def test_rag_against_time():
    mid = datetime.date(2025, 7, 1)  # half the year gone
    assert round(time_share(mid), 2) == 0.5
    assert rag(50, 100, mid) == "green"
    assert rag(45, 100, mid) == "amber"
    assert rag(30, 100, mid) == "red"
