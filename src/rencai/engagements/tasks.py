"""The daily compliance run: remind talents and hosts before a month closes short, tell the office who is behind.

Idempotent: reminders are inbox notices unique per person, kind and dedupe key (agreement and period), so a
retried or repeated run on the same day adds nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django_tasks import task

from rencai.core.inbox import notify
from rencai.core.models import User
from rencai.core.roles import REGISTER_WRITERS
from rencai.engagements import notices
from rencai.engagements.compliance import Status
from rencai.engagements.models import Agreement, AgreementStatus, VisitStatus


def _remind(recipient: User, agreement: Agreement | None, kind: str, period: str, text: str) -> int:
    url = reverse("engagements:detail", args=[agreement.pk]) if agreement is not None else reverse("engagements:list")
    return len(notify(recipients=[recipient], kind=kind, text=text, subject=agreement,
                      dedupe_key=notices.reminder_key(agreement, period), url=url))


def _office_users(agreement: Agreement) -> list[User]:
    zone = agreement.enterprise.zone
    return list(User.objects.filter(Q(zone=zone) | Q(zone__isnull=True, city=zone.city_id),
                                    role__in=REGISTER_WRITERS, is_active=True))


def _party_reminders(agreement: Agreement, today: date) -> tuple[int, Status]:
    report = agreement.compliance(today)
    month = report.month_of(today)
    period = f"{today:%Y-%m}"
    sent = 0
    hosts = list(agreement.enterprise.members.filter(is_active=True))
    if month and month.status == Status.AT_RISK:
        text = (f"{agreement}：{month.label}要求到岗{month.required_visits}次，已确认{month.visits}次，"
                f"本月将于{month.last:%m月%d日}结束，请尽快安排服务并确认。")
        for person in [agreement.talent.user, *hosts]:
            if person is not None:
                sent += _remind(person, agreement, notices.MONTH_SHORT, period, text)
    pending = agreement.visits.filter(status=VisitStatus.PENDING).count()
    if pending:
        for person in hosts:
            sent += _remind(person, agreement, notices.CONFIRM, f"{today:%Y-%m-%d}",
                            f"{agreement.talent.name} 有 {pending} 条服务记录待贵单位确认。")
    return sent, report.status


@task()
def compliance_daily(today_iso: str) -> dict[str, Any]:
    today = date.fromisoformat(today_iso)
    finished = Agreement.objects.filter(status=AgreementStatus.ACTIVE, ends_on__lt=today)
    completed = finished.update(status=AgreementStatus.COMPLETED)
    active = (Agreement.objects.filter(status=AgreementStatus.ACTIVE, starts_on__lte=today)
              .select_related("talent__user", "enterprise__zone"))
    sent, behind = 0, dict[User, list[Agreement]]()
    for agreement in active:
        count, status = _party_reminders(agreement, today)
        sent += count
        if status == Status.BEHIND:
            for person in _office_users(agreement):
                behind.setdefault(person, []).append(agreement)
    for person, agreements in behind.items():
        names = "、".join(f"{a.talent.name}（{a.enterprise.name}）" for a in agreements)
        sent += _remind(person, None, notices.OFFICE_DIGEST, today.isoformat(),
                        f"履约落后 {len(agreements)} 人：{names}")
    return {"reminders": sent, "behind": sum((len(a) for a in behind.values()), 0), "completed": completed}


def daily_job(today: date) -> dict[str, Any]:
    """The registered job (see rencai.core.schedule): the compliance run for that day."""
    return compliance_daily.call(today.isoformat())


def describe_daily(summary: dict[str, Any]) -> str:
    return (f"新提醒 {summary.get('reminders', 0)} 条，落后 {summary.get('behind', 0)} 人，"
            f"期满 {summary.get('completed', 0)} 份")
