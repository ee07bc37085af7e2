"""Builders for the targets tests."""

from __future__ import annotations

import datetime

from rencai.targets.models import Indicator, Measure

D = datetime.date


def arrivals(code: str = "phd_in", **filters: str) -> Indicator:
    return Indicator.objects.create(code=code, name="引进博士", source="stays.arrivals", measure=Measure.FLOW,
                                    filters=filters or {"talent__degree": "博士"},
                                    rule="学位为博士、到岗日期在年度内、在本区的人才；一人只计一次")


def stock(code: str = "phd_stock") -> Indicator:
    return Indicator.objects.create(code=code, name="在区博士", source="stays.stock", measure=Measure.STOCK,
                                    filters={"talent__degree": "博士"})
