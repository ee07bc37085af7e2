"""The demo's 入企问需: one campaign with its visits, ~90 needs along their life and a published catalog.

Everything goes through `rencai.needs.services`, so needs carry their status history and audit entries like
needs a clerk entered. Deterministic from the seed; the campaign (by city and name) is the natural key of the
whole area: when it exists, nothing is created again.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import cast

from django.utils import timezone

from rencai.core.lifecycle import history_for
from rencai.core.models import City, User
from rencai.demo.fields import FIELDS_BY_KEY, Field
from rencai.demo.specs import DemoData, EnterpriseSpec
from rencai.needs.catalog import Scope
from rencai.needs.models import (
    Campaign,
    CatalogAdjustment,
    CatalogEdition,
    Kind,
    Level,
    Need,
    Source,
    Status,
    Urgency,
    Visit,
)
from rencai.needs.services import (
    campaign_save,
    catalog_publish,
    need_create,
    need_record_filled,
    need_transition,
    visit_record,
)
from rencai.orgs.models import Enterprise

CAMPAIGN_NAME = "2026年入企问需"
BUREAUS = ("科技局", "工信局", "农牧局")
NEEDS = 90
PLANNED, VISITED = 60, 50

# Paths through the life of a need, with their weights: the last status is where the need ends up.
PATHS = (
    ((), 14),
    ((Status.PUBLISHED,), 26),
    ((Status.PUBLISHED, Status.MATCHING), 20),
    ((Status.PUBLISHED, Status.MATCHING, Status.MATCHED), 12),
    ((Status.PUBLISHED, Status.MATCHING, Status.MATCHED, Status.SOLVED), 12),
    ((Status.PUBLISHED, Status.CLOSED), 6),
)
CLOSE_REASONS = ("企业已通过校园招聘自行解决", "企业调整研发方向，需求取消", "项目资金未落实，暂缓实施",
                 "岗位已由内部人员调岗补充")
RETURN_REASON = "请补充岗位的薪酬待遇、工作地点和到岗时间后重新提交"
FINDINGS = ("企业研发投入逐年增加，{centre}急需高层次人才支撑；反映本地引才难、留才难。",
            "走访座谈了解到企业正推进{product}扩产，生产工艺稳定性有待提升，希望对接高校专家。",
            "企业负责人介绍了{product}的市场情况，提出与区内高校共建{centre}的意愿。",
            "企业技术团队以本科为主，缺少{major}方向的研究生，希望通过科研助理岗位储备人才。")


def _today() -> date:
    return timezone.localdate()


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _wording(rng: random.Random, kind: str, field: Field, spec: EnterpriseSpec) -> tuple[str, str, str]:
    """Title, description and expected talent for a need, in the enterprise's own words."""
    business = rng.choice(field.businesses)
    product, direction = rng.choice(business.products), rng.choice(field.directions)
    major = rng.choice(rng.choice(field.disciplines)[1])
    if kind == Kind.TECH:
        return (f"{product}{rng.choice(('良品率提升', '工艺稳定性', '能耗降低', '关键性能提升'))}技术攻关",
                f"我公司{product}生产中存在批次一致性差、成本偏高的问题，拟围绕“{direction}”开展联合攻关，"
                "希望与高校、科研院所合作，提供技术方案并协助中试。", f"{major}方向教授或副教授，有产业化经验")
    if kind == Kind.TALENT:
        return (f"引进{major}方向高层次人才",
                f"公司{spec.centre}建设需要，拟引进从事“{direction}”研究的人才，负责技术路线规划和研发团队组建，"
                "待遇面议，可提供人才公寓。", f"{major}专业博士，3年以上相关研发经历")
    if kind == Kind.TRANSFER:
        return (f"“{rng.choice(field.projects)}”成果转化合作",
                f"我公司具备{product}生产线和中试条件，希望承接高校相关专利或科研成果，在本地实现转化落地，"
                "可采取技术许可、作价入股等方式。", "成果持有团队负责人")
    return (f"{spec.centre}科研助理",
            f"协助研发人员开展{direction}相关的实验、数据整理和检测工作，签订一年以上劳动合同，缴纳社会保险。",
            f"{major}或相近专业应届硕士、本科毕业生")


def _need(rng: random.Random, spec: EnterpriseSpec, enterprise: Enterprise, kind: str, created: date,
          visit: Visit | None) -> Need:
    field = FIELDS_BY_KEY[spec.field]
    title, description, expected = _wording(rng, kind, field, spec)
    contact = next((c for c in spec.contacts if c.is_primary), spec.contacts[0] if spec.contacts else None)
    assistant = kind == Kind.ASSISTANT
    level = Level.MASTER if assistant else rng.choice((Level.DOCTOR, Level.DOCTOR, Level.MASTER, Level.ANY))
    return Need(enterprise=enterprise, kind=kind, title=title, description=description, field_text=field.tag,
                discipline_code=rng.choice(field.disciplines)[0], industry_code=spec.industry_code,
                expected_talent=expected, level=level, headcount=rng.randint(2, 6) if assistant else rng.randint(1, 3),
                urgency=rng.choice((Urgency.NORMAL, Urgency.NORMAL, Urgency.RATHER, Urgency.URGENT)),
                contact_name=contact.name if contact else "", contact_phone=contact.phone if contact else "",
                deadline=created + timedelta(days=rng.choice((60, 90, 120, 180, 365))), visit=visit,
                created_at=_at(created))


def _as_submitted(need: Need) -> None:
    """need_create publishes what staff enter; demo enterprises other than the persona have no user to submit
    with, so their waiting needs are turned back into submissions, history included."""
    Need.objects.filter(pk=need.pk).update(source=Source.ENTERPRISE, status=Status.PENDING)
    history_for(need).update(to_state=Status.PENDING, reason=Source.ENTERPRISE.label, label="提交需求")
    need.refresh_from_db()


def _walk(need: Need, path: tuple[Status, ...], *, staff: User, rng: random.Random) -> None:
    for status in path:
        if need.status == status:  # staff-entered needs start out published
            continue
        reason = rng.choice(CLOSE_REASONS) if status == Status.CLOSED else ""
        if status == Status.RETURNED:
            reason = RETURN_REASON
        need_transition(need=need, to=status, by=staff, reason=reason)
    if need.kind == Kind.ASSISTANT and path:
        need_record_filled(need=need, filled=rng.randint(0, need.headcount), by=staff)


def needs_load(*, data: DemoData, city: City) -> int:
    """Create the campaign, visits, needs and catalog edition; 0 when the campaign already exists."""
    if Campaign.objects.filter(city=city, name=CAMPAIGN_NAME).exists():
        return 0
    rng = random.Random(data.seed * 7 + 1)  # noqa: S311 - invented demo data
    staff, enterprise_user = User.objects.get(username="city_admin"), User.objects.get(username="enterprise")
    specs = {s.credit_code: s for s in data.enterprises}
    enterprises = list(Enterprise.objects.filter(credit_code__in=specs).order_by("credit_code"))
    today = _today()
    campaign = campaign_save(campaign=Campaign(city=city, name=CAMPAIGN_NAME, starts_on=today - timedelta(days=330),
                                               ends_on=today + timedelta(days=30), bureaus=list(BUREAUS)),
                             enterprises=rng.sample(enterprises, PLANNED), by=staff)
    visits = _visits(rng, campaign, specs, staff, today)
    kinds = [Kind.TECH, Kind.TALENT, Kind.TRANSFER, Kind.ASSISTANT]
    paths = [p for p, _ in PATHS]
    weights = [w for _, w in PATHS]
    for index in range(NEEDS - 4):
        created = today - timedelta(days=int(365 * index / NEEDS) + rng.randint(0, 3))
        visit = visits[index % len(visits)] if index % 3 else None
        enterprise = visit.enterprise if visit else rng.choice(enterprises)
        # every demo enterprise has a credit code (the specs are keyed by it)
        need = need_create(need=_need(rng, specs[cast(str, enterprise.credit_code)], enterprise, kinds[index % 4],
                                      created, visit), by=staff)
        path = rng.choices(paths, weights)[0]
        if not path:  # still waiting for review: as an enterprise submitted it
            _as_submitted(need)
        _walk(need, path, staff=staff, rng=rng)
    _persona_needs(rng, data, specs, staff, enterprise_user, today)
    catalog_publish(scope=Scope(city_id=city.pk, zone_id=None), year=today.year,
                    title=f"{city.name}{today.year}年紧缺人才目录", notes="根据入企问需收集的需求和人才库供给编制。",
                    by=staff)
    return Need.objects.filter(enterprise__in=enterprises).count()


def _visits(rng: random.Random, campaign: Campaign, specs: dict[str, EnterpriseSpec], staff: User,
            today: date) -> list[Visit]:
    planned = sorted(campaign.enterprises.all(), key=lambda e: e.credit_code)
    visits = []
    for index, enterprise in enumerate(rng.sample(planned, VISITED)):
        spec = specs[enterprise.credit_code]
        field = FIELDS_BY_KEY[spec.field]
        findings = rng.choice(FINDINGS).format(centre=spec.centre, product=rng.choice(field.businesses[0].products),
                                               major=rng.choice(field.disciplines[0][1]))
        visits.append(visit_record(visit=Visit(
            campaign=campaign, enterprise=enterprise, bureau=BUREAUS[index % 3],
            visited_on=today - timedelta(days=320 - index * 6), visitors=f"{BUREAUS[index % 3]}走访组",
            findings=findings), by=staff))
    return visits


def _persona_needs(rng: random.Random, data: DemoData, specs: dict[str, EnterpriseSpec], staff: User,
                   enterprise_user: User, today: date) -> None:
    """The demo enterprise's own needs: submitted by its user, one at each stage a user meets first."""
    spec = specs[data.persona_enterprise]
    enterprise = Enterprise.objects.get(credit_code=data.persona_enterprise)
    stages = ((Kind.TECH, (Status.PUBLISHED, Status.MATCHING), 200), (Kind.ASSISTANT, (Status.PUBLISHED,), 120),
              (Kind.TALENT, (), 10), (Kind.TRANSFER, (Status.PUBLISHED, Status.MATCHING, Status.MATCHED), 60),
              (Kind.TALENT, (Status.RETURNED,), 5))
    for kind, path, age in stages:
        need = need_create(need=_need(rng, spec, enterprise, kind, today - timedelta(days=age), None),
                           by=enterprise_user)
        _walk(need, path, staff=staff, rng=rng)


def needs_reset(city_ids: list[int], enterprises: object) -> dict[str, int]:
    """Needs of the demo enterprises (their history goes with them), campaigns and catalogs of the demo city."""
    needs = Need.objects.filter(enterprise__in=enterprises)
    deleted = {"需求": needs.count(), "问需活动": Campaign.objects.filter(city_id__in=city_ids).count()}
    needs.delete()
    Visit.objects.filter(enterprise__in=enterprises).delete()
    Campaign.objects.filter(city_id__in=city_ids).delete()
    CatalogEdition.objects.filter(city_id__in=city_ids).delete()
    CatalogAdjustment.objects.filter(city_id__in=city_ids).delete()
    return deleted


def needs_summary(city: City) -> str:
    needs = Need.objects.filter(enterprise__zone__city=city)
    statuses = "、".join(f"{Status(s).label} {needs.filter(status=s).count()}" for s in Status)
    campaign = Campaign.objects.filter(city=city, name=CAMPAIGN_NAME).first()
    visits = campaign.visits.count() if campaign else 0
    planned = campaign.enterprises.count() if campaign else 0
    editions = CatalogEdition.objects.filter(city=city, zone=None).count()
    return (f"入企问需：{CAMPAIGN_NAME} 计划走访 {planned} 家、已走访 {visits} 家；"
            f"需求 {needs.count()} 条（{statuses}）；已发布紧缺人才目录 {editions} 版。")
