"""The annual assessment opinion (年度考核意见) to the sending unit, as an official letter in .docx and PDF.

The layout (GB/T 9704: red 发文机关标志 with the office's sender line, 文号 from the office's series, red rule, title,
主送机关, body, 落款, 印发 line) is core's, `rencai.core.officialdoc`.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from rencai.core.access import require_office
from rencai.core.audit import audit_record
from rencai.core.inbox import notify
from rencai.core.models import User
from rencai.core.office import office_of
from rencai.core.officialdoc import OfficialLetter, cn_date, docx_bytes, letter_for, pdf_bytes
from rencai.engagements.models import Assessment, Letter, OutcomeKind
from rencai.engagements.notices import LETTER, reminder_key
from rencai.engagements.services import outcome_totals

__all__ = ["LetterContent", "cn_date", "content_for", "docx_bytes", "letter_send", "pdf_bytes", "zip_bytes"]

# The layout is core's one official-document layout (GB/T 9704); the names stay here for the callers that import them.
LetterContent = OfficialLetter
LETTER_SERIES = "engagements.assessment_letter"


def _outcomes_text(assessment: Assessment) -> str:
    totals = outcome_totals(assessment.agreement.outcomes.all())
    parts = [f"{OutcomeKind(k).label}{n}项" for k, n in totals.items() if n]
    return "、".join(parts) if parts else "暂无登记成果"


def content_for(assessment: Assessment, *, number: str = "", dated: date) -> LetterContent:
    """The letter, signed with the office's own sender line; numbered in its series unless `number` is given."""
    a = assessment.agreement
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
    city = a.enterprise.zone.city
    return letter_for(city=city, kind=LETTER_SERIES, prefix=f"{office_of(city).name[:1] or city.name[:1]}人才办函",
                      number=number, title=title, institution=a.institution.name, paragraphs=body, dated=dated)


@transaction.atomic
def letter_send(*, assessment: Assessment, by: User, request: object = None) -> Letter:
    """Write the opinion as .docx and PDF and deliver it to the sending unit's liaisons in the platform."""
    require_office(by)
    if not assessment.grade:
        raise ValueError("考核尚未审定，不能出具考核意见")
    today = timezone.localdate()
    content = content_for(assessment, dated=today)
    number = content.number
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
