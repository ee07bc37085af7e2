"""The 人才登记表: one talent on one printable page and as a PDF, in the usual register-form layout.

Personal data (身份证号, 手机号) is masked by default. On the page a role that `core.sensitive` lets reveal a field
uses the ordinary reveal control (a reason, audited). The PDF has full values only when asked for with a reason
(`?reveal=1&reveal_reason=…`) by such a role, and each revealed field goes to the audit log as a reveal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from django.db.models import Field
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from rencai.core.access import AuthedRequest, allow
from rencai.core.audit import audit_record
from rencai.core.officialdoc import BODY_FONTS, TITLE_FONTS, css_stack
from rencai.core.roles import REGISTER_READERS, Role
from rencai.core.scoping import get_visible_or_404, visible_related
from rencai.core.sensitive import can_reveal, masked_value
from rencai.talents.models import Talent

READERS = REGISTER_READERS | {Role.LIAISON}
MODEL_LABEL = "talents.talent"


@dataclass(frozen=True)
class SensitiveCell:
    field: str
    label: str
    masked: str
    value: str
    can_reveal: bool

    @property
    def shown(self) -> str:
        """What the PDF prints: the full value only once revealed."""
        return self.value or self.masked


def _talent(request: AuthedRequest, pk: int) -> Talent:
    return get_visible_or_404(request.user, Talent.objects.select_related("zone", "institution"), pk=pk)


def _cells(request: AuthedRequest, talent: Talent, *, reveal: bool, reason: str) -> dict[str, SensitiveCell]:
    cells = {}
    for f in Talent.sensitive_fields:
        allowed = can_reveal(request.user, talent, f)
        value = ""
        if reveal and allowed and getattr(talent, f):
            value = getattr(talent, f)
            audit_record(action="reveal", request=request, obj=talent,
                         detail={"field": f, "reason": reason, "document": "人才登记表"})
        # the sensitive fields are concrete model fields (never relations), so get_field gives a Field
        cells[f] = SensitiveCell(field=f, label=str(cast(Field, Talent._meta.get_field(f)).verbose_name),
                                 masked=masked_value(talent, f) if getattr(talent, f) else "", value=value,
                                 can_reveal=allowed)
    return cells


def _context(request: AuthedRequest, talent: Talent, cells: dict[str, SensitiveCell]) -> dict[str, object]:
    extra = talent.extra or {}
    return {
        "talent": talent, "cells": cells, "model_label": MODEL_LABEL,
        "ethnicity": extra.get("民族", ""), "political": extra.get("政治面貌", ""),
        "educations": visible_related(talent.educations, request.user),
        "employments": visible_related(talent.employments, request.user),
        "achievements": visible_related(talent.achievement_items, request.user),
        "today": timezone.localdate(), "any_reveal": any(c.can_reveal for c in cells.values()),
    }


@allow(*READERS, Role.TALENT)
def registration_form(request: AuthedRequest, pk: int) -> HttpResponse:
    """The printable page: masked values with the usual reveal control for those who may reveal."""
    talent = _talent(request, pk)
    audit_record(action="view", request=request, obj=talent, detail={"document": "人才登记表"})
    cells = _cells(request, talent, reveal=False, reason="")
    return render(request, "talents/registration_form.html", _context(request, talent, cells))


@allow(*READERS, Role.TALENT)
def registration_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    """The same form as a PDF set in a CJK serif; full values only with a reason, audited field by field."""
    from weasyprint import HTML

    talent = _talent(request, pk)
    reason = request.GET.get("reveal_reason", "").strip()
    reveal = bool(request.GET.get("reveal")) and len(reason) >= 2
    cells = _cells(request, talent, reveal=reveal, reason=reason)
    audit_record(action="export", request=request, obj=talent,
                 detail={"document": "人才登记表", "unmasked": any(c.value for c in cells.values())})
    html = render_to_string("talents/registration_pdf.html", _context(request, talent, cells) | {
        "body_fonts": css_stack(BODY_FONTS), "title_fonts": css_stack(TITLE_FONTS)}, request=request)
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    filename = _("人才登记表") + f"-{talent.name}.pdf"
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
