"""The service log (phone-sized form for the talent, confirm/dispute for the host, disputes for the office)
and outcomes recorded against an agreement."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from rencai.core.access import AuthedRequest, allow
from rencai.core.files import serve_attachment
from rencai.core.scoping import visible_related
from rencai.engagements import selectors, services
from rencai.engagements.forms import OutcomeForm, VisitForm
from rencai.engagements.models import Outcome, ServiceVisit
from rencai.engagements.views.common import (
    HOST,
    OFFICE,
    OUTCOME_AUTHORS,
    READERS,
    TALENT,
    agreement_for,
)


def _error(request: HttpRequest, exc: Exception) -> None:
    messages.error(request, "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))


@allow(*TALENT)
def visit_log_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mobile-first: one column, big inputs, a talent fills it on site from a phone."""
    agreement = agreement_for(request, pk)
    form = VisitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_log(agreement=agreement, by=request.user, request=request, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, "已提交服务记录，等待企业确认")
            return redirect("engagements:detail", pk=pk)
    recent = visible_related(agreement.visits, request.user)[:5]
    return render(request, "engagements/visit_log.html", {"a": agreement, "form": form, "recent": recent})


def _visit_for(request: AuthedRequest, pk: int) -> ServiceVisit:
    return selectors.visit_get(request.user, pk)


@allow(*HOST)
@require_POST
def visit_decide_view(request: AuthedRequest, pk: int) -> HttpResponse:
    visit = _visit_for(request, pk)
    try:
        if request.POST.get("decision") == "confirm":
            services.visit_confirm(visit=visit, by=request.user, request=request)
            messages.success(request, f"已确认 {visit.starts_on}—{visit.ends_on} 的服务，共 {visit.days} 天")
        else:
            services.visit_dispute(visit=visit, by=request.user, reason=request.POST.get("reason", ""),
                                   request=request)
            messages.success(request, "已提出异议，人才办将处理")
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
    return redirect("engagements:detail", pk=visit.agreement_id)


@allow(*OFFICE)
@require_POST
def visit_resolve_view(request: AuthedRequest, pk: int) -> HttpResponse:
    visit = _visit_for(request, pk)
    try:
        services.visit_resolve(visit=visit, by=request.user, accept=request.POST.get("decision") == "accept",
                               note=request.POST.get("note", ""), request=request)
        messages.success(request, "异议已处理")
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
    return redirect("engagements:detail", pk=visit.agreement_id)


@allow(*OUTCOME_AUTHORS)
@require_POST
def outcome_add_view(request: AuthedRequest, pk: int) -> HttpResponse:
    agreement = agreement_for(request, pk)
    form = OutcomeForm(request.POST, request.FILES, instance=Outcome(agreement=agreement),
                       projects=agreement.projects.all())
    if form.is_valid():
        try:
            services.outcome_record(outcome=form.save(commit=False), by=request.user, request=request)
            messages.success(request, "成果已登记")
        except (ValidationError, PermissionDenied) as exc:
            _error(request, exc)
    else:
        messages.error(request, "成果未保存：" + "；".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("engagements:detail", pk=pk)


@allow(*READERS)
def visit_attachment_view(request: AuthedRequest, pk: int) -> FileResponse:
    """A service record's attachment, to those who may see the agreement; never a public media URL."""
    return serve_attachment(request, get_object_or_404(ServiceVisit, pk=pk), "attachment")


@allow(*READERS)
def outcome_evidence_view(request: AuthedRequest, pk: int) -> FileResponse:
    """An outcome's evidence, to those who may see the agreement."""
    return serve_attachment(request, get_object_or_404(Outcome, pk=pk), "evidence")
