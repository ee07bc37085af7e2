"""Applying and reviewing: the applicant's form, the office's queue, one application's steps, the notice list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from rencai.core.access import AuthedRequest, allow
from rencai.core.files import serve_attachment
from rencai.core.lifecycle import history_for
from rencai.core.roles import STAFF, Role
from rencai.core.scoping import get_visible_or_404, visible_related
from rencai.orgs.models import Enterprise
from rencai.policies import review
from rencai.policies.forms import ApplyForm, ReasonForm
from rencai.policies.models import Application, Attachment, Entitlement, Policy
from rencai.talents.models import Talent

APPLICANTS = (Role.TALENT, Role.ENTERPRISE)
S = Application.Status


def _own_beneficiary(request: AuthedRequest) -> Talent | Enterprise:
    if request.user.role == Role.TALENT:
        found = Talent.objects.visible_to(request.user).first()  # a talent's scope is their own record
    else:
        found = Enterprise.objects.visible_to(request.user).first()
    if found is None:
        raise PermissionDenied("您的账号尚未关联人才档案或企业")
    return found


@allow(*APPLICANTS)
def apply(request: AuthedRequest, code: str) -> HttpResponse:
    policy = get_object_or_404(Policy, code=code, active=True)
    beneficiary = _own_beneficiary(request)
    form = ApplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["attachment"]
        try:
            app = review.application_submit(policy=policy, beneficiary=beneficiary, by=request.user,
                                            statement=form.cleaned_data["statement"],
                                            files=[("申请材料", upload)] if upload else [], request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "申请已提交，请留意审核进度")
            return redirect("policies:application", pk=app.pk)
    return render(request, "policies/apply.html", {"policy": policy, "form": form, "beneficiary": beneficiary,
                                                   "version": policy.current_version})


@allow(*STAFF, *APPLICANTS)
def application_list(request: AuthedRequest) -> HttpResponse:
    apps = Application.objects.visible_to(request.user).select_related("policy", "talent", "enterprise")
    status = request.GET.get("status", "")
    if status in S.values:
        apps = apps.filter(status=status)
    return render(request, "policies/application_list.html", {"apps": apps[:500], "statuses": S.choices,
                                                              "status": status})


@allow(*STAFF, *APPLICANTS)
def application_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    app = get_visible_or_404(request.user, Application.objects.select_related("policy", "version"), pk=pk)
    user = request.user
    entitlement = app.entitlement
    return render(request, "policies/application_detail.html", {
        "app": app, "decisions": history_for(app), "attachments": visible_related(app.attachments, user),
        "form": ReasonForm(), "can_review": user.role in review.REVIEWERS and app.status in (S.SUBMITTED,
                                                                                             S.FIRST_PASSED),
        "can_notice": user.role in review.REVIEWERS and app.status == S.SECOND_PASSED,
        "can_approve": user.role == Role.OFFICE_ADMIN and app.status == S.NOTICE,
        "can_object": user.role in review.REVIEWERS and app.status == S.NOTICE,
        "is_applicant": user.role in APPLICANTS, "can_answer_appeal": user.role == Role.OFFICE_ADMIN and
        app.status == S.APPEALED, "entitlement": entitlement,
        "instalments": visible_related(entitlement.instalments, user) if entitlement else [],
        "can_pay": user.role == Role.FINANCE,
    })


def _act(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    app = get_visible_or_404(request.user, Application, pk=pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    reason, clause = form.cleaned_data.get("reason", ""), form.cleaned_data.get("clause", "")
    by = request.user
    try:
        if action in ("pass", "reject"):
            review.application_review(application=app, by=by, passed=action == "pass", reason=reason,
                                      clause=clause, request=request)
        elif action == "notice":
            review.notice_start(applications=[app], by=by, start=timezone.localdate(), request=request)
        elif action == "approve":
            review.application_approve(application=app, by=by, clause=clause, request=request)
        elif action == "object":
            review.application_reject_in_notice(application=app, by=by, reason=reason, clause=clause,
                                                request=request)
        elif action == "uphold" or action == "dismiss":
            review.appeal_answer(application=app, by=by, upheld=action == "uphold", reason=reason, request=request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已办理")
    return redirect("policies:application", pk=pk)


@require_POST
@allow(*STAFF)
def application_act(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    if action not in ("pass", "reject", "notice", "approve", "object", "uphold", "dismiss"):
        raise PermissionDenied("未知的操作")
    return _act(request, pk, action)


@require_POST
@allow(*APPLICANTS)
def application_applicant_act(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    app = get_visible_or_404(request.user, Application, pk=pk)
    text = request.POST.get("reason", "")
    try:
        if action == "resubmit":
            upload = request.FILES.get("attachment")
            review.application_resubmit(application=app, by=request.user, statement=text,
                                        files=[("补充材料", upload)] if upload else [], request=request)
        elif action == "appeal":
            review.application_appeal(application=app, by=request.user, text=text, request=request)
        else:
            raise PermissionDenied("未知的操作")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("policies:application", pk=pk)


@allow(*STAFF)
def notice_list(request: AuthedRequest) -> HttpResponse:
    """The printable public-notice list: everyone currently on notice, with amounts and notice dates."""
    apps = (Application.objects.visible_to(request.user).filter(status=S.NOTICE)
            .select_related("policy", "version", "talent", "enterprise", "zone").order_by("policy", "pk"))
    rows = []
    for app in apps:
        version = app.version
        rows.append({"who": app.beneficiary, "policy": app.policy, "version": version, "from": app.notice_from,
                     "until": app.notice_until, "amount": version.amount if not version.amount_formula else None})
    auto = (Entitlement.objects.visible_to(request.user).filter(status=Entitlement.Status.NOTICE)
            .select_related("policy", "version", "talent", "enterprise").order_by("policy", "pk"))
    for ent in auto:  # 免申即享 names on notice, with the amount the platform computed
        rows.append({"who": ent.beneficiary, "policy": ent.policy, "version": ent.version, "from": ent.notice_from,
                     "until": ent.notice_until, "amount": ent.amount, "auto": True})
    return render(request, "policies/notice_print.html", {"rows": rows, "today": timezone.localdate()})


@allow(*STAFF, *APPLICANTS)
def attachment_file(request: AuthedRequest, pk: int) -> FileResponse:
    """An application's supporting document, to those who may see the application; never a public media URL."""
    return serve_attachment(request, get_object_or_404(Attachment, pk=pk), "file")
