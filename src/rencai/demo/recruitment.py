"""Demo data for 招才引智活动: a half-year campus campaign (名校引才专项行动) with 1,178 hiring intentions from
eight universities, moved along the pipeline through the services (contacted, interviewed, offered, signed with
the contract uploaded, or lost with a reason), and one innovation competition whose winners land in the zone or
lapse. Arrival, insurance and retention are not in the demo: arrival enters the hire in the talent register, whose
demo size the register's own checks fix.

Idempotent: nothing is created when the campaign (by name, in the demo city) is already there.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

CAMPAIGN = "名校引才专项行动（演示）"
COMPETITION = "稀土新材料创新创业大赛（演示）"
INTENTIONS = 1178
UNIVERSITIES = [("清华大学", "北京"), ("北京大学", "北京"), ("浙江大学", "杭州"), ("西安交通大学", "西安"),
                ("哈尔滨工业大学", "哈尔滨"), ("东北大学", "沈阳"), ("中南大学", "长沙"), ("内蒙古大学", "呼和浩特")]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平",
         "刚", "桂英", "思远", "子涵", "浩然", "雨萱", "晨曦", "梓轩", "一鸣", "欣怡", "嘉豪", "诗琪"]
MAJORS = ["材料科学与工程", "冶金工程", "化学工程", "机械工程", "电气工程", "计算机科学与技术", "环境工程", "应用化学"]
LOST_REASONS = ["已接受外地录用", "薪酬期望未达成", "继续深造", "家庭原因", "岗位不匹配"]


def _staff(zone: Any) -> Any:
    from rencai.core.models import User
    from rencai.core.roles import Role

    return (User.objects.filter(role=Role.OFFICE_ADMIN, is_active=True, zone=zone).order_by("pk").first()
            or User.objects.filter(role=Role.OFFICE_ADMIN, is_active=True).order_by("pk").first())


def _id_number(rng: random.Random, birth: datetime.date) -> str:
    from rencai.core.validators import id_number_check_char

    first17 = f"150299{birth:%Y%m%d}{rng.randint(0, 999):03d}"
    return first17 + id_number_check_char(first17)


def load(*, data: Any, city: Any, zones: dict[str, Any]) -> int:
    """Create this area's demo records (idempotent); return how many were created."""
    from rencai.recruitment.models import Campaign

    if not zones or Campaign.objects.filter(name=CAMPAIGN, city=city).exists():
        return 0
    with transaction.atomic():
        return _load(random.Random(getattr(data, "seed", 2026) + 15), city, zones)  # noqa: S311 - demo data


def _load(rng: random.Random, city: Any, zones: dict[str, Any]) -> int:
    from rencai.needs.models import Kind, Need
    from rencai.orgs.models import Enterprise
    from rencai.recruitment import services
    from rencai.recruitment.models import Intention, Source

    zone = next(iter(zones.values()))
    staff = _staff(zone)
    if staff is None:
        return 0
    today = timezone.localdate()
    starts = today - datetime.timedelta(days=300)
    campaign = services.campaign_create(by=staff, name=CAMPAIGN, city=city, zone=zone, starts_on=starts,
                                        ends_on=starts + datetime.timedelta(days=182), target_hires=120)
    events = []
    for i, (university, city_name) in enumerate(UNIVERSITIES):
        event = services.event_add(campaign=campaign, by=staff, held_on=starts + datetime.timedelta(days=10 + 21 * i),
                                   university=university, city_name=city_name, title=f"{university}专场")
        event.booth_staff.add(staff)
        events.append(event)
    posts = [services.post_add(campaign=campaign, by=staff, need=need)
             for need in Need.objects.filter(enterprise__zone=zone, kind__in=[Kind.TALENT, Kind.ASSISTANT])
             .select_related("enterprise").order_by("pk")[:24]]
    enterprises = list(Enterprise.objects.filter(zone=zone).order_by("pk")[:12])
    for n, enterprise in enumerate(enterprises):
        if len(posts) >= 30:
            break
        posts.append(services.post_add(campaign=campaign, by=staff, enterprise=enterprise,
                                       title=["研发工程师", "工艺工程师", "科研助理"][n % 3],
                                       field_text=["新材料", "新能源", "智能制造"][n % 3], headcount=3))
    posts += _enterprise_side(campaign, events, staff, posts)
    if not posts:
        return 0
    intentions: list[Any] = []
    people: list[dict[str, Any]] = []
    seen: set[int] = set()
    while len(intentions) < INTENTIONS:
        if people and rng.random() < 0.06:  # the same person again, at another event
            person = rng.choice(people)
        else:
            birth = datetime.date(rng.randint(1990, 2001), rng.randint(1, 12), rng.randint(1, 28))
            degree = rng.choices(["博士", "硕士", "学士"], [2, 5, 3])[0]
            person = {"name": rng.choice(SURNAMES) + rng.choice(GIVEN), "birth_date": birth, "degree": degree,
                      "phone": f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}",
                      "id_number": _id_number(rng, birth) if rng.random() < 0.7 else "",
                      "major": rng.choice(MAJORS)}
            people.append(person)
        event = rng.choice(events)
        intention = services.intention_capture(
            post=rng.choice(posts), event=event, consent=True, by=None if rng.random() < 0.8 else staff,
            source=Source.QR if rng.random() < 0.8 else Source.STAFF, university=event.university, **person)
        if intention.pk in seen:
            continue
        seen.add(intention.pk)
        when = timezone.make_aware(datetime.datetime.combine(event.held_on, datetime.time(10)))
        Intention.objects.filter(pk=intention.pk).update(created_at=when)
        intentions.append(intention)
    moved = _move_along(rng, intentions, staff, zone, today)
    return len(intentions) + len(events) + len(posts) + moved + _competition(rng, city, zone, staff, today)


def _enterprise_side(campaign: Any, events: list[Any], staff: Any, posts: list[Any]) -> list[Any]:
    """The demo enterprise's recruiter staffs the first two booths (and is told in the inbox), and posts one of
    its own published 人才引进 needs itself, as an enterprise does from 报名招聘岗位."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from rencai.core.models import User
    from rencai.needs.models import Kind, Need
    from rencai.recruitment import services

    recruiter = User.objects.filter(username="enterprise").first()
    if recruiter is None:
        return []
    for event in events[:2]:
        services.event_update(event=event, booth_staff=[*event.booth_staff.all(), recruiter], by=staff)
    posted = {p.need_id for p in posts}
    own = (Need.objects.filter(enterprise__members=recruiter, kind__in=[Kind.TALENT, Kind.ASSISTANT])
           .exclude(pk__in=posted).order_by("pk"))
    for need in own:
        try:
            return [services.post_add(campaign=campaign, by=recruiter, need=need)]
        except (ValidationError, PermissionDenied):  # not published yet: the office publishes needs first
            continue
    return []


def _move_along(rng: random.Random, intentions: list[Any], staff: Any, zone: Any, today: datetime.date) -> int:
    """Follow-up to signing (with the contract uploaded). Arrival is left to the office: it enters the hire in the
    talent register, and the demo register keeps exactly the 300 talents its own checks expect."""
    from rencai.recruitment import services
    from rencai.recruitment.models import Stage

    ladder = [("contact", 0.45), ("interview", 0.5), ("offer", 0.55), ("sign", 0.7)]
    moves = 0
    for intention in intentions:
        if intention.stage != Stage.CAPTURED:
            continue
        day = intention.event.held_on
        for move, chance in ladder:
            if rng.random() > chance:
                if move != "contact" and rng.random() < 0.5:
                    day += datetime.timedelta(days=rng.randint(3, 20))
                    services.intention_move(intention=intention, move="lose", by=staff, on=min(day, today),
                                            reason=rng.choice(LOST_REASONS))
                    moves += 1
                break
            day += datetime.timedelta(days=rng.randint(3, 25))
            if day > today:
                break
            intention = services.intention_move(intention=intention, move=move, by=staff, on=day)
            moves += 1
            if move == "sign" and rng.random() < 0.6:
                contract = SimpleUploadedFile("劳动合同.pdf", b"%PDF-1.4\n% demo contract\n",
                                              content_type="application/pdf")
                services.contract_upload(intention=intention, file=contract, by=staff)
    return moves


def _competition(rng: random.Random, city: Any, zone: Any, staff: Any, today: datetime.date) -> int:
    from rencai.orgs.models import Enterprise
    from rencai.recruitment import services
    from rencai.recruitment.models import Competition, Entry, Judge, Landing, Round, Track

    competition = Competition.objects.create(city=city, zone=zone, name=COMPETITION, year=today.year - 1,
                                             landing_months=6)
    tracks = [Track.objects.create(competition=competition, name=n) for n in ("新材料", "新能源")]
    first = Round.objects.create(competition=competition, seq=1, name="复赛", quota=4)
    final = Round.objects.create(competition=competition, seq=2, name="决赛", quota=2)
    criteria = [services.criterion_add(competition=competition, name=n, weight=Decimal(w))
                for n, w in (("技术先进性", "0.4"), ("市场前景", "0.35"), ("团队能力", "0.25"))]
    judges = [Judge.objects.create(competition=competition, name=n, unit=u)
              for n, u in (("周建华", "北京科技大学"), ("吴立新", "中国科学院"), ("郑海燕", "内蒙古科技大学"),
                           ("冯志刚", "包头稀土研究院"))]
    units = ["北京科技大学", "浙江大学", "包头稀土研究院", "中南大学", "东北大学", "上海交通大学", "四川大学",
             "天津大学"]
    codes = list(Enterprise.objects.filter(zone=zone).exclude(credit_code=None).values_list("credit_code", flat=True)
                 .order_by("pk")[20:24])
    entries = []
    for track in tracks:
        for n in range(8):
            entries.append(Entry.objects.create(
                track=track, project=f"{track.name}项目{n + 1:02d}", leader=rng.choice(SURNAMES) + rng.choice(GIVEN),
                unit=units[n], reached=first, support_tier=rng.choice("CD"),
                support_subsidy=Decimal(rng.choice([50, 100])),
                support_space=rng.choice([200, 500])))
    for rnd in (first, final):
        for entry in Entry.objects.filter(reached=rnd):
            for judge in judges:
                if services.judge_conflicts(judge, entry):
                    continue
                services.score_record(judge=judge, entry=entry, round=rnd, by=staff,
                                      values={c.pk: Decimal(rng.randint(60, 98)) for c in criteria})
        services.round_close(round=rnd, by=staff, today=today - datetime.timedelta(days=240))
    winners = list(Entry.objects.filter(track__competition=competition, winner=True).order_by("pk"))
    for i, winner in enumerate(winners):
        if i < len(codes) and i % 2 == 0:
            winner.credit_code = codes[i]  # registered in the zone: landed
            winner.save(update_fields=["credit_code"])
        elif i == 1:  # a commitment still running
            winner.landing_due = today + datetime.timedelta(days=60)
            winner.save(update_fields=["landing_due"])
    services.landing_check(today)
    return len(entries) + len(judges) + 1 + sum(1 for w in winners if w.landing != Landing.NONE)


def reset() -> dict[str, int]:
    """Delete this area's demo records before the registers are reset; return counts by kind."""
    from django.contrib.contenttypes.models import ContentType

    from rencai.core.models import StateChange
    from rencai.policies.models import Entitlement, Instalment, Share
    from rencai.recruitment.models import Campaign, Candidate, Competition, Entry, InsuranceRecord, Intention

    campaigns = Campaign.objects.filter(name=CAMPAIGN)
    competitions = Competition.objects.filter(name=COMPETITION)
    if not campaigns.exists() and not competitions.exists():
        return {}
    intentions = Intention.objects.filter(post__campaign__in=campaigns)
    counts = {"求职意向": intentions.count()}
    with transaction.atomic():
        entitlements = Entitlement.objects.filter(pk__in=intentions.exclude(entitlement=None).values("entitlement"),
                                                  status=Entitlement.Status.PENDING)
        Share.objects.filter(instalment__entitlement__in=entitlements).delete()
        Instalment.objects.filter(entitlement__in=entitlements).delete()
        StateChange.objects.filter(content_type=ContentType.objects.get_for_model(Entitlement),
                                   object_id__in=entitlements.values("pk")).delete()
        candidates = list(Candidate.objects.filter(intentions__in=intentions).values_list("pk", flat=True).distinct())
        StateChange.objects.filter(content_type=ContentType.objects.get_for_model(Intention),
                                   object_id__in=intentions.values("pk")).delete()
        hashes = Candidate.objects.filter(pk__in=candidates).values("id_number_hash")
        InsuranceRecord.objects.filter(id_number_hash__in=hashes).exclude(id_number_hash="").delete()
        for intention in intentions:
            if intention.contract:
                intention.contract.delete(save=False)
        intentions.delete()
        entitlements.delete()
        Candidate.objects.filter(pk__in=candidates, intentions__isnull=True).delete()
        counts["招才活动"] = campaigns.count()
        campaigns.delete()
        counts["创新创业大赛"] = competitions.count()
        Entry.objects.filter(track__competition__in=competitions).delete()  # they hold their round (PROTECT)
        competitions.delete()
    return counts


def summary() -> str:
    """One line for the load_demo report, or "" when nothing is loaded."""
    from rencai.recruitment.models import Campaign, Entry, Intention, Landing, Stage

    campaign = Campaign.objects.filter(name=CAMPAIGN).first()
    if campaign is None:
        return ""
    rows = Intention.objects.filter(post__campaign=campaign)
    landed = Entry.objects.filter(track__competition__name=COMPETITION, landing=Landing.LANDED).count()
    lapsed = Entry.objects.filter(track__competition__name=COMPETITION, landing=Landing.LAPSED).count()
    return (f"招才引智：{campaign.name} {rows.count()} 条意向（{campaign.events.count()} 所高校），"
            f"签约及以后 {rows.filter(signed_on__isnull=False).exclude(stage=Stage.LOST).count()} 人，"
            f"区内参保 {rows.filter(insured_on__isnull=False).count()} 人；"
            f"大赛获奖项目落地 {landed} 个、逾期 {lapsed} 个")
