"""The demo's postdoc platforms: stations along their life, two bases, partner mobile stations and 12 postdocs.

Everything goes through `rencai.postdoc.services`, so steps, milestones, deadlines, the platform register and
the subsidy entitlements (through the shipped policies) are what a clerk's work would leave. Entitlements are
part of the fund's ledger and are never deleted: a reset keeps the postdoc area (and the enterprises, talents and
institutions it names) once entitlements exist. The demo enterprises' stations are the natural key of the area.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from rencai.core.crypto import lookup_hash
from rencai.core.models import User
from rencai.demo.data import INSTITUTIONS
from rencai.demo.people import People
from rencai.demo.specs import DemoData, TalentSpec
from rencai.orgs.models import Enterprise, Institution
from rencai.postdoc.models import Milestone, Partner, Postdoc, PostdocStage, Stage, Station, StationKind
from rencai.postdoc.reminders import send_reminders
from rencai.postdoc.services import partner_add, postdoc_enter, postdoc_record, station_create, station_transition
from rencai.talents.models import Talent

POSTDOCS = 12
PATH = (Stage.EVALUATION, Stage.APPLICATION, Stage.APPROVED)
CITY_OF = {info.name: info.city for info in INSTITUTIONS}


@dataclass(frozen=True)
class Plan:
    """A postdoc's story: days since entry and the reviews passed; `left` ends it early (退站) that many days ago."""

    entered_days_ago: int
    passed: tuple[str, ...]
    left: int = 0


# Two postdocs for each of the six open platforms that take them: deadlines soon, one overdue, one left early.
PLANS = (
    Plan(70, ()), Plan(190, (Milestone.Kind.PROPOSAL,)),  # 开题 due in ~3 weeks
    Plan(110, ()), Plan(350, (Milestone.Kind.PROPOSAL,)),  # 开题 overdue; 中期 due in ~2 weeks
    Plan(450, (Milestone.Kind.PROPOSAL, Milestone.Kind.MIDTERM)), Plan(240, (Milestone.Kind.PROPOSAL,), left=30),
    Plan(715, (Milestone.Kind.PROPOSAL, Milestone.Kind.MIDTERM)),  # 出站 due in ~2 weeks
    Plan(40, ()),
    Plan(800, (Milestone.Kind.PROPOSAL, Milestone.Kind.MIDTERM, Milestone.Kind.EXIT)),
    Plan(200, (Milestone.Kind.PROPOSAL,)), Plan(520, (Milestone.Kind.PROPOSAL, Milestone.Kind.MIDTERM)),
    Plan(80, ()),
)
# Where each station stops: the early ones, open ones (the first six take postdocs), one withdrawn.
STATIONS = ((StationKind.STATION, Stage.OPERATING), (StationKind.STATION, Stage.OPERATING),
            (StationKind.STATION, Stage.OPERATING), (StationKind.STATION, Stage.OPERATING),
            (StationKind.BASE, Stage.OPERATING), (StationKind.BASE, Stage.OPERATING),
            (StationKind.STATION, Stage.APPROVED), (StationKind.STATION, Stage.SURVEY),
            (StationKind.STATION, Stage.EVALUATION), (StationKind.STATION, Stage.APPLICATION),
            (StationKind.STATION, Stage.WITHDRAWN))


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


def postdoc_load(*, data: DemoData) -> int:
    """Stations, partners and postdocs; 0 when the demo enterprises already have stations."""
    demo = Enterprise.objects.filter(credit_code__in=[s.credit_code for s in data.enterprises])
    if Station.objects.filter(enterprise__in=demo).exists():
        return 0
    rng = random.Random(data.seed * 13 + 5)  # noqa: S311 - invented demo data
    people = People(rng)
    staff, today = User.objects.get(username="city_admin"), timezone.localdate()
    doctors = [t for t in data.talents if t.talent_type == "博士后"][:POSTDOCS]
    hosts = _hosts(rng, data, doctors)
    stations = [_station(rng, enterprise, kind, stage, staff, today) for enterprise, (kind, stage)
                in zip(hosts, STATIONS, strict=True)]
    two_cities = False
    for index, (spec, plan) in enumerate(zip(doctors, PLANS, strict=True)):
        station = stations[index // 2]
        partner = station.partners.first()
        if partner is None:
            institution = Institution.objects.get(name=spec.institution)
            far = CITY_OF.get(spec.institution) != "包头市" and not two_cities
            two_cities = two_cities or far
            partner = partner_add(partner=Partner(
                station=station, institution=institution, discipline_code=spec.discipline_code,
                co_supervisor=people.name(people.gender(), 1968 + rng.randint(0, 12)), two_cities=far), by=staff)
        _postdoc(rng, people, spec, station, partner, plan, staff, today)
    send_reminders(today)
    return Postdoc.objects.filter(station__in=stations).count()


def _hosts(rng: random.Random, data: DemoData, doctors: list[TalentSpec]) -> list[Enterprise]:
    """Stations at the employers of the first postdoc of each pair, the demo enterprise among the open ones."""
    names = [doctors[i].employer for i in range(0, len(doctors), 2)]
    chosen = list(Enterprise.objects.filter(name__in=names))
    chosen.sort(key=lambda e: names.index(e.name))
    persona = Enterprise.objects.get(credit_code=data.persona_enterprise)
    if persona not in chosen:
        chosen[0] = persona
    others = [s.credit_code for s in data.enterprises if s.credit_code not in {e.credit_code for e in chosen}]
    rest = rng.sample(others, len(STATIONS) - len(chosen))
    return chosen + sorted(Enterprise.objects.filter(credit_code__in=rest), key=lambda e: rest.index(e.credit_code))


def _station(rng: random.Random, enterprise: Enterprise, kind: str, stage: str, staff: User, today: date) -> Station:
    label = "博士后科研工作站" if kind == StationKind.STATION else "博士后创新实践基地"
    started = today - timedelta(days=rng.randint(1000, 1300) if stage != Stage.SURVEY else rng.randint(20, 90))
    station = station_create(station=Station(enterprise=enterprise, kind=kind, name=f"{enterprise.name}{label}",
                                             research_fields=enterprise.remarks[:300] if enterprise.remarks else "",
                                             created_at=_at(started)), by=staff)
    target = Stage.APPROVED if stage in (Stage.OPERATING, Stage.WITHDRAWN) else stage
    path = PATH[:PATH.index(target) + 1] if target in PATH else ()
    for step, to in enumerate(path, start=1):
        day = started + timedelta(days=60 * step)
        number = (f"人社部发〔{day.year}〕{rng.randint(20, 90)}号" if kind == StationKind.STATION
                  else f"内人社函〔{day.year}〕{rng.randint(100, 400)}号") if to == Stage.APPROVED else ""
        station = station_transition(station=station, to=to, on=day, by=staff, approval_number=number)
    if stage == Stage.WITHDRAWN:
        station = station_transition(station=station, to=Stage.WITHDRAWN, on=today - timedelta(days=120), by=staff,
                                     note="企业经营困难，连续两年未招收博士后，申请撤站")
    return station


def _postdoc(rng: random.Random, people: People, spec: TalentSpec, station: Station, partner: Partner, plan: Plan,
             staff: User, today: date) -> None:
    talent = Talent.objects.get(id_number_hash=lookup_hash(spec.id_number))
    entered = today - timedelta(days=plan.entered_days_ago)
    direction = (spec.research_directions or spec.discipline).split("；")[0]
    postdoc = postdoc_enter(postdoc=Postdoc(
        talent=talent, station=station, partner=partner if partner.institution.name == spec.institution else None,
        topic=f"{direction}关键技术研究", supervisor=people.name(people.gender(0.2), 1970 + rng.randint(0, 10)),
        entered_on=entered), by=staff)
    documents: dict[str, str] = {Milestone.Kind.PROPOSAL: "开题报告、专家评审意见表",
                                 Milestone.Kind.MIDTERM: "中期考核表、阶段成果",
                                 Milestone.Kind.EXIT: "出站报告、工作总结、专家评审意见"}
    for kind in plan.passed:
        dues: dict[str, date] = {Milestone.Kind.PROPOSAL: postdoc.proposal_due,
                                 Milestone.Kind.MIDTERM: postdoc.midterm_due, Milestone.Kind.EXIT: postdoc.exit_due}
        due = dues[kind]
        postdoc_record(postdoc=postdoc, kind=kind, on=min(due - timedelta(days=rng.randint(3, 20)), today),
                       by=staff, result=Milestone.Result.PASSED, documents=documents[kind],
                       stayed_in_zone=True if kind == Milestone.Kind.EXIT else None)
    if plan.left:
        postdoc_record(postdoc=postdoc, kind=Milestone.Kind.WITHDRAWAL, on=today - timedelta(days=plan.left),
                       by=staff, note="因个人原因申请提前退站，到高校任教", stayed_in_zone=False)


def postdoc_kept() -> bool:
    """Whether the demo's postdoc subsidies are in the ledger, so the area must stay through a reset."""
    from rencai.policies.models import Entitlement

    return Entitlement.objects.filter(source__startswith="postdoc.").exists()


def postdoc_reset(enterprises: QuerySet[Enterprise]) -> dict[str, int]:
    """Delete the demo's stations and postdocs unless their entitlements are in the ledger (then keep them)."""
    stations = Station.objects.filter(enterprise__in=enterprises)
    if postdoc_kept():
        return {}
    postdocs = Postdoc.objects.filter(station__in=stations)
    deleted = {"博士后": postdocs.count(), "博士后工作站/基地": stations.count()}
    postdocs.delete()
    Partner.objects.filter(station__in=stations).delete()
    stations.delete()
    return deleted


def kept_q() -> dict[str, Q]:
    """Talents, enterprises and institutions a kept postdoc area still names: excluded from the reset."""
    return {"人才": Q(postdoc_terms__isnull=False) | Q(entitlements__isnull=False),
            "企业": Q(postdoc_stations__isnull=False) | Q(entitlements__isnull=False),
            "派出单位": Q(postdoc_partners__isnull=False)}


def postdoc_summary() -> str:
    stations = Station.objects.filter(kind=StationKind.STATION)
    stages = "、".join(f"{Stage(s).label} {stations.filter(stage=s).count()}" for s in Stage
                       if stations.filter(stage=s).exists())
    postdocs = Postdoc.objects.all()
    states = "、".join(f"{PostdocStage(s).label} {postdocs.filter(stage=s).count()}" for s in PostdocStage
                       if postdocs.filter(stage=s).exists())
    line = (f"博士后：工作站 {stations.count()} 个（{stages}），创新实践基地 "
            f"{Station.objects.filter(kind=StationKind.BASE).count()} 个，合作流动站 {Partner.objects.count()} 个；"
            f"博士后 {postdocs.count()} 名（{states}）。")
    if postdoc_kept():
        line += "补贴资格已记入资金台账，重置时保留博士后数据及相关企业、人才和派出单位。"
    return line
