"""The scarce-talent catalog (紧缺人才目录): open needs against the talent pool, by field and level.

A line is one (一级学科, industry, degree level). Demand is the places still open in published needs;
supply is the pool's talents of that discipline at that level or above (for a line known only by its
industry: talents whose discipline chiefly serves that industry). Lines rank by shortage, then demand.
Staff adjust a draft line's demand or note, or leave it out; publishing freezes the draft as an edition.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from rencai.core.catalogs import discipline_by_code, industry_affinity, industry_label
from rencai.core.models import User, Zone
from rencai.needs.models import OPEN_STATUSES, CatalogAdjustment, CatalogLine, Kind, Level, Need
from rencai.talents.models import Talent

LEVEL_ORDER = [Level.DOCTOR, Level.MASTER, Level.BACHELOR, Level.ANY]
# Who counts as supply at each level: a doctor also answers a master's need.
SUPPLY_DEGREES = {Level.DOCTOR: ["博士"], Level.MASTER: ["博士", "硕士"], Level.BACHELOR: ["博士", "硕士", "学士"]}
CORE_AFFINITY = 1.0


@dataclass(frozen=True)
class Scope:
    """Whose catalog: one zone's, or (zone None) the whole city's."""

    city_id: int | None
    zone_id: int | None

    @classmethod
    def of(cls, user: User) -> Scope:
        if user.zone:
            return cls(city_id=user.zone.city_id, zone_id=user.zone_id)
        return cls(city_id=user.city_id, zone_id=None)

    def q(self, field: str) -> Q:
        if self.zone_id:
            return Q(**{field: self.zone_id})
        return Q(**{f"{field}__city": self.city_id}) if self.city_id else Q()

    @property
    def label(self) -> str:
        if self.zone_id:
            return Zone.objects.get(pk=self.zone_id).name
        from rencai.core.models import City

        return City.objects.get(pk=self.city_id).name if self.city_id else "全市"


@dataclass
class Line:
    key: str
    discipline_code: str
    industry_code: str
    level: str
    demand: int = 0
    supply: int = 0
    need_ids: list[int] = field(default_factory=list)
    note: str = ""
    hidden: bool = False
    adjusted: bool = False
    rank: int = 0

    @property
    def shortage(self) -> int:
        return self.demand - self.supply

    @property
    def discipline(self) -> str:
        found = discipline_by_code(self.discipline_code) if self.discipline_code else None
        return found.name if found else ""

    @property
    def industry(self) -> str:
        return industry_label(self.industry_code) if self.industry_code else ""

    @property
    def field_label(self) -> str:
        return " · ".join(x for x in (self.discipline, self.industry) if x) or "未注明领域"


def line_key(discipline_code: str, industry_code: str, level: str) -> str:
    return f"{discipline_code or '-'}|{industry_code or '-'}|{level}"


def open_needs(scope: Scope) -> QuerySet[Need]:
    """Needs still waiting for people: published or being matched; results to transfer ask for no one."""
    return Need.objects.filter(scope.q("enterprise__zone"), status__in=OPEN_STATUSES).exclude(kind=Kind.TRANSFER)


def unclassified(scope: Scope) -> QuerySet[Need]:
    """Open needs whose 所属领域 maps to no 一级学科: not a catalog line (no "—" line), listed apart to be fixed."""
    return open_needs(scope).filter(discipline_code="").select_related("enterprise").order_by("-created_at", "-pk")


def _supply(talents: list[tuple[str, str]], line: Line) -> int:
    degrees = SUPPLY_DEGREES.get(Level(line.level))
    count = 0
    for discipline, degree in talents:
        if degrees is not None and degree not in degrees:
            continue
        if line.discipline_code:
            count += discipline == line.discipline_code
        elif line.industry_code:
            count += industry_affinity(discipline, line.industry_code) >= CORE_AFFINITY
    return count


def compute_lines(scope: Scope) -> list[Line]:
    """The catalog as the data stand, before any adjustment."""
    lines: dict[str, Line] = {}
    for pk, discipline, industry, level, headcount, filled in open_needs(scope).exclude(discipline_code="").values_list(
            "pk", "discipline_code", "industry_code", "level", "headcount", "filled"):
        key = line_key(discipline, industry, level)
        line = lines.setdefault(key, Line(key=key, discipline_code=discipline, industry_code=industry, level=level))
        line.demand += max(headcount - filled, 0)
        line.need_ids.append(pk)
    talents = list(Talent.objects.filter(scope.q("zone")).exclude(discipline_code="").values_list(
        "discipline_code", "degree"))
    for line in lines.values():
        line.supply = _supply(talents, line)
    return [line for line in lines.values() if line.demand > 0]


def rank(lines: list[Line]) -> list[Line]:
    shown = sorted((x for x in lines if not x.hidden),
                   key=lambda x: (-x.shortage, -x.demand, LEVEL_ORDER.index(Level(x.level)), x.key))
    for number, line in enumerate(shown, start=1):
        line.rank = number
    return shown + sorted((x for x in lines if x.hidden), key=lambda x: x.key)


def adjustments(scope: Scope, year: int) -> QuerySet[CatalogAdjustment]:
    # None is a real lookup value here (Django makes it IS NULL: the city-wide catalog); the stubs refuse None
    return CatalogAdjustment.objects.filter(city_id=scope.city_id, zone_id=scope.zone_id, year=year)  # type: ignore[misc]


def draft(scope: Scope, year: int) -> list[Line]:
    """Computed lines with staff's adjustments applied, ranked; hidden lines come last, unranked."""
    lines = {line.key: line for line in compute_lines(scope)}
    for adjustment in adjustments(scope, year):
        line = lines.get(adjustment.key)
        if line is None:
            continue  # the needs behind it were solved or closed since: the adjustment waits, unused
        if adjustment.demand is not None:
            line.demand = adjustment.demand
        line.note, line.hidden = adjustment.note, adjustment.hidden
        line.adjusted = True
    return rank(list(lines.values()))


def frozen_lines(edition: Any) -> list[Line]:
    return [Line(key=x.key, discipline_code=x.discipline_code, industry_code=x.industry_code, level=x.level,
                 demand=x.demand, supply=x.supply, need_ids=list(x.need_ids), note=x.note, rank=x.rank)
            for x in edition.lines.all()]


def as_catalog_line(line: Line) -> CatalogLine:
    return CatalogLine(rank=line.rank, key=line.key, discipline_code=line.discipline_code,
                       discipline=line.discipline, industry_code=line.industry_code, industry=line.industry,
                       level=line.level, demand=line.demand, supply=line.supply, shortage=line.shortage,
                       note=line.note, need_ids=line.need_ids)


@dataclass
class Change:
    key: str
    label: str
    level: str
    old_rank: int | None
    new_rank: int | None
    old_shortage: int | None
    new_shortage: int | None

    @property
    def movement(self) -> str:
        if self.old_rank is None:
            return "新进"
        if self.new_rank is None:
            return "退出"
        if self.new_rank < self.old_rank:
            return "上升"
        return "下降" if self.new_rank > self.old_rank else "持平"

    @property
    def shortage_delta(self) -> int:
        return (self.new_shortage or 0) - (self.old_shortage or 0)


def compare(old: list[Line], new: list[Line]) -> list[Change]:
    """What rose, what fell, what came in and what left between two editions (or an edition and the draft)."""
    before = {x.key: x for x in old if not x.hidden}
    after = {x.key: x for x in new if not x.hidden}
    changes = []
    for key in list(after) + [k for k in before if k not in after]:
        a, b = before.get(key), after.get(key)
        some = b or a
        assert some is not None
        changes.append(Change(key=key, label=some.field_label, level=some.level,
                              old_rank=a.rank if a else None, new_rank=b.rank if b else None,
                              old_shortage=a.shortage if a else None, new_shortage=b.shortage if b else None))
    return changes


def movement_counts(changes: list[Change]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for change in changes:
        counts[change.movement] += 1
    return dict(counts)
