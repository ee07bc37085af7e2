"""Actual values of indicators, computed live from the registers by each indicator's counting rule.

Nothing here is typed by hand: a figure is the count (or sum) of the rows its source names, in its zone,
by the date its rule says counts, with duplicates removed; approved adjustments are added on top."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Q, QuerySet, Sum
from django.db.models.fields import DateTimeField

from rencai.core.masking import mask_middle
from rencai.core.models import Bureau, City, Zone
from rencai.core.scoping import ScopedQuerySet
from rencai.targets.models import Accumulation, Adjustment, Claim, Indicator, Measure
from rencai.targets.registry import Source, source


@dataclass(frozen=True)
class Where:
    """Whose figure: a city (zone None), a zone, or a bureau (of a city)."""

    city: City
    zone: Zone | None = None
    bureau: Bureau | None = None

    @property
    def label(self) -> str:
        return str(self.bureau or self.zone or self.city)


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def _is_datetime(src: Source, name: str) -> bool:
    model: Any = src.model()
    *relations, last = name.split("__")  # a path such as "payment__at" follows the relations
    for part in relations:
        model = model._meta.get_field(part).related_model
    return isinstance(model._meta.get_field(last), DateTimeField)


def _date_lookup(src: Source, name: str, op: str) -> str:
    return f"{name}__date__{op}" if _is_datetime(src, name) else f"{name}__{op}"


def _filters(indicator: Indicator, src: Source) -> dict[str, Any]:
    unknown = set(indicator.filters) - src.allowed_filters
    if unknown:
        raise ValueError(f"指标“{indicator}”的条件 {sorted(unknown)} 不是来源“{src.label}”允许的条件")
    return dict(indicator.filters)


def rows(indicator: Indicator, year: int, where: Where, *, upto: datetime.date | None = None,
         base: QuerySet[Any] | None = None) -> QuerySet[Any]:
    """The rows behind a figure (before duplicates are removed)."""
    src = source(indicator.source)
    on = min(upto or year_end(year), year_end(year))
    qs = (base if base is not None else src.queryset()).filter(**src.base).filter(**_filters(indicator, src))
    if where.zone is not None:
        qs = qs.filter(**{src.zone: where.zone})
    else:
        qs = qs.filter(**{f"{src.zone}__city": where.city})
    if where.bureau is not None:
        if not src.talent:
            return qs.none()
        claimed = Claim.objects.filter(bureau=where.bureau, year=year).values("talent_id")
        qs = qs.filter(**{f"{src.talent}__in": claimed})
    qs = qs.filter(**{_date_lookup(src, src.date, "lte"): on})
    if indicator.measure == Measure.STOCK:
        if src.end:
            qs = qs.filter(Q(**{f"{src.end}__isnull": True}) | Q(**{_date_lookup(src, src.end, "gt"): on}))
        return qs
    start_year = indicator.base_year if indicator.accumulation == Accumulation.CUMULATIVE and indicator.base_year \
        else year
    return qs.filter(**{_date_lookup(src, src.date, "gte"): datetime.date(start_year, 1, 1)})


def counted(indicator: Indicator, qs: QuerySet[Any]) -> int:
    src = source(indicator.source)
    if src.total:
        return int(qs.aggregate(n=Sum(src.total))["n"] or 0)
    return qs.values(src.dedupe).distinct().count()


def adjustments(indicator: Indicator, year: int, where: Where) -> int:
    if where.bureau is not None:
        return 0
    qs = Adjustment.objects.filter(indicator=indicator, year=year, city=where.city,
                                   status=Adjustment.Status.APPROVED)
    qs = qs.filter(zone=where.zone) if where.zone is not None else qs
    return int(qs.aggregate(n=Sum("delta"))["n"] or 0)


def actual(indicator: Indicator, year: int, where: Where, *, upto: datetime.date | None = None) -> int:
    """The live figure: rows counted by the rule, plus approved adjustments."""
    return counted(indicator, rows(indicator, year, where, upto=upto)) + adjustments(indicator, year, where)


def monthly(indicator: Indicator, year: int, where: Where, *, through: int = 12) -> list[int]:
    """The figure at each month's end (cumulative within the year for a flow; the stock for a stock)."""
    return [actual(indicator, year, where, upto=_month_end(year, m)) for m in range(1, through + 1)]


def _month_end(year: int, month: int) -> datetime.date:
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def mask_name(value: str) -> str:
    if not value:
        return ""
    if len(value) <= 2:
        return value[0] + "*"
    return mask_middle(value, 1, 1)


def _cell(obj: Any, path: str) -> Any:
    for part in path.split("__"):
        obj = getattr(obj, part, None)
        if obj is None:
            return ""
    return obj


def drilldown(indicator: Indicator, year: int, where: Where, user: Any, *,
              upto: datetime.date | None = None, limit: int = 500) -> tuple[list[str], list[list[Any]], int]:
    """The masked list of records behind a figure, as the user may see them: headers, rows, hidden count."""
    src = source(indicator.source)
    everything = rows(indicator, year, where, upto=upto)
    # every indicator source is a scoped model whose only manager is ScopedQuerySet.as_manager()
    scoped = cast(ScopedQuerySet, src.model()._default_manager.all())
    visible = rows(indicator, year, where, upto=upto, base=scoped.visible_to(user))
    headers = [h for h, _ in src.columns]
    body: list[list[Any]] = []
    seen: set[Any] = set()
    for obj in visible[: limit * 2]:
        key = _cell(obj, src.dedupe.removesuffix("_id")) if src.dedupe.endswith("_id") else getattr(obj, src.dedupe)
        key = getattr(key, "pk", key)
        if not src.total and key in seen:
            continue
        seen.add(key)
        body.append([mask_name(str(_cell(obj, p))) if p in src.masked else _cell(obj, p) for _, p in src.columns])
        if len(body) >= limit:
            break
    hidden = max(counted(indicator, everything) - counted(indicator, visible), 0)
    return headers, body, hidden


def reconcile(indicator: Indicator, year: int, city: City, zones: list[Zone], bureaus: list[Bureau],
              *, upto: datetime.date | None = None) -> dict[str, Any]:
    """The city's figure against the sum of its zones' (equal by construction unless rows lack a zone) and
    against the sum of its bureaus' (claims may overlap: the talents counted twice are named)."""
    whole = actual(indicator, year, Where(city), upto=upto)
    parts = {z.name: actual(indicator, year, Where(city, zone=z), upto=upto) for z in zones}
    by_bureau = {b.name: actual(indicator, year, Where(city, bureau=b), upto=upto) for b in bureaus}
    src = source(indicator.source)
    double: list[str] = []
    if src.talent and bureaus:
        counted_rows = rows(indicator, year, Where(city), upto=upto).values_list(f"{src.talent}_id", flat=True)
        claims: dict[int, int] = {}
        for c in Claim.objects.filter(year=year, bureau__in=bureaus, talent_id__in=list(counted_rows)):
            claims[c.talent_id] = claims.get(c.talent_id, 0) + 1
        double = [mask_name(t.name) for t in _talents([k for k, v in claims.items() if v > 1])]
    return {"whole": whole, "zones": parts, "zone_sum": sum(parts.values()),
            "zones_match": sum(parts.values()) == whole,
            "bureaus": by_bureau, "bureau_sum": sum(by_bureau.values()), "claimed_twice": double}


def _talents(pks: list[int]) -> list[Any]:
    from rencai.talents.models import Talent

    return list(Talent.objects.filter(pk__in=pks).order_by("pk"))
