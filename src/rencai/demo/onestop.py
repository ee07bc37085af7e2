"""Demo data for 一站式人才服务, at the scale the demo city's office reports:

the catalog of nine items; schooling for 38 talents' children and spouse jobs for 32 talents of one enterprise
group, done and rated (two bad ratings with their rectification cases), and requests still in hand (one paused for
documents, one overdue); 335 high-level talents on academic leave and recuperation; 1,645 talent cards with the free
health check and some redemptions at the central hospital; 1,536 apartments (134,500 m²) in eight buildings with
occupancy, offers and a waitlist; 34 leaders who stay in touch with 171 experts and their teams, each visited.

Requests, tasks, ratings and visits go through the onestop services, as the office and bureaus would (dates set in
the past); apartments, cards and tenancies, which are many, are written in bulk. Idempotent: nothing is added once
the city's requests exist.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone

from rencai.core.models import Bureau, User
from rencai.core.roles import Role

ITEMS = [  # code, name, bureaus, tiers, types, documents, limit, task limit, without application, card quota
    ("school", "子女入学", ["education"], [], [], "户口簿\n子女出生证明\n引进人才认定证明", 15, 10, False, 0),
    ("spouse_job", "配偶就业", ["hrss"], [], [], "配偶身份证\n学历证明\n原单位工作证明", 20, 15, False, 0),
    ("apartment", "人才公寓", ["housing"], [], ["全职引进", "博士后", "博士服务"], "劳动合同\n无房证明",
     15, 10, False, 0),
    ("housing_subsidy", "安家/购房补贴", ["housing", "finance"], ["A", "B", "C", "D"], ["全职引进"],
     "购房合同\n劳动合同\n银行卡", 20, 10, False, 0),
    ("health", "健康体检", ["health"], ["A", "B", "C", "D"], [], "", 5, 5, True, 1),
    ("leave", "学术休假疗养", ["science", "health"], ["A", "B", "C"], [], "休假申请表", 10, 5, False, 0),
    ("settle", "落户与出入境", ["police"], [], [], "户口迁移证明\n护照或通行证", 10, 7, False, 0),
    ("transport", "交通出行", ["industry"], ["A", "B"], [], "", 5, 5, True, 6),
    ("medical", "医疗绿色通道", ["health"], ["A", "B", "C"], [], "", 3, 3, True, 4),
]
# Items whose money part is a policy's entitlement, paid through 政策兑现 (the example policy of policies/examples.py).
ITEM_POLICIES = {"housing_subsidy": "settlement_subsidy"}
UNITS, AREA = 1536, Decimal("134500")
BUILDINGS = ["稀土高新区人才公寓一期", "稀土高新区人才公寓二期", "昆都仑区人才之家", "青山区科创人才公寓",
             "九原区人才公寓", "东河区人才驿站", "石拐区人才公寓", "白云矿区人才公寓"]
CARDS, LEAVE, SCHOOL, SPOUSE, LEADERS, EXPERTS = 1645, 335, 38, 32, 34, 171
POSTS = ["市委常委", "副市长", "市政协副主席", "市人大常委会副主任", "市委组织部部长", "旗区党委书记"]


def _today() -> date:
    return timezone.localdate()


def _back(days: int) -> date:
    return _today() - timedelta(days=days)


def load(*, data: Any, city: Any, zones: dict[str, Any]) -> int:
    """Create this area's demo records (idempotent); return how many were created."""
    from rencai.onestop.models import ServiceRequest

    items = _catalog(city)
    if ServiceRequest.objects.filter(talent__zone__city=city).exists():
        return 0
    office = (User.objects.filter(role=Role.OFFICE_ADMIN, zone=None, city=city, is_active=True).order_by("pk").first()
              or User.objects.filter(role=Role.OFFICE_ADMIN, is_active=True).order_by("pk").first())
    if office is None:
        return len(items)
    created = len(items) + _requests(city, items, office) + _cards(city, items, office)
    created += _apartments(city, zones, office) + _visits(city, zones, items, office) + _family(city)
    return created


def _catalog(city: Any) -> dict[str, Any]:
    from rencai.onestop.models import PartnerVenue, ServiceItem
    from rencai.policies.models import Policy

    bureaus = {b.code: b for b in Bureau.objects.filter(city=city)}
    items = {}
    for code, name, codes, tiers, types, documents, limit, task_limit, free, quota in ITEMS:
        item, _ = ServiceItem.objects.get_or_create(city=city, code=code, defaults={
            "name": name, "tiers": tiers, "talent_types": types, "documents": documents, "time_limit_days": limit,
            "task_limit_days": task_limit, "without_application": free, "card_quota": quota,
            "description": f"{name}一站式受理，各承办局办并联办理"})
        if not item.bureaus.exists():
            item.bureaus.set([bureaus[c] for c in codes if c in bureaus])
        if code in ITEM_POLICIES and item.policy_id is None:
            item.policy = Policy.objects.filter(code=ITEM_POLICIES[code]).first()
            if item.policy is not None:
                item.save(update_fields=["policy"])
        items[code] = item
    hospital, _ = PartnerVenue.objects.get_or_create(city=city, name="包头市中心医院", defaults={"kind": "医院"})
    hospital.items.add(items["health"], items["medical"])
    partner = User.objects.filter(username="partner", role=Role.PARTNER).first()
    if partner is not None:
        hospital.members.add(partner)
    airport, _ = PartnerVenue.objects.get_or_create(city=city, name="包头东河机场贵宾厅", defaults={"kind": "机场"})
    airport.items.add(items["transport"])
    return items


def _actor(task: Any, office: User) -> User:
    return User.objects.filter(role=Role.BUREAU, bureau=task.bureau_id, is_active=True).first() or office


def _finish_all(sr: Any, office: User, on: date) -> None:
    from rencai.onestop import services

    for task in sr.tasks.all():
        services.task_finish(task=task, by=_actor(task, office), result="已办结", on=on)


def _requests(city: Any, items: dict[str, Any], office: User) -> int:
    from rencai.onestop import services
    from rencai.talents.models import Talent

    talents = list(Talent.objects.filter(zone__city=city).order_by("pk"))
    if not talents:
        return 0
    group = _one_group(talents)
    made = 0
    tags_good, tags_bad = ["办事快", "态度好", "一次办好"], ["办理慢", "多次跑"]
    for i, talent in enumerate(group[:SPOUSE] + talents[:SCHOOL]):
        code = "spouse_job" if i < min(SPOUSE, len(group)) else "school"
        item = items[code]
        start = _back(120 - i)
        sr = services.request_create(talent=talent, item=item, by=office, on=start,
                                     details="子女入学" if code == "school" else "配偶随迁就业")
        _finish_all(sr, office, start + timedelta(days=7 + i % 9))
        bad = i in (5, 41)
        services.request_rate(sr=sr, by=office, stars=2 if bad else 4 + i % 2,
                              tags=tags_bad if bad else tags_good[: 1 + i % 3], on=start + timedelta(days=20))
        made += 1
    high = [t for t in talents if t.tier in ("A", "B", "C")] or talents
    for i, talent in enumerate(high[:LEAVE]):
        start = _back(300 - i % 250)
        sr = services.request_create(talent=talent, item=items["leave"], by=office, on=start, details="学术休假疗养")
        _finish_all(sr, office, start + timedelta(days=3 + i % 5))
        made += 1
    # Still in hand: one in progress, one paused for documents, one overdue (escalated by the daily scan).
    persona = User.objects.filter(username="talent", role=Role.TALENT).first()
    mine = Talent.objects.filter(user=persona).first() if persona else None
    spare = [t for t in talents[SCHOOL:SCHOOL + 3]]
    for talent, how in zip([mine or spare[0], *spare[1:]], ("open", "waiting", "overdue"), strict=False):
        item = items["school"] if how != "overdue" else items["settle"]
        sr = services.request_create(talent=talent, item=item, by=office,
                                     on=_back(2 if how != "overdue" else 30), details="演示：办理中的申请")
        if how == "waiting":
            task = sr.tasks.all()[0]
            services.task_ask_more(task=task, by=_actor(task, office), wanted="户口簿复印件", on=_back(1))
        made += 1
    services.escalate_overdue(_today())
    return made


def _one_group(talents: list[Any]) -> list[Any]:
    """The talents of the enterprise group with the most of them (schooling and spouse jobs for 30+ of one group)."""
    by_employer: dict[str, list[Any]] = {}
    for t in talents:
        by_employer.setdefault((t.employer or "")[:4], []).append(t)
    biggest = max(by_employer.values(), key=len)
    return biggest if len(biggest) >= SPOUSE else talents[SCHOOL:SCHOOL + SPOUSE]


def _cards(city: Any, items: dict[str, Any], office: User) -> int:
    from rencai.onestop import services
    from rencai.onestop.models import PartnerVenue, Redemption, TalentCard
    from rencai.talents.models import Talent

    services.signing_key()
    talents = list(Talent.objects.filter(zone__city=city).exclude(card__isnull=False)
                   .order_by("pk")[:CARDS])
    today = _today()
    cards = [TalentCard(talent=t, number=f"RC{today:%Y}{t.pk:08d}", issued_on=_back(200 - n % 180),
                        expires_on=today.replace(year=today.year + 3)) for n, t in enumerate(talents)]
    TalentCard.objects.bulk_create(cards)
    hospital = PartnerVenue.objects.get(city=city, name="包头市中心医院")
    partner = hospital.members.first() or office
    cards = list(TalentCard.objects.filter(talent__zone__city=city).select_related("talent")[:400])
    Redemption.objects.bulk_create([
        Redemption(card=c, item=items["health"], venue=hospital, by=partner, token_id=f"demo{c.pk}",
                   at=timezone.now() - timedelta(days=n % 90)) for n, c in enumerate(cards)
        if items["health"].entitles(c.talent)])
    return len(talents)


def _apartments(city: Any, zones: dict[str, Any], office: User) -> int:
    from rencai.onestop.models import Building, Tenancy, TenancyStatus, Unit, UnitStatus, WaitlistEntry, WaitStatus
    from rencai.talents.models import Talent

    zone_list = list(zones.values())
    buildings = [Building.objects.get_or_create(zone=zone_list[i % len(zone_list)], name=name,
                                                defaults={"address": f"{name}（演示）"})[0]
                 for i, name in enumerate(BUILDINGS)]
    mean = (AREA / UNITS).quantize(Decimal("0.01"))
    units, total = [], Decimal(0)
    for n in range(UNITS):
        area = mean + (Decimal(10) if n % 2 else Decimal(-10))
        if n == UNITS - 1:
            area = AREA - total
        total += area
        b = buildings[n % len(buildings)]
        units.append(Unit(building=b, number=f"{n // len(buildings) // 20 + 1}-{n // len(buildings) % 20 + 101}",
                          area=area, rent=(area * Decimal("9")).quantize(Decimal("1"))))
    Unit.objects.bulk_create(units)
    units = list(Unit.objects.filter(building__in=buildings).select_related("building").order_by("pk"))
    people = list(Talent.objects.filter(zone__city=city).order_by("-pk")[:1100])
    # six in ten of the city's talents housed (at most 1,000 of the 1,536), a few offers, the next ones waiting
    n_housed = min(1000, len(people) * 6 // 10)
    n_offered = n_housed + min(10, len(people) // 30)
    people = people[:n_offered + 30]
    entries = WaitlistEntry.objects.bulk_create([
        WaitlistEntry(talent=t, zone=t.zone, applied_on=_back(400 - n % 300), arrival_on=_back(420 - n % 300),
                      status=WaitStatus.HOUSED if n < n_housed else WaitStatus.OFFERED if n < n_offered
                      else WaitStatus.WAITING)
        for n, t in enumerate(people)])
    tenancies = []
    for n, entry in enumerate(entries[:n_offered]):
        unit = units[n]
        occupied = n < n_housed
        unit.status = UnitStatus.OCCUPIED if occupied else UnitStatus.OFFERED
        start = entry.applied_on + timedelta(days=30)
        tenancies.append(Tenancy(unit=unit, entry=entry, offered_on=entry.applied_on + timedelta(days=20),
                                 status=TenancyStatus.OCCUPIED if occupied else TenancyStatus.OFFERED,
                                 starts_on=start if occupied else None,
                                 ends_on=start.replace(year=start.year + 3) if occupied else None))
    Unit.objects.bulk_update(units[:n_offered], ["status"])
    Tenancy.objects.bulk_create(tenancies)
    return len(units) + len(entries)


def _visits(city: Any, zones: dict[str, Any], items: dict[str, Any], office: User) -> int:
    from rencai.onestop import services
    from rencai.onestop.models import ExpertVisit, Leader, VisitKind
    from rencai.orgs.models import Enterprise
    from rencai.talents.models import Talent

    experts = list(Talent.objects.filter(zone__city=city).exclude(tier="").order_by("tier", "pk")[:EXPERTS])
    if not experts:
        return 0
    zone_list = list(zones.values())
    leaders = []
    for n in range(LEADERS):
        leader = Leader.objects.create(zone=zone_list[n % len(zone_list)], name=f"联系领导{n + 1:02d}",
                                       post=POSTS[n % len(POSTS)], team=f"稀土新材料创新团队{n + 1:02d}")
        leaders.append(leader)
    for n, talent in enumerate(experts):
        leader = leaders[n % LEADERS]
        leader.talents.add(talent)
        kind = [VisitKind.CONDOLENCE, VisitKind.SYMPOSIUM, VisitKind.LEAVE][n % 3]
        asks = n % 60 == 1  # three of them: what the expert's enterprise needs becomes one of its needs (企业需求)
        findings = ("子女明年入学需协调学校" if n % 10 == 0 else
                    "所在企业急需稀土永磁方向博士，希望协助引进" if asks else "了解科研进展和生活需求")
        visit = ExpertVisit(leader=leader, talent=talent, on=_back(10 + n % 200), kind=kind, findings=findings)
        enterprise = Enterprise.objects.filter(zone=talent.zone_id).order_by("pk").first() if asks else None
        services.visit_record(visit=visit, by=office, item=items["school"] if n % 40 == 0 else None,
                              need_enterprise=enterprise, need_title="稀土永磁方向博士（专家走访了解）",
                              need_kind="人才引进")
    return len(leaders) + len(experts)


def _family(city: Any) -> int:
    from rencai.onestop.models import FamilyMember, ServiceRequest

    members = []
    for sr in ServiceRequest.objects.filter(talent__zone__city=city, item__code__in=["school", "spouse_job"]):
        school = sr.item.code == "school"
        members.append(FamilyMember(talent=sr.talent, relation="child" if school else "spouse",
                                    name=sr.talent.name[0] + ("小明" if school else "丽"),
                                    birth_year=2018 if school else 1988,
                                    need="小学入学" if school else "就业安置"))
    FamilyMember.objects.bulk_create(members)
    return len(members)


def reset() -> dict[str, int]:
    """Delete this area's demo records before the registers are reset; return counts by kind."""
    from rencai.demo.data import CITY_NAME
    from rencai.onestop import models as m

    city = Q(city__name=CITY_NAME)
    plan = [
        ("核销记录", m.Redemption.objects.filter(card__talent__zone__city__name=CITY_NAME)),
        ("人才码", m.TalentCard.objects.filter(talent__zone__city__name=CITY_NAME)),
        ("配租", m.Tenancy.objects.filter(unit__building__zone__city__name=CITY_NAME)),
        ("公寓轮候", m.WaitlistEntry.objects.filter(zone__city__name=CITY_NAME)),
        ("房源", m.Unit.objects.filter(building__zone__city__name=CITY_NAME)),
        ("人才公寓", m.Building.objects.filter(zone__city__name=CITY_NAME)),
        ("专家走访", m.ExpertVisit.objects.filter(talent__zone__city__name=CITY_NAME)),
        ("联系领导", m.Leader.objects.filter(zone__city__name=CITY_NAME)),
        ("家属", m.FamilyMember.objects.filter(talent__zone__city__name=CITY_NAME)),
        ("差评整改", m.Rectification.objects.filter(request__talent__zone__city__name=CITY_NAME)),
        ("局办任务", m.ServiceTask.objects.filter(request__talent__zone__city__name=CITY_NAME)),
        ("服务申请", m.ServiceRequest.objects.filter(talent__zone__city__name=CITY_NAME)),
        ("合作服务点", m.PartnerVenue.objects.filter(city)),
    ]
    deleted = {}
    for label, queryset in plan:
        deleted[label] = queryset.count()
        queryset.delete()
    return {k: v for k, v in deleted.items() if v}


def summary() -> str:
    """One line for the load_demo report, or "" when nothing is loaded."""
    from rencai.onestop.models import ExpertVisit, ServiceRequest, TalentCard, Unit

    if not ServiceRequest.objects.exists():
        return ""
    units = Unit.objects.all()
    area = sum((u for u in units.values_list("area", flat=True)), Decimal(0))
    return (f"一站式服务：服务申请 {ServiceRequest.objects.count()} 件，人才码 {TalentCard.objects.count()} 张，"
            f"人才公寓 {units.count()} 套（{area:,.0f}㎡，已入住 {units.filter(status='occupied').count()} 套），"
            f"走访专家 {ExpertVisit.objects.values('talent').distinct().count()} 人")
