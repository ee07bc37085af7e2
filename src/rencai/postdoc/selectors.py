"""The whole picture: stations, bases and postdocs by zone, industry and university; on-time completion; retention."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, QuerySet

from rencai.core.catalogs import industry_label
from rencai.postdoc.models import OPEN_STAGES, PostdocQuerySet, PostdocStage, Station, StationKind


def _counted(queryset: QuerySet, field: str, blank: str = "未注明") -> list[tuple[str, int]]:
    rows = queryset.order_by().values_list(field).annotate(n=Count("pk", distinct=True)).order_by("-n", field)
    return [(value or blank, n) for value, n in rows]


def postdoc_picture(stations: QuerySet[Station], postdocs: PostdocQuerySet) -> dict[str, Any]:
    live = stations.filter(stage__in=OPEN_STAGES)
    completed = postdocs.filter(stage=PostdocStage.COMPLETED)
    on_time = completed.filter(left_on__lte=F("exit_due")).count()
    stayed = completed.filter(stayed_in_zone=True).count()
    left = completed.filter(stayed_in_zone=False).count()
    total_completed = completed.count()
    kinds = dict(StationKind.choices)
    stages = dict(PostdocStage.choices)
    return {
        "stations": live.filter(kind=StationKind.STATION).count(),
        "bases": live.filter(kind=StationKind.BASE).count(),
        "in_station": postdocs.active().count(),
        "completed": total_completed,
        "on_time_percent": round(100 * on_time / total_completed) if total_completed else 0,
        "retention_percent": round(100 * stayed / total_completed) if total_completed else 0,
        "stations_by_kind": [(kinds.get(k, k), n) for k, n in _counted(live, "kind")],
        "stations_by_zone": _counted(live, "enterprise__zone__name"),
        "stations_by_industry": [(industry_label(c) if c != "未注明" else c, n)
                                 for c, n in _counted(live, "enterprise__industry_code")],
        "stations_by_university": _counted(live.filter(partners__isnull=False), "partners__institution__name"),
        "postdocs_by_zone": _counted(postdocs, "station__enterprise__zone__name"),
        "postdocs_by_industry": [(industry_label(c) if c != "未注明" else c, n)
                                 for c, n in _counted(postdocs, "station__enterprise__industry_code")],
        "postdocs_by_university": _counted(postdocs, "partner__institution__name"),
        "postdocs_by_stage": [(stages.get(s, s), n) for s, n in _counted(postdocs, "stage")],
        "completion": [("按期出站", on_time), ("逾期出站", total_completed - on_time)],
        "retention": [("留区工作", stayed), ("离开本区", left), ("未登记", total_completed - stayed - left)],
    }
