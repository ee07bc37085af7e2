"""The indicator registry: each area registers the sources an indicator may count, once, from its AppConfig.

A `Source` says which model's rows count, where the zone is, which date counts (and, for a stock, which date
ends a row's life), what one row is once duplicates are removed, and which filters an indicator may set.
Indicators (rows of `targets.Indicator`) then choose a source and set their counting rule as data:

    register_source(Source(key="challenges.solved", label="揭榜挂帅解决难题", model=lambda: Challenge,
                           zone="enterprise__zone", date="solved_on", dedupe="pk"))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    model: Callable[[], type[models.Model]]
    zone: str  # path to the row's Zone
    date: str  # the date that counts (a flow counts rows whose date falls in the period)
    end: str = ""  # for a stock: the date a row stops counting (empty = never)
    dedupe: str = "pk"  # what one counted unit is (e.g. "talent_id": a talent counts once)
    talent: str = ""  # path to the Talent, when bureaus may claim the rows
    total: str = ""  # sum this field instead of counting units (e.g. outcomes' "count")
    base: dict[str, Any] = field(default_factory=dict)  # conditions every row meets
    allowed_filters: frozenset[str] = frozenset()
    columns: tuple[tuple[str, str], ...] = ()  # drill-down: (header, attribute path)
    masked: frozenset[str] = frozenset({"talent__name", "name"})  # columns shown masked

    def queryset(self) -> models.QuerySet[Any]:
        return self.model()._default_manager.filter(**self.base)


_SOURCES: dict[str, Source] = {}


def register_source(source: Source) -> None:
    _SOURCES[source.key] = source


def source(key: str) -> Source:
    if key not in _SOURCES:
        raise KeyError(f"未登记的指标来源：{key}")
    return _SOURCES[key]


def sources() -> dict[str, Source]:
    return dict(_SOURCES)


def register_core_sources() -> None:
    """The sources over the areas that exist: talents, orgs, needs, matching, engagements, postdoc, policies."""
    from rencai.engagements.models import Agreement, Outcome
    from rencai.matching.models import Pairing
    from rencai.needs.models import Need
    from rencai.orgs.models import Enterprise
    from rencai.policies.models import Entitlement
    from rencai.postdoc.models import Postdoc
    from rencai.talents.models import Talent
    from rencai.targets.models import Stay

    talent_cols = (("姓名", "talent__name"), ("学位", "talent__degree"), ("层次", "talent__tier"),
                   ("旗区/园区", "zone__name"), ("到岗日期", "arrived_on"), ("离区日期", "left_on"))
    stay_filters = frozenset({"talent__degree", "talent__tier", "talent__tier__in", "talent__talent_type",
                              "employer_in_zone"})
    register_source(Source(key="stays.arrivals", label="引进人才（到岗）", model=lambda: Stay, zone="zone",
                           date="arrived_on", dedupe="talent_id", talent="talent", allowed_filters=stay_filters,
                           columns=talent_cols))
    register_source(Source(key="stays.stock", label="在区人才（存量）", model=lambda: Stay, zone="zone",
                           date="arrived_on", end="left_on", dedupe="talent_id", talent="talent",
                           allowed_filters=stay_filters, columns=talent_cols))
    register_source(Source(key="talents.register", label="人才库登记", model=lambda: Talent, zone="zone",
                           date="created_at", dedupe="pk", talent="",
                           allowed_filters=frozenset({"degree", "tier", "tier__in", "talent_type"}),
                           columns=(("姓名", "name"), ("学位", "degree"), ("层次", "tier"),
                                    ("旗区/园区", "zone__name"))))
    register_source(Source(key="orgs.enterprises", label="登记企业", model=lambda: Enterprise, zone="zone",
                           date="created_at", dedupe="pk", columns=(("企业", "name"), ("旗区/园区", "zone__name"))))
    register_source(Source(key="needs.published", label="企业需求", model=lambda: Need, zone="enterprise__zone",
                           date="created_at", dedupe="pk",
                           columns=(("需求", "title"), ("企业", "enterprise__name"), ("状态", "status"))))
    register_source(Source(key="matching.accepted", label="对接成功", model=lambda: Pairing, zone="round__zone",
                           date="updated_at", dedupe="pk", talent="talent",
                           base={"status__in": ["accepted", "completed"]},
                           columns=(("人才", "talent__name"), ("需求", "need__title"))))
    register_source(Source(key="engagements.agreements", label="柔性引才协议", model=lambda: Agreement,
                           zone="enterprise__zone", date="starts_on", dedupe="pk", talent="talent",
                           columns=(("人才", "talent__name"), ("企业", "enterprise__name"), ("开始", "starts_on"))))
    register_source(Source(key="engagements.outcomes", label="服务成果", model=lambda: Outcome,
                           zone="agreement__enterprise__zone", date="achieved_on", dedupe="pk", total="count",
                           allowed_filters=frozenset({"kind"}),
                           columns=(("成果", "title"), ("类型", "kind"), ("数量", "count"), ("日期", "achieved_on"))))
    register_source(Source(key="postdoc.entered", label="博士后进站", model=lambda: Postdoc,
                           zone="station__enterprise__zone", date="entered_on", dedupe="talent_id", talent="talent",
                           columns=(("姓名", "talent__name"), ("工作站", "station__name"), ("进站", "entered_on"))))
    register_source(Source(key="postdoc.in_station", label="在站博士后", model=lambda: Postdoc,
                           zone="station__enterprise__zone", date="entered_on", end="left_on", dedupe="talent_id",
                           talent="talent",
                           columns=(("姓名", "talent__name"), ("工作站", "station__name"), ("进站", "entered_on"))))
    register_source(Source(key="policies.entitled", label="政策兑现人次", model=lambda: Entitlement, zone="zone",
                           date="approved_at", dedupe="beneficiary_key", talent="talent",
                           base={"status__in": ["approved", "done"]},
                           columns=(("政策", "policy__title"), ("对象", "talent__name"), ("金额", "amount"))))
