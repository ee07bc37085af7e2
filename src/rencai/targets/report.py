"""The monthly report (人才工作月度报告) in core's official-letter layout (`rencai.core.officialdoc`, GB/T 9704-2012
style), as .docx and PDF: the office's sender line, the month's 文号, title, 主送机关, body, 落款 and date.

Every figure is read live, scoped to the user who asks: targets and 序时进度 (`progress_rows`), the pool, the fund,
service outcomes and postdocs (`dashboard_picture`), and the newer areas — the year's figures counted by their
registered sources (`areas.area_figures`, as on the dashboard) and their own headline figures read through their
selectors (`selectors.area_totals`). The letter has no tables: each figure is a sentence, as offices write them."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from rencai.core.models import City, User, Zone
from rencai.core.office import office_of
from rencai.core.officialdoc import OfficialLetter, letter_for
from rencai.targets.selectors import area_totals, city_of, dashboard_picture, progress_rows, zone_of
from rencai.targets.services import REPORT_SERIES, monthly_report_number

NUMERALS = "一二三四五六七八九十"


def _num(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() or abs(value) >= 100 else f"{value:g}"
    return str(value)


def _pair(label: str, value: Any) -> str:
    if label.endswith("%"):  # "按期办结率%" on the dashboard reads "按期办结率 100%" in a letter
        return f"{label[:-1]} {_num(value)}{'%' if value is not None else ''}"
    return f"{label} {_num(value)}"


def _pairs(pairs: list[tuple[str, Any]]) -> str:
    return "，".join(_pair(label, value) for label, value in pairs)


def _progress_sentence(r: dict[str, Any]) -> str:
    ind, unit = r["indicator"], r["indicator"].unit
    if r["target"] is None:
        return f"{ind.name}：完成{r['actual']}{unit}（未下达目标）。"
    fc = r["forecast"]
    return (f"{ind.name}：目标{r['target']}{unit}，完成{r['actual']}{unit}，完成率{r['percent']}%，"
            f"序时进度{r['rag_label'] or '—'}；预计年末{fc.expected}{unit}（80%区间{fc.low}—{fc.high}），"
            f"达标概率{fc.chance_percent}%。")


def report_paragraphs(user: User, year: int, on: datetime.date) -> list[str]:
    """The body of the report: one numbered section per area, every figure from the registers."""
    rows = progress_rows(user, year, on)
    p = dashboard_picture(user, year, on, rows=rows)
    zone = zone_of(user)
    where = zone.name if zone else "全市"
    paragraphs = [f"现将{where}{year}年1—{on.month}月人才工作主要指标完成情况报告如下（数据截至{on.year}年{on.month}月"
                  f"{on.day}日，由平台按指标口径从登记记录实时计算，未经手工填报）。"]
    sections: list[tuple[str, list[str]]] = [
        ("目标任务完成情况", [_progress_sentence(r) for r in rows] or ["本年度尚未设置考核指标。"]),
        ("人才库", [f"在库人才{p['pool_total']}人。按层次：{_pairs(p['pool_by_tier']) or '暂无'}；"
                    f"按旗区：{_pairs(p['pool_by_zone']) or '暂无'}。"]),
        ("人才发展资金", [f"{f['name']}级：预算{_num(f['budget'])}元，已承诺{_num(f['committed'])}元，"
                          f"已支付{_num(f['paid'])}元，结余{_num(f['left'])}元。" for f in p["fund"]]
         or [f"{year}年度暂无资金账户。"]),
        ("柔性引才服务成果", [f"{year}年：{_pairs(p['outcomes']) or '暂无登记成果'}；对接成功{p['matched']}对。"]),
        ("博士后", [f"{_pairs(p['postdocs'])}。"]),
    ]
    totals = {a["name"]: a["figures"] for a in area_totals(user, year)}
    for area in p["areas"]:
        lines = [f"{year}年（截至{on.month}月{on.day}日）：{_pairs(area['figures'])}。"]
        if totals.get(area["name"]):
            lines.append(f"另据该领域统计：{_pairs(totals[area['name']])}。")
        sections.append((area["name"], lines))
    for i, (heading, lines) in enumerate(sections):
        paragraphs.append(f"{NUMERALS[i] if i < len(NUMERALS) else i + 1}、{heading}")
        paragraphs.extend(lines)
    return paragraphs


def report_scope(user: User) -> tuple[City | None, Zone | None]:
    return city_of(user), zone_of(user)


def monthly_letter(user: User, year: int, on: datetime.date, request: HttpRequest | None = None) -> OfficialLetter:
    """The month's report as an official letter; its 文号 is the month's, allocated the first time it is written."""
    city, zone = report_scope(user)
    title = f"{zone.name if zone else ''}{year}年{on.month}月人才工作月度报告"
    if city is None:  # an installation without a city yet: the layout still holds, with no series to number from
        return letter_for(city=None, kind=REPORT_SERIES, title=title, institution="", number="—",
                          paragraphs=report_paragraphs(user, year, on), dated=timezone.localdate())
    record = monthly_report_number(city=city, zone=zone, year=year, month=on.month, by=user, request=request)
    office = office_of(city).sender
    leaders = office.removesuffix("办公室") if office.endswith("领导小组办公室") else ""
    return letter_for(city=city, kind=REPORT_SERIES, number=record.number, title=title,
                      institution=leaders or "各位领导", paragraphs=report_paragraphs(user, year, on),
                      dated=timezone.localdate(record.created_at))
