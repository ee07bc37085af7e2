"""The demo's 高校博士服务行动: a programme, 15 agreements, eight months of service log and the outcomes.

Agreements and outcomes go through `rencai.engagements.services`. The service log of the demo `talent` user's
agreement is logged by that user and confirmed or disputed by the demo `enterprise` user, as in real life. The
other doctors and hosts have no log-ins, so their visits are entered as the office's 补录 of paper records
(rows written here, one audit entry per agreement): `visit_log`/`visit_confirm` accept only the talent and the
host themselves. The programme (by name) is the natural key of the area.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import cast

from django.utils import timezone

from rencai.core.audit import audit_record
from rencai.core.crypto import lookup_hash
from rencai.core.models import User, Zone
from rencai.demo.fields import FIELDS_BY_KEY
from rencai.demo.specs import DemoData, EnterpriseSpec
from rencai.engagements.models import (
    Agreement,
    Letter,
    Mode,
    Outcome,
    OutcomeKind,
    Programme,
    ServiceVisit,
    VisitStatus,
)
from rencai.engagements.services import agreement_create, outcome_record, visit_confirm, visit_dispute, visit_log
from rencai.orgs.models import Enterprise
from rencai.talents.models import Talent

PROGRAMME_NAME = "高校博士服务行动（第一批）"
AGREEMENTS = 15
TERM_STARTED_DAYS_AGO = 240
# Outcomes of the whole programme by kind; spread over the agreements.
OUTCOMES = {OutcomeKind.PROJECT: 16, OutcomeKind.PROBLEM: 17, OutcomeKind.PATENT: 4, OutcomeKind.PRODUCT: 9}
# How diligent each doctor is: the share of months with a visit, and whether the last months slipped.
PROFILES = ((1.0, 0), (1.0, 0), (0.9, 0), (1.0, 1), (0.8, 2), (0.5, 3))
WORK = ("到企业研发中心开展{direction}相关试验，与技术人员讨论工艺参数调整方案。",
        "为企业技术骨干讲授{direction}专题，现场指导{product}检测与数据分析。",
        "参加企业技术例会，梳理{product}生产中的质量问题，提出改进建议。",
        "协助企业撰写科技项目申报书，完善{direction}技术路线。")


def _today() -> date:
    return timezone.localdate()


def engagements_load(*, data: DemoData, zones: dict[str, Zone]) -> int:
    """The programme with its agreements, service log and outcomes; 0 when the programme already exists."""
    if Programme.objects.filter(name=PROGRAMME_NAME).exists():
        return 0
    rng = random.Random(data.seed * 11 + 3)  # noqa: S311 - invented demo data
    staff = User.objects.get(username="city_admin")
    today = _today()
    starts_on = today - timedelta(days=TERM_STARTED_DAYS_AGO)
    persona_spec = next(s for s in data.enterprises if s.credit_code == data.persona_enterprise)
    programme = Programme.objects.create(
        zone=zones[persona_spec.zone], name=PROGRAMME_NAME, year=starts_on.year,
        description="组织区内高校博士每月到企业服务，围绕企业技术难题开展“1+N”项目合作。")
    audit_record(action="create", user=staff, obj=programme)
    specs = {s.credit_code: s for s in data.enterprises}
    agreements = []
    for talent, spec in _pairs(rng, data, specs):
        field = FIELDS_BY_KEY[spec.field]
        agreements.append(agreement_create(
            agreement=Agreement(programme=programme, talent=talent, mode=Mode.DOCTOR, starts_on=starts_on,
                                enterprise=Enterprise.objects.get(credit_code=spec.credit_code)),
            by=staff, programme_terms=True,
            projects=[(rng.choice(field.projects), f"围绕{spec.centre}开展技术合作"),
                      (f"{rng.choice(field.directions)}技术咨询", "")]))
    _persona_log(rng, agreements[0], specs[data.persona_enterprise], today)
    for index, agreement in enumerate(agreements[1:]):
        _office_log(rng, agreement, specs[_code(agreement)], PROFILES[index % len(PROFILES)],
                    staff, today)
    _outcomes(rng, agreements, specs, staff, today)
    return len(agreements)


def _pairs(rng: random.Random, data: DemoData, specs: dict[str, EnterpriseSpec]) -> list[tuple[Talent, EnterpriseSpec]]:
    """王思雨 with the demo enterprise first, then 14 other 博士服务 doctors with hosts of their own field."""
    doctors = [t for t in data.talents if t.talent_type == "博士服务" and t.id_number != data.persona_talent]
    chosen = [data.persona_talent] + [t.id_number for t in rng.sample(doctors, AGREEMENTS - 1)]
    talents = {t.id_number_hash: t for t in Talent.objects.filter(id_number_hash__in=[lookup_hash(n) for n in chosen])}
    hosts = [s for s in data.enterprises if s.credit_code != data.persona_enterprise]
    picked = [specs[data.persona_enterprise]] + rng.sample(hosts, AGREEMENTS - 1)
    return [(talents[lookup_hash(n)], spec) for n, spec in zip(chosen, picked, strict=True)]


def _code(agreement: Agreement) -> str:
    """The host's credit code: every demo enterprise has one (the specs are keyed by it)."""
    return cast(str, agreement.enterprise.credit_code)


def _months(agreement: Agreement, today: date) -> list[date]:
    """The first day of each visit: one in every calendar month of the term, ending before today."""
    days: list[date] = []
    year, month = agreement.starts_on.year, agreement.starts_on.month
    while True:
        day = max(date(year, month, 8), agreement.starts_on + timedelta(days=1))
        if day + timedelta(days=3) >= today:
            return days
        if day.month == month:  # a term starting on the month's last day has no visit that month
            days.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _work(rng: random.Random, spec: EnterpriseSpec) -> str:
    field = FIELDS_BY_KEY[spec.field]
    return rng.choice(WORK).format(direction=rng.choice(field.directions),
                                   product=rng.choice(rng.choice(field.businesses).products))


def _persona_log(rng: random.Random, agreement: Agreement, spec: EnterpriseSpec, today: date) -> None:
    """Logged by 王思雨 and decided by the enterprise user: confirmed, one disputed, the latest still pending."""
    talent_user, host = User.objects.get(username="talent"), User.objects.get(username="enterprise")
    starts = _months(agreement, today)
    for index, day in enumerate(starts):
        visit = visit_log(agreement=agreement, by=talent_user, starts_on=day, ends_on=day + timedelta(days=2),
                          work=_work(rng, spec))
        if index == len(starts) - 1:
            continue
        if index == len(starts) - 3:
            visit_dispute(visit=visit, by=host, reason="当天企业未安排接待，记录的到岗天数与门禁记录不符")
        else:
            visit_confirm(visit=visit, by=host)


def _office_log(rng: random.Random, agreement: Agreement, spec: EnterpriseSpec, profile: tuple[float, int],
                staff: User, today: date) -> None:
    share, slipped = profile
    starts = _months(agreement, today)
    kept = [d for i, d in enumerate(starts) if i < len(starts) - slipped and rng.random() < share]
    now = timezone.now()
    visits = [ServiceVisit(agreement=agreement, starts_on=d, ends_on=d + timedelta(days=rng.choice((1, 2, 2, 3))),
                           work=_work(rng, spec), logged_by=staff,
                           status=VisitStatus.PENDING if i == len(kept) - 1 and rng.random() < 0.4
                           else VisitStatus.CONFIRMED, decided_by=staff, decided_at=now)
              for i, d in enumerate(kept)]
    for visit in visits:
        if visit.status == VisitStatus.PENDING:
            visit.decided_by = visit.decided_at = None
    ServiceVisit.objects.bulk_create(visits)
    audit_record(action="create", user=staff, obj=agreement, detail={"补录服务记录": len(visits)})


def _outcomes(rng: random.Random, agreements: list[Agreement], specs: dict[str, EnterpriseSpec], staff: User,
              today: date) -> None:
    index = 0
    for kind, total in OUTCOMES.items():
        for _ in range(total):
            agreement = agreements[index % len(agreements)]
            index += 1
            field = FIELDS_BY_KEY[specs[_code(agreement)].field]
            title = {OutcomeKind.PROJECT: rng.choice(field.projects),
                     OutcomeKind.PROBLEM: f"解决{rng.choice(field.crafts)}中的工艺难题",
                     OutcomeKind.PATENT: rng.choice(field.patents),
                     OutcomeKind.PRODUCT: f"新型{rng.choice(rng.choice(field.businesses).products)}"}[kind]
            outcome_record(outcome=Outcome(
                agreement=agreement, kind=kind, count=1, title=title[:200], project=agreement.projects.first(),
                achieved_on=today - timedelta(days=rng.randint(5, TERM_STARTED_DAYS_AGO - 30))), by=staff)


def engagements_reset(enterprises: object) -> dict[str, int]:
    """Agreements with the demo enterprises (their log, outcomes and history go with them) and the programme."""
    agreements = Agreement.objects.filter(enterprise__in=enterprises)
    deleted = {"服务协议": agreements.count()}
    Letter.objects.filter(assessment__agreement__in=agreements).delete()
    agreements.delete()
    Programme.objects.filter(name=PROGRAMME_NAME).delete()
    return deleted


def engagements_summary() -> str:
    programme = Programme.objects.filter(name=PROGRAMME_NAME).first()
    if programme is None:
        return "柔性服务：无。"
    agreements = Agreement.objects.filter(programme=programme)
    visits = ServiceVisit.objects.filter(agreement__in=agreements)
    states = "、".join(f"{VisitStatus(s).label} {visits.filter(status=s).count()}" for s in VisitStatus)
    totals = dict.fromkeys(OutcomeKind.values, 0)
    for kind, count in Outcome.objects.filter(agreement__in=agreements).values_list("kind", "count"):
        totals[kind] += count
    outcome_text = "、".join(f"{OutcomeKind(k).label} {n}" for k, n in totals.items() if n)
    return (f"柔性服务：{PROGRAMME_NAME} 协议 {agreements.count()} 份；服务记录 {visits.count()} 条（{states}）；"
            f"成果：{outcome_text}。")
