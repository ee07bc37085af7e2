"""The task book (任务书) and the acceptance opinion (验收意见) in official-letter layout, as .docx and PDF.

The layout is core's one official-document layout (`rencai.core.officialdoc`, GB/T 9704-2012 style): the office
profile signs it and the 文号 is the award's task book number (allocated once, at award, from the city's series).
"""

from __future__ import annotations

from django.utils import timezone

from rencai.challenges.models import Award, Milestone
from rencai.core.officialdoc import OfficialLetter, letter_for
from rencai.core.officialdoc import docx_bytes as _docx
from rencai.core.officialdoc import pdf_bytes as _pdf

LetterContent = OfficialLetter  # what both papers are


def _split(ms: Milestone) -> str:
    """Who pays what of a co-funded tranche; nothing to say when the fund carries all of it."""
    if ms.enterprise_amount == 0:
        return ""
    return f"，其中财政资金 {ms.public_amount} 元、出资企业自筹 {ms.enterprise_amount} 元"


def task_book(award: Award) -> LetterContent:
    c, bid = award.challenge, award.bid
    paragraphs = [
        f"经公开发榜、揭榜、专家评审和公示，确定由{bid.unit}{bid.lead_name}团队承担“{c.title}”揭榜挂帅项目"
        f"（发榜方：{c.issuer_name}），资助金额 {award.amount} 元。",
        f"攻关任务：{c.problem}",
        "考核指标：" + "；".join(f"{k['name']} {k['target']}{k.get('unit', '')}" for k in c.kpis) + "。",
        f"验收标准：{c.acceptance_criteria}",
    ]
    for ms in award.milestones.order_by("seq"):
        paragraphs.append(f"第{ms.seq}期：{ms.title}，{ms.due:%Y年%m月%d日}前完成，交付{ms.deliverable}；"
                          f"经发榜方验收、人才办审核后拨付 {ms.percent}%（{ms.amount} 元{_split(ms)}）。")
    paragraphs.append("承担团队应按任务书组织实施，按期报告进展；未通过阶段评估的，终止资助，未拨付资金收回。")
    return letter_for(city=c.zone.city, kind="challenges.taskbook", number=award.task_book_number or "—",
                      title="揭榜挂帅项目任务书", institution=f"{bid.unit}{bid.lead_name}团队", paragraphs=paragraphs,
                      dated=timezone.localdate(award.awarded_at) if award.awarded_at else timezone.localdate())


def acceptance_opinion(award: Award) -> LetterContent:
    c, bid = award.challenge, award.bid
    lines = [f"{r['name']}：目标 {r['target']}{r.get('unit', '')}，完成 {r.get('result') or '—'}，"
             f"{'达标' if r.get('met') else '未达标'}" for r in award.kpi_results]
    paragraphs = [f"“{c.title}”揭榜挂帅项目（任务书编号 {award.task_book_number}）已完成最终验收。",
                  "各项指标完成情况：" + "；".join(lines) + "。",
                  f"取得成果：专利 {award.patents} 件，新产品/新工艺 {award.products} 项，"
                  f"解决难题 {award.problems_solved} 项。",
                  f"验收意见：{award.acceptance_opinion}"]
    return letter_for(city=c.zone.city, kind="challenges.taskbook", number=award.task_book_number or "—",
                      title="揭榜挂帅项目验收意见", institution=f"{bid.unit}{bid.lead_name}团队", paragraphs=paragraphs,
                      dated=timezone.localdate())


def docx_bytes(content: LetterContent) -> bytes:
    return _docx(content)


def pdf_bytes(content: LetterContent) -> bytes:
    return _pdf(content)
