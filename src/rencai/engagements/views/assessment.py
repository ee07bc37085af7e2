"""Annual assessment: the host's rating, the office's review, the opinion letters and the liaison's inbox."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rencai.core.access import AuthedRequest, allow
from rencai.core.audit import audit_record
from rencai.engagements import selectors, services
from rencai.engagements.forms import RatingForm
from rencai.engagements.letters import letter_send
from rencai.engagements.views.common import HOST, LETTER_READERS, OFFICE, agreement_for


def _error(request: HttpRequest, exc: Exception) -> None:
    messages.error(request, "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))


@allow(*HOST)
@require_POST
def rate_view(request: AuthedRequest, pk: int) -> HttpResponse:
    agreement = agreement_for(request, pk)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写考核年度和 0–100 的评分")
        return redirect("engagements:detail", pk=pk)
    try:
        services.assessment_rate(agreement=agreement, by=request.user, request=request, **form.cleaned_data)
        messages.success(request, "评价已提交")
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
    return redirect("engagements:detail", pk=pk)


@allow(*OFFICE)
@require_POST
def review_view(request: AuthedRequest, pk: int) -> HttpResponse:
    agreement = agreement_for(request, pk)
    assessment = selectors.assessment_get(request.user, agreement, request.POST.get("assessment") or 0)
    try:
        services.assessment_review(agreement=agreement, year=assessment.year, by=request.user,
                                   comment=request.POST.get("comment", ""), grade=request.POST.get("grade", ""),
                                   reason=request.POST.get("reason", ""), request=request)
        messages.success(request, "考核已审定")
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
    return redirect("engagements:detail", pk=pk)


@allow(*OFFICE)
@require_POST
def return_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The office sends the host's rating back for revision, with a reason."""
    agreement = agreement_for(request, pk)
    assessment = selectors.assessment_get(request.user, agreement, request.POST.get("assessment") or 0)
    try:
        services.assessment_return(assessment=assessment, by=request.user, reason=request.POST.get("reason", ""),
                                   request=request)
        messages.success(request, "已退回企业修改评价")
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
    return redirect("engagements:detail", pk=pk)


@allow(*OFFICE)
@require_POST
def letter_send_view(request: AuthedRequest, pk: int) -> HttpResponse:
    agreement = agreement_for(request, pk)
    assessment = selectors.assessment_get(request.user, agreement, request.POST.get("assessment") or 0)
    try:
        letter = letter_send(assessment=assessment, by=request.user, request=request)
        messages.success(request, f"已向{letter.institution}发送考核意见（{letter.number}）")
    except ValueError as exc:
        messages.error(request, str(exc))
    return redirect("engagements:detail", pk=pk)


@allow(*LETTER_READERS)
def letter_list(request: AuthedRequest) -> HttpResponse:
    letters = selectors.letter_list(request.user)
    return render(request, "engagements/letters.html", {"letters": letters})


@allow(*LETTER_READERS)
def letter_file(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse | FileResponse:
    letter = selectors.letter_get(request.user, pk)
    if fmt not in ("docx", "pdf"):
        return HttpResponse(status=404)
    audit_record(action="export", request=request, obj=letter, detail={"format": fmt})
    field = letter.docx if fmt == "docx" else letter.pdf
    name = f"{letter.number}-{letter.assessment.agreement.talent.name}.{fmt}"
    response = FileResponse(field.open("rb"), as_attachment=True)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
