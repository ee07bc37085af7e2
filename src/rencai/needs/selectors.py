"""Reads that add up: a campaign's coverage and the needs picture, always from what the user may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet, Sum

from rencai.core.models import User
from rencai.needs.models import Campaign, Kind, Need, Status, Visit
from rencai.orgs.models import Enterprise


@dataclass
class Coverage:
    targets: int
    visited: int
    needs: int
    by_bureau: list[dict[str, Any]] = field(default_factory=list)
    by_zone: list[dict[str, Any]] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.visited / self.targets) if self.targets else 0


def campaign_coverage(campaign: Campaign, user: User) -> Coverage:
    """e.g. 202 of 230 enterprises visited, 215 needs collected; then the same by bureau and by zone."""
    enterprises = Enterprise.objects.visible_to(user)
    targets = campaign.enterprises.filter(pk__in=enterprises)
    visits = Visit.objects.filter(campaign=campaign, enterprise__in=enterprises)
    needs = Need.objects.visible_to(user).filter(campaign=campaign)
    visited_ids = set(visits.values_list("enterprise", flat=True))
    coverage = Coverage(targets=targets.count(), visited=len(visited_ids), needs=needs.count())
    for bureau in campaign.bureaus:
        mine = visits.filter(bureau=bureau)
        coverage.by_bureau.append({
            "bureau": bureau, "visits": mine.count(), "enterprises": mine.values("enterprise").distinct().count(),
            "needs": needs.filter(visit__bureau=bureau).count(),
        })
    zones: dict[str, dict[str, Any]] = {}
    for enterprise_id, zone in targets.values_list("pk", "zone__name"):
        row = zones.setdefault(zone, {"zone": zone, "targets": 0, "visited": 0, "needs": 0})
        row["targets"] += 1
        row["visited"] += enterprise_id in visited_ids
    for zone, count in needs.values_list("enterprise__zone__name").annotate(n=Count("pk")):
        zones.setdefault(zone, {"zone": zone, "targets": 0, "visited": 0, "needs": 0})["needs"] = count
    coverage.by_zone = sorted(zones.values(), key=lambda r: r["zone"])
    return coverage


def assistant_posts(needs: QuerySet[Need]) -> dict[str, int]:
    """Research-assistant posts published (any status past review, not closed) and filled."""
    posts = needs.filter(kind=Kind.ASSISTANT).exclude(status__in=[Status.PENDING, Status.CLOSED])
    totals = posts.aggregate(posted=Sum("headcount"), filled=Sum("filled"))
    return {"posted": totals["posted"] or 0, "filled": totals["filled"] or 0}


def _counted(needs: QuerySet[Need], field: str) -> list[tuple[str, int]]:
    return [(value or "", n) for value, n in needs.order_by().values_list(field).annotate(n=Count("pk")).order_by(
        "-n", field)]


def needs_picture(needs: QuerySet[Need]) -> dict[str, Any]:
    """Counts by kind, status, field and zone, and needs collected per month: what the charts draw."""
    from django.db.models.functions import TruncMonth
    from django.utils import timezone

    from rencai.core.catalogs import discipline_by_code

    statuses = dict(Status.choices)
    fields = []
    for code, n in _counted(needs, "discipline_code"):
        found = discipline_by_code(code) if code else None
        fields.append((found.name if found else "未注明学科", n))
    months = (needs.order_by().annotate(month=TruncMonth("created_at", tzinfo=timezone.get_current_timezone()))
              .values_list("month").annotate(n=Count("pk")).order_by("month"))
    return {
        "total": needs.count(),
        "by_kind": [(k, n) for k, n in _counted(needs, "kind")],
        "by_status": [(statuses.get(s, s), n) for s, n in _counted(needs, "status")],
        "by_field": fields[:15],
        "by_zone": _counted(needs, "enterprise__zone__name"),
        "by_month": month_series({m.strftime("%Y-%m"): n for m, n in months if m is not None},
                                 timezone.localdate()),
        "assistant_posts": assistant_posts(needs),
    }


def month_series(counts: dict[str, int], today: Any, span: int = 12) -> list[tuple[str, int]]:
    """Every month from the earliest count (or a year back) to this month, empty months as 0, so trends read true."""
    year, month = today.year, today.month
    labels = []
    for _ in range(span):
        labels.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    earliest = min([*counts, labels[-1]])
    while labels[-1] > earliest:
        labels.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return [(label, counts.get(label, 0)) for label in reversed(labels)]
