"""The annual assessment opinion (年度考核意见) to the sending unit, as an official letter in .docx and PDF.

Layout of a 公文-style letter: red header with the office's name, a red rule, the document number (文号),
the title, the salutation to the sending unit, the body, the seal line and the date.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from rencai.core.access import require_office
from rencai.core.audit import audit_record
from rencai.core.inbox import notify
from rencai.core.models import User
from rencai.engagements.models import Assessment, Letter, OutcomeKind
from rencai.engagements.notices import LETTER, reminder_key
from rencai.engagements.services import outcome_totals
from rencai.needs.pdf import CJK_FONTS

RED = (0xC0, 0x00, 0x00)


@dataclass(frozen=True)
class LetterContent:
    office: str
    number: str
    title: str
    institution: str
    paragraphs: list[str]
    dated: date

    @property
    def salutation(self) -> str:
        return f"{self.institution}："

    @property
    def date_text(self) -> str:
        return cn_date(self.dated)


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _outcomes_text(assessment: Assessment) -> str:
    totals = outcome_totals(assessment.agreement.outcomes.all())
    parts = [f"{OutcomeKind(k).label}{n}项" for k, n in totals.items() if n]
    return "、".join(parts) if parts else "暂无登记成果"


def content_for(assessment: Assessment, *, number: str, dated: date) -> LetterContent:
    a = assessment.agreement
    office = a.programme.office_name if a.programme else "人才工作领导小组办公室"
    report = a.compliance(min(dated, a.ended_on or a.ends_on))
    body = [
        f"根据柔性引才工作安排，贵单位{a.talent.name}同志以{a.get_mode_display()}方式在{a.enterprise.name}开展服务，"
        f"服务期为{cn_date(a.starts_on)}至{cn_date(a.ended_on or a.ends_on)}。",
        f"{assessment.year}年度，经企业确认累计到岗服务{report.days}天（协议要求{report.required_days}天），"
        f"服务成果：{_outcomes_text(assessment)}。",
        f"经服务企业评价、人才办审核，{a.talent.name}同志{assessment.year}年度考核等次为“{assessment.grade}”"
        f"（综合得分{assessment.score}分）。" + (f"{assessment.office_comment}" if assessment.office_comment else ""),
        "感谢贵单位对我地区人才工作的大力支持。特此函告。",
    ]
    title = f"关于{a.talent.name}同志{assessment.year}年度考核意见的函"
    return LetterContent(office=office, number=number, title=title,
                         institution=a.institution.name, paragraphs=body, dated=dated)


def docx_bytes(letter: LetterContent) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "FangSong", Pt(16)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")

    def line(text: str, *, size: int = 16, bold: bool = False, red: bool = False, align: int | None = None,
             indent: bool = False) -> None:
        p = doc.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(32)
        run = p.add_run(text)
        run.font.size, run.font.bold = Pt(size), bold
        if red:
            run.font.color.rgb = RGBColor(*RED)

    line(letter.office, size=22, bold=True, red=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    line(letter.number, align=WD_ALIGN_PARAGRAPH.CENTER)
    line("━" * 24, red=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=12)
    line(letter.title, size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    line(letter.salutation)
    for text in letter.paragraphs:
        line(text, indent=True)
    line("")
    line(f"{letter.office}（盖章）", align=WD_ALIGN_PARAGRAPH.RIGHT)
    line(letter.date_text, align=WD_ALIGN_PARAGRAPH.RIGHT)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def pdf_bytes(letter: LetterContent) -> bytes:
    from weasyprint import HTML

    html = render_to_string("engagements/letter_pdf.html", {"l": letter, "fonts": CJK_FONTS})
    return HTML(string=html).write_pdf()


def _next_number(year: int) -> str:
    sequence = Letter.objects.filter(sent_at__year=year).count() + 1
    return f"人才办函〔{year}〕{sequence}号"


@transaction.atomic
def letter_send(*, assessment: Assessment, by: User, request: object = None) -> Letter:
    """Write the opinion as .docx and PDF and deliver it to the sending unit's liaisons in the platform."""
    require_office(by)
    if not assessment.grade:
        raise ValueError("考核尚未审定，不能出具考核意见")
    today = timezone.localdate()
    number = _next_number(today.year)
    content = content_for(assessment, number=number, dated=today)
    stem = f"{assessment.agreement.talent.name}-{assessment.year}年度考核意见"
    letter = Letter(assessment=assessment, institution=assessment.agreement.institution, number=number, sent_by=by)
    letter.docx.save(f"{stem}.docx", ContentFile(docx_bytes(content)), save=False)
    letter.pdf.save(f"{stem}.pdf", ContentFile(pdf_bytes(content)), save=False)
    letter.save()
    notify(recipients=letter.institution.liaisons.filter(is_active=True), kind=LETTER,
           subject=assessment.agreement, dedupe_key=reminder_key(assessment.agreement, str(assessment.year)),
           text=f"收到{content.office}《{content.title}》（{number}），请在“考核意见”中查看下载。",
           url=reverse("engagements:letters"))
    audit_record(action="create", request=request, user=by, obj=letter, detail={"number": number})  # type: ignore[arg-type]
    return letter


def zip_bytes(letters: Iterable[Letter]) -> bytes:
    """A whole programme's letters at once: both formats of each, named by talent."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for letter in letters:
            stem = f"{letter.number}-{letter.assessment.agreement.talent.name}"
            for field in (letter.docx, letter.pdf):
                with field.open("rb") as handle:
                    archive.writestr(f"{stem}.{field.name.rsplit('.', 1)[-1]}", handle.read())
    return out.getvalue()
