"""Programmes: all agreements of one on a page, worst first, with the outcomes summed; letters for all at once."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from rencai.core.access import AuthedRequest, allow
from rencai.core.audit import audit_record
from rencai.core.roles import STAFF
from rencai.engagements import selectors
from rencai.engagements.forms import ProgrammeForm
from rencai.engagements.letters import letter_send, zip_bytes
from rencai.engagements.services import outcome_totals
from rencai.engagements.views.common import OFFICE, visible_agreements


@allow(*STAFF)
def programme_list(request: AuthedRequest) -> HttpResponse:
    return render(request, "engagements/programmes.html", {
        "programmes": selectors.programme_list(request.user), "can_create": request.user.role in OFFICE})


@allow(*OFFICE)
def programme_create(request: AuthedRequest) -> HttpResponse:
    form = ProgrammeForm(request.POST or None, zones=request.user.visible_zones(),
                         initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        programme = form.save()
        audit_record(action="create", request=request, obj=programme)
        return redirect("engagements:programme", pk=programme.pk)
    return render(request, "engagements/programme_edit.html", {"form": form})


def ranked(agreements: list) -> list:
    """Worst first: behind, then at risk, then on track; within a status, fewest days served first."""
    today = timezone.localdate()
    rows = [(a, a.compliance(today)) for a in agreements]
    return sorted(rows, key=lambda row: (-row[1].status.severity, row[1].days, row[0].talent.name))


@allow(*STAFF)
def programme_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get(request.user, pk)
    agreements = list(visible_agreements(request).filter(programme=programme))
    totals = outcome_totals(selectors.outcomes_of(request.user, [a.pk for a in agreements]))
    return render(request, "engagements/programme.html", {
        "p": programme, "rows": ranked(agreements), "totals": totals, "is_office": request.user.role in OFFICE,
        "talents": len({a.talent_id for a in agreements}),
        "letters": selectors.programme_letters(request.user, programme).count()})


@allow(*OFFICE)
@require_POST
def programme_letters_send(request: AuthedRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get(request.user, pk)
    sent = [letter_send(assessment=a, by=request.user, request=request)
            for a in selectors.unsent_assessments(request.user, programme)]
    messages.success(request, f"已生成并发送考核意见 {len(sent)} 份")
    return redirect("engagements:programme", pk=pk)


@allow(*STAFF)
def programme_letters_zip(request: AuthedRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get(request.user, pk)
    letters = selectors.programme_letters(request.user, programme).select_related("assessment__agreement__talent")
    audit_record(action="export", request=request, obj=programme, detail={"letters": letters.count()})
    response = HttpResponse(zip_bytes(letters), content_type="application/zip")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(programme.name)}-考核意见.zip"
    return response
