"""Reads of this area: every query starts from a scoped queryset (Model.objects.visible_to(user))."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.utils import timezone

from rencai.core.models import User
from rencai.core.workcalendar import working_days_between
from rencai.onestop.models import (
    ExpertVisit,
    FamilyMember,
    Rectification,
    Redemption,
    RequestStatus,
    ServiceItem,
    ServiceRequest,
    ServiceTask,
    TalentCard,
    TaskStatus,
    Tenancy,
    TenancyStatus,
    Unit,
    UnitStatus,
    VisitKind,
    WaitlistEntry,
    WaitStatus,
)
from rencai.onestop.services import card_entitlements, quota_left, waitlist_order
from rencai.talents.models import Talent


def catalog(user: User) -> QuerySet[ServiceItem]:
    return ServiceItem.objects.visible_to(user).prefetch_related("bureaus")


def requests_for(user: User) -> QuerySet[ServiceRequest]:
    return (ServiceRequest.objects.visible_to(user).select_related("talent", "item")
            .prefetch_related("tasks__bureau").distinct())


def queue_for(user: User, *, show: str = "open") -> QuerySet[ServiceTask]:
    tasks = ServiceTask.objects.visible_to(user).select_related("request__talent", "request__item", "bureau")
    if show == "open":
        tasks = tasks.filter(status__in=[TaskStatus.OPEN, TaskStatus.WAITING])
    return tasks


def my_talent(user: User) -> Talent | None:
    return Talent.objects.visible_to(user).filter(user=user).select_related("zone").first()


def talent_page(user: User, talent: Talent) -> dict[str, Any]:
    """What the talent's phone page shows: entitlements, card, requests, family, apartment."""
    items = list(catalog(user).filter(active=True, city=talent.zone.city_id))
    card = TalentCard.objects.visible_to(user).filter(talent=talent).first()
    free = card_entitlements(talent)
    return {
        "talent": talent,
        "entitled": [i for i in items if i.entitles(talent) and not i.without_application],
        "free": [(i, quota_left(card, i) if card and i.card_quota else None) for i in free],
        "card": card,
        "requests": requests_for(user).filter(talent=talent),
        "family": FamilyMember.objects.visible_to(user).filter(talent=talent),
        "waits": WaitlistEntry.objects.visible_to(user).filter(talent=talent),
        "tenancies": Tenancy.objects.visible_to(user).filter(entry__talent=talent).select_related("unit__building"),
    }


def policy_part(user: User, sr: ServiceRequest) -> dict[str, Any] | None:
    """The money part of a request (its policy's application and entitlement), as far as the user may see it:
    bureau staff see that there is one, not the applicant's review or bank details."""
    from rencai.policies.models import Application, Entitlement

    if sr.item.policy_id is None and sr.policy_application_id is None and sr.policy_entitlement_id is None:
        return None
    application = (Application.objects.visible_to(user).filter(pk=sr.policy_application_id)
                   .select_related("entitlement").first() if sr.policy_application_id else None)
    ent_id = sr.policy_entitlement_id or (application.entitlement_id if application is not None else None)
    entitlement = Entitlement.objects.visible_to(user).filter(pk=ent_id).first() if ent_id else None
    return {"policy": sr.item.policy, "application": application, "entitlement": entitlement}


def task_days_used(task: ServiceTask, today: date | None = None) -> int:
    end = task.done_on or today or timezone.localdate()
    return working_days_between(task.started_on, end)


def waitlist(user: User) -> list[WaitlistEntry]:
    rows = list(WaitlistEntry.objects.visible_to(user).filter(status=WaitStatus.WAITING).select_related("talent"))
    return waitlist_order(rows)


def picture(user: User) -> dict[str, Any]:
    """The figures of the figures page, each from the user's scoped rows."""
    requests = ServiceRequest.objects.visible_to(user)
    tasks = ServiceTask.objects.visible_to(user)
    done = requests.filter(done_on__isnull=False)
    done_list = list(done.values_list("submitted_on", "done_on", "due_on"))
    on_time = sum(1 for _s, d, due in done_list if d <= due)
    days = [working_days_between(s, d) for s, d, _due in done_list]
    rated = requests.filter(rating__isnull=False)
    units = Unit.objects.visible_to(user)
    occupied = units.filter(status=UnitStatus.OCCUPIED)
    by_item = Counter(requests.values_list("item__name", flat=True))
    by_bureau = Counter(tasks.values_list("bureau__name", flat=True))
    ratings = Counter(rated.values_list("rating", flat=True))
    school = requests.filter(item__code="school", status__in=[RequestStatus.DONE, RequestStatus.RATED])
    visits = ExpertVisit.objects.visible_to(user)
    kinds = dict(VisitKind.choices)
    return {
        "requests": requests.count(),
        "done": len(done_list),
        "on_time_percent": round(100 * on_time / len(done_list)) if done_list else 0,
        "average_days": round(sum(days) / len(days), 1) if days else 0,
        "satisfaction": round(rated.aggregate(a=Avg("rating"))["a"] or 0, 2),
        "satisfied_percent": round(100 * rated.filter(rating__gte=4).count() / rated.count()) if rated.count() else 0,
        "cases_open": Rectification.objects.visible_to(user).exclude(status="closed").count(),
        "children_placed": school.count(),
        "cards": TalentCard.objects.visible_to(user).count(),
        "redemptions": Redemption.objects.visible_to(user).count(),
        "units": units.count(),
        "units_area": float(units.aggregate(a=Sum("area"))["a"] or 0),
        "occupied": occupied.count(),
        "occupancy_percent": round(100 * occupied.count() / units.count()) if units.count() else 0,
        "experts_visited": visits.values("talent").distinct().count(),
        "visits": visits.count(),
        "by_item": sorted(by_item.items(), key=lambda kv: -kv[1]),
        "by_bureau": sorted(by_bureau.items(), key=lambda kv: -kv[1]),
        "by_rating": [(f"{n}星", ratings.get(n, 0)) for n in range(5, 0, -1)],
        "units_by_status": [(str(label), units.filter(status=value).count()) for value, label in UnitStatus.choices],
        "visits_by_kind": [(str(kinds.get(r["kind"], r["kind"])), r["n"])
                           for r in visits.values("kind").annotate(n=Count("pk"))],
        "tenancies_live": Tenancy.objects.visible_to(user).filter(status=TenancyStatus.OCCUPIED).count(),
        "overdue_tasks": tasks.filter(Q(status=TaskStatus.OPEN) & Q(due_on__lt=timezone.localdate())).count(),
    }
