"""Reads of this area: every query starts from a scoped queryset (Model.objects.visible_to(user))."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Count, Sum
from django.utils import timezone

from rencai.core.listing import plain_int
from rencai.core.models import Bureau, City, User, Zone
from rencai.targets.forecast import RAG_LABELS, forecast_year_end, rag
from rencai.targets.indicators import Where, actual, monthly
from rencai.targets.models import Indicator, Measure, Target


def city_of(user: User) -> City | None:
    if user.city_id:
        return user.city
    if user.zone_id and user.zone is not None:
        return user.zone.city
    return City.objects.order_by("pk").first()


def zone_of(user: User) -> Zone | None:
    return user.zone if user.zone_id else None


def when(year_text: str | None, month_text: str | None = None) -> tuple[int, datetime.date]:
    """The year asked for (this year when missing, not a number or out of range) and the day its figures are read
    on: today in the current year, else 31 December; with a month, the last day of that month (never after today)."""
    today = timezone.localdate()
    year = plain_int(year_text, today.year) or today.year
    year = max(2000, min(year, today.year))
    on = today if year == today.year else datetime.date(year, 12, 31)
    month = plain_int(month_text)
    if month is not None and 1 <= month < on.month:
        on = (datetime.date(year, month, 28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    return year, on


def progress_rows(user: User, year: int, on: datetime.date,
                  indicators: Iterable[Indicator] | None = None) -> list[dict[str, Any]]:
    """One row per indicator (all the user may see, or those given) with a target at the user's level: target,
    actual, 序时进度, forecast."""
    city = city_of(user)
    if city is None:
        return []
    zone = zone_of(user)
    where = Where(city, zone=zone)
    targets = {t.indicator_id: t for t in Target.objects.visible_to(user).filter(year=year, city=city, zone=zone,
                                                                                 bureau=None)}
    months = on.month if on.year == year else 12
    out = []
    for ind in (Indicator.objects.visible_to(user) if indicators is None else indicators):
        target = targets.get(ind.pk)
        series = monthly(ind, year, where, through=months)
        elapsed = None
        if on.year == year and on.month == months:  # the current month is still running
            series[-1] = actual(ind, year, where, upto=on)
            days = (on.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - on.replace(day=1)
            elapsed = months - 1 + on.day / days.days
        value = series[-1]
        fc = forecast_year_end(series, target.value if target else None, counts=ind.measure == Measure.FLOW,
                               elapsed=elapsed)
        state = rag(value, target.value, on) if target else ""
        out.append({"indicator": ind, "target": target.value if target else None, "actual": value,
                    "percent": round(value * 100 / target.value) if target and target.value else None,
                    "rag": state, "rag_label": RAG_LABELS.get(state, ""), "forecast": fc, "series": series})
    return out


def _pairs(qs: Any, field: str, labels: dict[str, str] | None = None) -> list[tuple[str, int]]:
    rows = qs.values(field).annotate(n=Count("pk")).order_by("-n")
    return [((labels or {}).get(r[field], r[field]) or "未填", r["n"]) for r in rows]


def dashboard_picture(user: User, year: int, on: datetime.date,
                      rows: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Every figure of the dashboard, from the registers (scoped to the user); `rows` when already computed."""
    from rencai.engagements.models import Outcome, OutcomeKind
    from rencai.funds.models import Account, Level
    from rencai.matching.models import Pairing
    from rencai.postdoc.models import ACTIVE_STAGES, Postdoc
    from rencai.talents.models import Talent, Tier

    rows = progress_rows(user, year, on) if rows is None else rows
    talents = Talent.objects.visible_to(user)
    picture: dict[str, Any] = {
        "year": year, "on": on.isoformat(),
        "progress": [{"name": r["indicator"].name, "code": r["indicator"].code, "target": r["target"],
                      "actual": r["actual"], "percent": r["percent"], "rag": r["rag"],
                      "expected": r["forecast"].expected, "low": r["forecast"].low, "high": r["forecast"].high,
                      "chance": r["forecast"].chance_percent, "series": r["series"]} for r in rows],
        "pool_by_tier": _pairs(talents, "tier", {k: str(v) for k, v in Tier.choices}),
        "pool_by_field": _pairs(talents, "discipline")[:10],
        "pool_by_zone": _pairs(talents, "zone__name"),
        "pool_total": talents.count(),
    }
    funds: dict[str, dict[str, Decimal]] = {}
    for a in Account.objects.visible_to(user).filter(fund__year=year).select_related("fund"):
        level = str(dict(Level.choices)[a.fund.level])
        funds.setdefault(level, {"available": Decimal(0), "committed": Decimal(0), "paid": Decimal(0)})
        if a.kind in funds[level]:
            funds[level][a.kind] += a.balance
    picture["fund"] = [{"name": lv, "budget": float(v["available"] + v["committed"] + v["paid"]),
                        "committed": float(v["committed"]), "paid": float(v["paid"]), "left": float(v["available"])}
                       for lv, v in funds.items()]
    outcomes = Outcome.objects.visible_to(user).filter(achieved_on__year=year).values("kind").annotate(n=Sum("count"))
    kinds = dict(OutcomeKind.choices)
    picture["outcomes"] = [(str(kinds.get(r["kind"], r["kind"])), int(r["n"] or 0)) for r in outcomes]
    picture["matched"] = Pairing.objects.visible_to(user).filter(status__in=["accepted", "completed"],
                                                                 updated_at__year=year).count()
    postdocs = Postdoc.objects.visible_to(user)
    picture["postdocs"] = [("在站", postdocs.filter(stage__in=ACTIVE_STAGES).count()),
                           (f"{year}年进站", postdocs.filter(entered_on__year=year).count()),
                           (f"{year}年出站", postdocs.filter(left_on__year=year).count())]
    from rencai.targets.areas import area_figures

    picture["areas"] = area_figures(user, year, on)
    return picture


def bureaus_of(city: City) -> list[Bureau]:
    return list(Bureau.objects.filter(city=city).order_by("name"))


def area_totals(user: User, year: int) -> list[dict[str, Any]]:
    """The newer areas' own headline figures, read through each area's selectors (the same numbers their own
    figures pages show), scoped to the user: [{"name": "揭榜挂帅", "figures": [(label, value), …]}, …].

    揭榜挂帅 and 一站式服务 are cumulative in the user's scope; 招才引智 counts the intentions registered in `year`.
    An area whose app is not installed is left out."""
    out: list[dict[str, Any]] = []
    if apps.is_installed("rencai.challenges"):
        from rencai.challenges.selectors import outcome_totals

        c = outcome_totals(user)
        out.append({"name": "揭榜挂帅", "figures": [("累计立项项目", c["awards"]), ("解决难题", c["problems_solved"]),
                                                 ("专利", c["patents"]), ("新产品/新工艺", c["products"])]})
    if apps.is_installed("rencai.onestop"):
        from rencai.onestop.selectors import picture

        o = picture(user)
        out.append({"name": "一站式服务", "figures": [
            ("累计服务申请", o["requests"]), ("累计办结", o["done"]), ("按期办结率%", o["on_time_percent"]),
            ("平均办理工作日", o["average_days"]), ("满意度（5分制）", o["satisfaction"]),
            ("人才公寓入住率%", o["occupancy_percent"]), ("走访专家", o["experts_visited"]),
            ("超期未办任务", o["overdue_tasks"])]})
    if apps.is_installed("rencai.recruitment"):
        from rencai.recruitment.selectors import funnel_picture, intentions_for

        r = funnel_picture(intentions_for(user).filter(created_at__year=year))
        out.append({"name": "招才引智", "figures": [
            (f"{year}年登记意向", r["total"]), ("其中签约", r["signed"]), ("其中区内参保", r["insured"]),
            ("签约转化率%", r["conversion"]), ("平均签约用时（天）", r["time_to_sign"])]})
    return out
