"""Reads of this area: every query starts from a scoped queryset (Model.objects.visible_to(user))."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone

from rencai.core.models import StateChange, User
from rencai.recruitment.models import PIPELINE, Campaign, Competition, Intention, Post, Stage


def campaigns_for(user: User) -> QuerySet[Campaign]:
    if user.role == "enterprise":
        return Campaign.objects.filter(pk__in=Post.objects.visible_to(user).values("campaign"))
    return Campaign.objects.visible_to(user)


def intentions_for(user: User, **filters: Any) -> QuerySet[Intention]:
    rows = Intention.objects.visible_to(user).select_related("candidate", "post__enterprise", "post__campaign",
                                                             "event")
    return rows.filter(**{k: v for k, v in filters.items() if v not in (None, "")})


def furthest_stages(intentions: QuerySet[Intention]) -> dict[int, str]:
    """The furthest pipeline stage each intention reached (a lost one: the stage it was lost from)."""
    rows = dict(intentions.values_list("pk", "stage"))
    lost = [pk for pk, stage in rows.items() if stage == Stage.LOST]
    if lost:
        ct = ContentType.objects.get_for_model(Intention)
        for pk, came_from in (StateChange.objects.filter(content_type=ct, object_id__in=lost, to_state=Stage.LOST)
                              .values_list("object_id", "from_state")):
            rows[pk] = came_from or Stage.CAPTURED
    return rows


def funnel(intentions: QuerySet[Intention]) -> list[tuple[str, int]]:
    """How many intentions reached each stage (a stage reached counts for every stage before it)."""
    furthest = Counter(furthest_stages(intentions).values())
    result = []
    for i, stage in enumerate(PIPELINE):
        reached = sum(n for s, n in furthest.items() if s in PIPELINE and PIPELINE.index(s) >= i)
        result.append((str(Stage(stage).label), reached))
    return result


def stage_durations(intentions: QuerySet[Intention]) -> list[tuple[str, float]]:
    """Average days spent in each stage, measured from the pipeline's history (core.StateChange)."""
    ct = ContentType.objects.get_for_model(Intention)
    changes = (StateChange.objects.filter(content_type=ct, object_id__in=intentions.values("pk"), field="stage")
               .order_by("object_id", "at", "pk").values_list("object_id", "from_state", "to_state", "at", "on"))
    spent: dict[str, list[float]] = defaultdict(list)
    last: dict[int, tuple[str, datetime.date]] = {}
    for pk, _from, to, at, on in changes:
        day = on or timezone.localtime(at).date()
        if pk in last:
            stage, since = last[pk]
            spent[stage].append((day - since).days)
        last[pk] = (to, day)
    return [(str(Stage(s).label), round(sum(v) / len(v), 1) if v else 0.0) for s in PIPELINE[:-1]
            for v in [spent.get(s, [])]]


def time_to_sign(intentions: QuerySet[Intention]) -> float | None:
    days = [(signed - created.date()).days for signed, created in
            intentions.filter(signed_on__isnull=False).values_list("signed_on", "created_at") if signed]
    return round(sum(days) / len(days), 1) if days else None


def _grouped(intentions: QuerySet[Intention], key: str) -> list[tuple[str, int, int]]:
    totals: Counter[str] = Counter()
    signed: Counter[str] = Counter()
    reached = furthest_stages(intentions)
    for pk, label in intentions.values_list("pk", key):
        label = label or "（未填）"
        totals[label] += 1
        if PIPELINE.index(reached.get(pk, "captured")) >= PIPELINE.index(Stage.SIGNED):
            signed[label] += 1
    return [(label, n, signed[label]) for label, n in totals.most_common()]


def funnel_picture(intentions: QuerySet[Intention]) -> dict[str, Any]:
    """The funnel page's figures: stages reached, per university / enterprise / field, conversion, time to sign."""
    stages = funnel(intentions)
    total = stages[0][1] if stages else 0
    signed = dict(stages).get(str(Stage.SIGNED.label), 0)
    insured = dict(stages).get(str(Stage.INSURED.label), 0)
    sources = Counter(intentions.filter(stage__in=PIPELINE[PIPELINE.index(Stage.SIGNED):])
                      .values_list("source", flat=True))
    from rencai.recruitment.models import Source

    return {
        "total": total, "signed": signed, "insured": insured,
        "conversion": round(100 * signed / total, 1) if total else 0.0,
        "time_to_sign": time_to_sign(intentions),
        "funnel": stages,
        "by_university": [(a, n) for a, n, _ in _grouped(intentions, "event__university")],
        "by_enterprise": [(a, n) for a, n, _ in _grouped(intentions, "post__enterprise__name")],
        "by_field": [(a, n) for a, n, _ in _grouped(intentions, "post__field_text")],
        "signed_by_university": [(a, s) for a, _, s in _grouped(intentions, "event__university")],
        "hires_by_source": [(str(Source(k).label), n) for k, n in sources.most_common()],
        "days_in_stage": stage_durations(intentions),
    }


def competitions_for(user: User) -> QuerySet[Competition]:
    return Competition.objects.visible_to(user)


# --- booths ----------------------------------------------------------------------------------------------------


def booths_for(user: User) -> QuerySet[Any]:
    """Events whose booth page the user may open: office staff by zone, anyone named as the event's booth staff.
    Upcoming and today's events first."""
    from django.db.models import Case, IntegerField, Value, When

    from rencai.recruitment.models import Event

    today = timezone.localdate()
    return (Event.objects.visible_to(user).select_related("campaign")
            .annotate(past=Case(When(held_on__lt=today, then=Value(1)), default=Value(0), output_field=IntegerField()))
            .order_by("past", "held_on", "pk"))


def booth_posts(user: User, event: Any) -> QuerySet[Post]:
    """The posts a booth can record intentions for: the event's campaign's posts the user may see (an enterprise
    user: its own)."""
    return Post.objects.visible_to(user).filter(campaign=event.campaign_id).select_related("enterprise")


def booth_lookup(user: User, event: Any, q: str) -> QuerySet[Intention]:
    """Intentions at this event the user may see, found by name (either script), mobile or ID number."""
    from django.db.models import Q

    from rencai.core.crypto import lookup_hash
    from rencai.core.listing import name_key_search
    from rencai.core.validators import is_valid_mobile, normalize_id_number, normalize_mobile

    rows = intentions_for(user, event=event.pk)
    q = (q or "").strip()
    if not q:
        return rows
    condition = name_key_search(q, "candidate__name_key")
    if is_valid_mobile(q):
        condition |= Q(candidate__phone_hash=lookup_hash(normalize_mobile(q)))
    compact = normalize_id_number(q)
    if len(compact) == 18:
        condition |= Q(candidate__id_number_hash=lookup_hash(compact))
    return rows.filter(condition)


def enterprise_needs_for_posts(user: User) -> QuerySet[Any]:
    """An enterprise user's needs that may become posts: its own, of the two kinds, published by the office."""
    from rencai.needs.models import OPEN_STATUSES, Kind, Need

    return (Need.objects.visible_to(user).filter(kind__in=[Kind.TALENT, Kind.ASSISTANT], status__in=OPEN_STATUSES)
            .select_related("enterprise"))
