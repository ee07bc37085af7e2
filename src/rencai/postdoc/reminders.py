"""Reminders before each deadline to the postdoc, both supervisors and the office; one of each, ever (the inbox)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.urls import reverse

from rencai.core.inbox import notify
from rencai.core.models import User
from rencai.core.roles import REGISTER_WRITERS
from rencai.postdoc.deadlines import reminder_step
from rencai.postdoc.models import Postdoc, PostdocSettings
from rencai.postdoc.notices import DEADLINE


def office_users(postdoc: Postdoc) -> list[User]:
    """The zone's office staff who follow the register, and the city-level ones above them."""
    zone = postdoc.station.enterprise.zone
    return list(User.objects.filter(is_active=True, role__in=REGISTER_WRITERS)
                .filter(Q(zone=zone) | Q(zone__isnull=True, city=zone.city_id)))


def recipients(postdoc: Postdoc) -> list[User]:
    people = [postdoc.talent.user, postdoc.supervisor_user, postdoc.co_supervisor_user, *office_users(postdoc)]
    seen: dict[int, User] = {}
    for person in people:
        if person is not None and person.is_active:
            seen.setdefault(person.pk, person)
    return list(seen.values())


def reminder_text(postdoc: Postdoc, milestone: str, due: date, step: int) -> str:
    head = f"博士后{postdoc.talent.name}（{postdoc.station.name}）的{milestone}"
    if step < 0:
        return f"{head}已逾期：截止日期为{due:%Y-%m-%d}，请尽快办理"
    return f"{head}截止日期为{due:%Y-%m-%d}，还有{step}天"


def reminder_key(postdoc: Postdoc, milestone: str, due: date, step: int) -> str:
    """The dedupe key of one reminder: one per postdoc, milestone, deadline and step (30, 7, -1 …), ever."""
    return f"{postdoc.pk}:{milestone}:{due:%Y-%m-%d}:{step}"


def remind_postdoc(postdoc: Postdoc, today: date, days: list[int]) -> int:
    found = postdoc.next_deadline()
    if found is None:
        return 0
    milestone, due = found
    step = reminder_step(due, today, days)
    if step is None:
        return 0
    # A retried or parallel run meets the inbox's unique dedupe key, not a duplicate.
    made = notify(recipients=recipients(postdoc), kind=DEADLINE, subject=postdoc,
                  text=reminder_text(postdoc, milestone, due, step),
                  dedupe_key=reminder_key(postdoc, milestone, due, step),
                  url=reverse("postdoc:postdoc", args=[postdoc.pk]))
    return len(made)


def send_reminders(today: date) -> int:
    """Every postdoc in station: the reminder their next deadline calls for today. Returns how many were new."""
    days = PostdocSettings.current().reminder_days or [30, 7]
    postdocs = Postdoc.objects.active().select_related("talent__user", "station__enterprise__zone",
                                                       "supervisor_user", "co_supervisor_user")
    return sum(remind_postdoc(p, today, days) for p in postdocs.iterator(chunk_size=500))
