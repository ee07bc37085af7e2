"""The agreements register: list and export, an agreement's page, making, adjusting and ending one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from rencai.core.access import AuthedRequest, allow
from rencai.core.exports import Column, export_queryset
from rencai.core.lifecycle import history_for, history_for_all
from rencai.core.listing import Filter, ListSpec, filtered, int_param, paginate
from rencai.core.models import Notice
from rencai.core.roles import Role
from rencai.core.scoping import visible_related
from rencai.engagements import notices, selectors, services
from rencai.engagements.forms import AdjustForm, AgreementForm, EndForm, OutcomeForm, RatingForm
from rencai.engagements.models import (
    Agreement,
    AgreementStatus,
    Grade,
    Mode,
    OutcomeKind,
    Programme,
    VisitStatus,
)
from rencai.engagements.views.common import HOST, OFFICE, READERS, agreement_for, visible_agreements
from rencai.needs.models import Need
from rencai.orgs.models import Enterprise, Institution
from rencai.talents.models import Talent


def _programme_choices(request: AuthedRequest) -> list[tuple[str, str]]:
    return [(str(p.pk), p.name) for p in selectors.programme_list(request.user)]


SPEC = ListSpec(
    search_fields=["talent__name", "enterprise__name", "institution__name"],
    search_label=_("人才、企业、派出单位"),
    filters=[Filter("status", _("状态"), "status", AgreementStatus.choices),
             Filter("mode", _("方式"), "mode", Mode.choices),
             Filter("programme", _("项目"), "programme", _programme_choices)],
    sorts=[("-starts_on", _("最近开始")), ("talent__name", _("人才")), ("enterprise__name", _("企业"))],
)


@allow(*READERS)
def agreement_list(request: AuthedRequest) -> HttpResponse:
    queryset, state = filtered(request, visible_agreements(request), SPEC)
    page = paginate(request, queryset, SPEC)
    today = timezone.localdate()
    rows = [(a, a.compliance(today)) for a in page.object_list]
    return render(request, "engagements/list.html", {
        "page": page, "rows": rows, "state": state, "spec": SPEC, "can_create": request.user.role in OFFICE,
        "reminders": Notice.objects.visible_to(request.user).unread().filter(kind__in=notices.KINDS)[:10]})


def _report(agreement: Agreement):
    """One compliance computation per row, shared by the export's columns."""
    if not hasattr(agreement, "_report"):
        agreement._report = agreement.compliance()  # type: ignore[attr-defined]
    return agreement._report  # type: ignore[attr-defined]


COLUMNS = [
    Column("人才", lambda a: a.talent.name), Column("派出单位", lambda a: a.institution.name),
    Column("服务企业", lambda a: a.enterprise.name), Column("柔性方式", "mode"),
    Column("服务开始", "starts_on"), Column("服务结束", "ends_on"),
    Column("状态", lambda a: a.get_status_display()),
    Column("已确认天数", lambda a: _report(a).days), Column("应服务天数", lambda a: _report(a).required_days),
    Column("履约状态", lambda a: _report(a).status.label),
]


@allow(*READERS)
def agreement_export(request: AuthedRequest) -> HttpResponse:
    queryset, state = filtered(request, visible_agreements(request), SPEC)
    return export_queryset(request, queryset=queryset, columns=COLUMNS, title="柔性服务协议",
                           filters=state.selected | {"q": state.q})


def _detail_context(request: AuthedRequest, agreement: Agreement) -> dict[str, Any]:
    user = request.user
    is_host = user.role == Role.ENTERPRISE
    return {
        "a": agreement, "report": agreement.compliance(), "today": timezone.localdate(),
        "visits": visible_related(agreement.visits, user).select_related("logged_by", "decided_by"),
        "projects": visible_related(agreement.projects, user),
        "outcomes": visible_related(agreement.outcomes, user).select_related("project"),
        "totals": [(OutcomeKind(k).label, n) for k, n in services.outcome_totals(agreement.outcomes.all()).items()],
        "history": history_for(agreement), "assessments": visible_related(agreement.assessments, user),
        "assessment_history": history_for_all(visible_related(agreement.assessments, user)),
        "grades": Grade.choices,
        # the letters go to the sending unit: only those this user may open (staff and the liaison)
        "letters": selectors.agreement_letters(user, agreement),
        "is_host": is_host, "is_talent": user.role == Role.TALENT, "is_office": user.role in OFFICE,
        "can_log": user.role == Role.TALENT and agreement.status == AgreementStatus.ACTIVE,
        "rating_form": RatingForm(initial={"year": timezone.localdate().year}) if is_host else None,
        "end_form": EndForm(initial={"ended_on": timezone.localdate()}) if user.role in OFFICE else None,
        "adjust_form": AdjustForm(instance=agreement) if user.role in OFFICE else None,
        "outcome_form": OutcomeForm(projects=agreement.projects.all()),
        "disputed": VisitStatus.DISPUTED, "pending": VisitStatus.PENDING,
    }


@allow(*READERS)
def agreement_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    agreement = agreement_for(request, pk)
    return render(request, "engagements/detail.html", _detail_context(request, agreement))


def _form(request: AuthedRequest, initial: dict[str, Any] | None = None) -> AgreementForm:
    user = request.user
    return AgreementForm(
        request.POST or None, initial=initial or {}, talents=Talent.objects.visible_to(user),
        enterprises=Enterprise.objects.visible_to(user), institutions=Institution.objects.visible_to(user),
        programmes=Programme.objects.visible_to(user), needs=Need.objects.visible_to(user))


@allow(*OFFICE)
def agreement_create_view(request: AuthedRequest) -> HttpResponse:
    initial: dict[str, Any] = {"starts_on": timezone.localdate()}
    programme = selectors.programme_list(request.user).filter(pk=int_param(request, "programme", 0)).first()
    if programme:  # the programme's default terms, editable per agreement
        initial |= {"programme": programme.pk, "visits_per_month": programme.visits_per_month,
                    "days_per_visit": programme.days_per_visit, "days_per_year": programme.days_per_year}
    replaces = None
    if replaces_pk := int_param(request, "replaces"):
        replaces = visible_agreements(request).filter(pk=replaces_pk).first()
        if replaces:
            initial |= {"enterprise": replaces.enterprise_id, "programme": replaces.programme_id,
                        "needs": list(replaces.needs.values_list("pk", flat=True)), "mode": replaces.mode}
    form = _form(request, initial)
    if request.method == "POST" and form.is_valid():
        agreement = form.save(commit=False)
        agreement.replaces = replaces
        try:
            services.agreement_create(agreement=agreement, by=request.user, needs=form.cleaned_data["needs"],
                                      projects=form.projects(), request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已签订协议：{agreement}")
            return redirect("engagements:detail", pk=agreement.pk)
    return render(request, "engagements/edit.html", {"form": form, "replaces": replaces})


@allow(*OFFICE)
@require_POST
def agreement_adjust_view(request: AuthedRequest, pk: int) -> HttpResponse:
    agreement = agreement_for(request, pk)
    form = AdjustForm(request.POST, instance=Agreement.objects.get(pk=agreement.pk))
    if form.is_valid():
        changes = {f: form.cleaned_data[f] for f in form.changed_data if f != "reason"}
        try:
            services.agreement_adjust(agreement=agreement, by=request.user, reason=form.cleaned_data["reason"],
                                      request=request, **changes)
            messages.success(request, "协议已调整")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, "调整未保存：请填写原因并检查各项")
    return redirect("engagements:detail", pk=pk)


@allow(*OFFICE)
@require_POST
def agreement_end_view(request: AuthedRequest, pk: int) -> HttpResponse:
    agreement = agreement_for(request, pk)
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            services.agreement_end(agreement=agreement, by=request.user, request=request, **form.cleaned_data)
            messages.success(request, "协议已终止，可为同一需求另配人才")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, "请填写终止日期和原因")
    return redirect("engagements:detail", pk=pk)


@allow(*HOST)
@require_POST
def agreement_request_view(request: AuthedRequest, pk: int) -> HttpResponse:
    agreement = agreement_for(request, pk)
    try:
        services.agreement_request_change(agreement=agreement, by=request.user,
                                          reason=request.POST.get("reason", ""), request=request)
        messages.success(request, "已提交申请，人才办将作出决定")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, str(exc.messages[0] if isinstance(exc, ValidationError) else exc))
    return redirect("engagements:detail", pk=pk)

