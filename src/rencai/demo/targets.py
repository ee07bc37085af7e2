"""Demo data for 目标考核与驾驶舱: indicators, three years of arrivals and departures of the demo talents,
targets cascaded city → zone, bureau claims, an adjustment, and a locked, analysed policy-effect evaluation."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

DEMO_USER = "demo_targets"
INDICATORS = [
    # code, name, source, measure, filters, rule
    ("phd_in", "引进博士", "stays.arrivals", "flow", {"talent__degree": "博士"},
     "学位为博士、到岗日期在年度内、在本区的人才；同一人年内多次到岗只计一次"),
    ("master_in", "引进硕士", "stays.arrivals", "flow", {"talent__degree": "硕士"},
     "学位为硕士、到岗日期在年度内的人才；一人只计一次"),
    ("high_stock", "在区高层次人才", "stays.stock", "stock", {"talent__tier__in": ["A", "B", "C"]},
     "A–C类人才中年末仍在区的人数（存量，按到岗与离区日期）"),
    ("postdoc_in", "博士后进站", "postdoc.entered", "flow", {}, "进站日期在年度内的博士后；一人只计一次"),
    ("outcomes", "服务成果", "engagements.outcomes", "flow", {}, "柔性引才协议下取得日期在年度内的成果数量合计"),
]


def _user() -> Any:
    from rencai.core.models import User
    from rencai.core.roles import Role

    user, _ = User.objects.get_or_create(username=DEMO_USER, defaults={"role": Role.OFFICE_ADMIN,
                                                                       "display_name": "目标考核演示"})
    return user


def load(*, data: Any, city: Any, zones: dict[str, Any]) -> int:
    """Create this area's demo records (idempotent); return how many were created."""
    from rencai.core.models import Bureau, Zone
    from rencai.policies.autogrant import scan_policy
    from rencai.policies.models import Policy
    from rencai.talents.models import Talent
    from rencai.targets import services
    from rencai.targets.models import Claim, Evaluation, Indicator, Stay

    if Stay.objects.filter(zone__in=zones.values()).exists():
        return 0
    rng = random.Random(2026)  # noqa: S311  (demo data, not secrets)
    created = 0
    user = _user()
    today = timezone.localdate()
    years = [today.year - 2, today.year - 1, today.year]
    with transaction.atomic():
        inds = {}
        for order, (code, name, src, measure, filters, rule) in enumerate(INDICATORS):
            inds[code], new = Indicator.objects.get_or_create(code=code, defaults={
                "name": name, "source": src, "measure": measure, "filters": filters, "rule": rule, "order": order})
            created += new
        talents = list(Talent.objects.filter(zone__in=zones.values()).order_by("pk"))
        for t in talents:
            year = rng.choice(years)
            arrived = datetime.date(year, rng.randint(1, 12 if year < today.year else today.month), rng.randint(1, 28))
            if arrived > today:
                arrived = today
            left = None
            # beneficiaries of the introduction reward stay more often (the planted effect the evaluation sees)
            leave_chance = 0.2 if t.talent_type == "全职引进" else 0.4
            if rng.random() < leave_chance:
                left = arrived + datetime.timedelta(days=rng.randint(60, 700))
                left = left if left < today else None
            Stay.objects.create(talent=t, zone=t.zone, arrived_on=arrived, left_on=left)
            created += 1
        bureaus = list(Bureau.objects.filter(city=city).order_by("pk")[:2])
        for i, t in enumerate(talents[:12]):
            for b in bureaus[: 1 + (i % 4 == 0)]:  # every fourth one claimed by two bureaus
                Claim.objects.get_or_create(talent=t, bureau=b, year=today.year)
                created += 1
        zone_list = list(zones.values())
        for year in years:
            for code, per_zone in (("phd_in", 6), ("master_in", 8), ("high_stock", 10), ("postdoc_in", 2),
                                   ("outcomes", 12)):
                parts = [per_zone + rng.randint(-1, 2) for _ in zone_list]
                services.target_set(indicator=inds[code], year=year, city=city, value=sum(parts), by=user)
                for z, v in zip(zone_list, parts, strict=True):
                    services.target_set(indicator=inds[code], year=year, city=city, zone=z, value=v, by=user)
                created += 1 + len(zone_list)
        for year in years[:-1]:
            services.period_move(period=services.period_for(city, year), move="lock", by=user)
        policy = Policy.objects.get(code="graduate_intro_reward")
        # the daily 免申即享 scan (policies' own function) finds the beneficiaries the evaluation compares
        scan_policy(policy, today, Zone.objects.filter(pk__in=[z.pk for z in zones.values()]))
        version = policy.versions.order_by("number").first()
        if version is not None and not Evaluation.objects.filter(city=city).exists():
            # staggered adoption: one zone mid-last-year, one this January, the rest not yet (the comparison)
            dates = [f"{years[1]}-07-01", f"{years[2]}-01-01"]
            adoption = {z.code: (dates[i] if i < len(dates) else "") for i, z in enumerate(zone_list)}
            ev = services.evaluation_create(version=version, city=city, by=user, degree="",
                                            question="硕博人才引进奖励是否让更多人才留在本区？", outcome_months=12,
                                            adoption=adoption)
            services.evaluation_lock(evaluation=ev, by=user)
            services.evaluation_run(evaluation=ev, by=user)
            created += 1
    return created


def reset() -> dict[str, int]:
    """Delete this area's demo records before the registers are reset; return counts by kind."""
    from rencai.targets.models import Adjustment, Claim, Evaluation, Indicator, Period, Stay, Target

    counts = {}
    for label, model in (("评估", Evaluation), ("调整", Adjustment), ("目标", Target), ("考核期", Period),
                         ("认领", Claim), ("在区记录", Stay)):
        counts[label] = model.objects.all().delete()[0]
    counts["指标"] = Indicator.objects.filter(code__in=[i[0] for i in INDICATORS]).delete()[0]
    return counts


def summary() -> str:
    """One line for the load_demo report, or "" when nothing is loaded."""
    from rencai.targets.models import Evaluation, Indicator, Stay, Target

    if not Stay.objects.exists():
        return ""
    return (f"目标考核：{Indicator.objects.count()} 项指标，{Target.objects.count()} 个年度目标，"
            f"{Stay.objects.count()} 条在区记录，{Evaluation.objects.count()} 项政策效果评估")
