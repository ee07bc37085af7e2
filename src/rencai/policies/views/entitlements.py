"""Entitlements: the office list and 免申即享 confirmation, payment batches, the beneficiary's own page."""

from __future__ import annotations

import uuid
from datetime import date
from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import ModelChoiceField
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from rencai.core.access import AuthedRequest, allow
from rencai.core.audit import audit_record
from rencai.core.exports import xlsx_response
from rencai.core.lifecycle import history_for
from rencai.core.roles import STAFF, Role
from rencai.core.scoping import VisiblePrefetch, get_visible_or_404, visible_related
from rencai.core.sensitive import masked_value
from rencai.funds.models import PaymentBatch, PaymentOutcome
from rencai.policies.autogrant import AUTO_SOURCE, autogrant_approve, autogrant_check
from rencai.policies.forms import BankForm, PackageForm
from rencai.policies.models import Entitlement, Instalment
from rencai.policies.packages import package_create
from rencai.policies.review import REVIEWERS
from rencai.policies.selectors import instalments_due
from rencai.policies.services import (
    batch_outcomes_record,
    entitlement_approve,
    entitlement_bank_confirm,
    entitlement_stop,
    instalments_pay_in_batch,
)
from rencai.talents.models import Talent

AUTO_VIEWS = {"auto": Entitlement.Status.PENDING, "auto_notice": Entitlement.Status.NOTICE}


@allow(*STAFF)
def entitlement_list(request: AuthedRequest) -> HttpResponse:
    ents = Entitlement.objects.visible_to(request.user).select_related("policy", "version", "talent", "enterprise")
    view = request.GET.get("source", "")
    if view in AUTO_VIEWS:
        ents = ents.filter(source=AUTO_SOURCE, status=AUTO_VIEWS[view])
    role = request.user.role
    return render(request, "policies/entitlement_list.html", {
        "ents": ents[:500], "view": view, "only_auto": view in AUTO_VIEWS,
        "can_check": view == "auto" and role in REVIEWERS,
        "can_approve": view == "auto_notice" and role == Role.OFFICE_ADMIN,
        "can_package": role == Role.OFFICE_ADMIN})


@require_POST
@allow(Role.OFFICE_ADMIN, Role.REVIEWER)
def entitlement_confirm(request: AuthedRequest) -> HttpResponse:
    """The nightly 免申即享 list: a reviewer checks it (复核, starts 公示); an admin approves after the notice."""
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    ents = list(Entitlement.objects.visible_to(request.user).filter(pk__in=ids, source=AUTO_SOURCE))
    step = request.POST.get("step", "check")
    try:
        if step == "approve":
            done, problems = autogrant_approve(entitlements=ents, by=request.user, request=request)
            messages.success(request, f"已批准 {done} 项并预留资金")
            back = "auto_notice"
        else:
            checked, problems = autogrant_check(entitlements=ents, by=request.user, request=request)
            # autogrant_check sets the notice period (notice_until) on every entitlement it returns
            until = {cast(date, e.notice_until) for e in checked}
            messages.success(request, f"已复核 {len(checked)} 项，进入公示" + (
                f"（至 {max(until):%Y-%m-%d}）" if until else ""))
            back = "auto"
    except ValidationError as exc:
        problems, back = exc.messages, "auto"
    for p in problems:
        messages.error(request, p)
    return redirect(f"{reverse('policies:entitlements')}?source={back}")


@allow(*STAFF)
def entitlement_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    ent = get_visible_or_404(request.user, Entitlement.objects.select_related("policy", "version"), pk=pk)
    return render(request, "policies/entitlement_detail.html", {
        "ent": ent, "instalments": visible_related(ent.instalments, request.user).prefetch_related(
            VisiblePrefetch("shares", request.user)),
        "bank": masked_value(ent, "bank_account") if ent.bank_account else "",
        "history": history_for(ent), "can_act": request.user.role == Role.OFFICE_ADMIN})


@allow(Role.FINANCE)
def payment_due(request: AuthedRequest) -> HttpResponse:
    """Finance's list of reserved instalments due by today; the form carries a fresh request key."""
    due = [(i, i.entitlement.bank_blocker()) for i in instalments_due(request.user, timezone.localdate())]
    batches = PaymentBatch.objects.visible_to(request.user)[:20]
    return render(request, "policies/payment_due.html", {"due": due, "request_key": uuid.uuid4().hex,
                                                         "batches": batches})


@require_POST
@allow(Role.FINANCE)
def batch_create(request: AuthedRequest) -> HttpResponse:
    """Pay the chosen instalments into one batch. A resubmitted form (same key) pays nothing twice."""
    key = request.POST.get("request_key", "")[:64]
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    chosen = list(Instalment.objects.visible_to(request.user).filter(pk__in=ids).select_related("entitlement__zone"))
    if not key or not chosen:
        messages.error(request, "请选择要支付的分期")
        return redirect("policies:payment_due")
    try:
        batch, paid, problems = instalments_pay_in_batch(request_key=key, instalments=chosen, by=request.user,
                                                         request=request)
    except ValidationError as exc:
        batch, paid, problems = None, 0, exc.messages
    for p in problems:
        messages.error(request, p)
    if batch is None:
        messages.error(request, "没有支付任何分期，未生成支付批次")
        return redirect("policies:payment_due")
    messages.success(request, f"已支付 {paid} 期，生成支付批次")
    return redirect("policies:batch", pk=batch.pk)


def _batch(request: AuthedRequest, pk: int) -> PaymentBatch:
    return get_visible_or_404(request.user, PaymentBatch, pk=pk)


@allow(Role.FINANCE, Role.OFFICE_ADMIN)
def batch_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    payments = visible_related(batch.payments, request.user).select_related("outcome").order_by("pk")
    return render(request, "policies/batch_detail.html", {"batch": batch, "payments": payments,
                                                          "can_record": request.user.role == Role.FINANCE})


@allow(Role.FINANCE)
def batch_xlsx(request: AuthedRequest, pk: int) -> HttpResponse:
    """The treasury's file: full bank accounts, so finance only, and the export is audited."""
    batch = _batch(request, pk)
    rows = [[p.pk, p.payee_name, p.payee_bank, p.payee_account, p.amount, p.transfer.memo, p.idempotency_key]
            for p in batch.payments.select_related("transfer").order_by("pk")]
    audit_record(action="export", request=request, obj=batch, detail={"rows": len(rows)})
    return xlsx_response(batch.title, [("支付清单", ["支付编号", "收款人", "开户行", "收款账号", "金额（元）", "摘要",
                                                    "支付请求编号"], rows)])


@require_POST
@allow(Role.FINANCE)
def batch_outcome(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record the treasury's result for each payment of the batch; returned ones go back to 已预留."""
    batch = _batch(request, pk)
    results = {}
    for payment_id in batch.payments.filter(outcome__isnull=True).values_list("pk", flat=True):
        result = request.POST.get(f"result_{payment_id}")
        if result in PaymentOutcome.Result.values:
            results[payment_id] = (result, request.POST.get(f"note_{payment_id}", ""))
    recorded, problems = batch_outcomes_record(batch=batch, results=results, by=request.user, request=request)
    for p in problems:
        messages.error(request, p)
    messages.success(request, f"已登记 {recorded} 笔国库结果")
    return redirect("policies:batch", pk=batch.pk)


@allow(Role.TALENT, Role.ENTERPRISE)
def my_entitlements(request: AuthedRequest) -> HttpResponse:
    ents = Entitlement.objects.visible_to(request.user).select_related("policy").prefetch_related("instalments")
    return render(request, "policies/mine.html", {"ents": ents})


@allow(Role.TALENT, Role.ENTERPRISE)
def bank_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    """The beneficiary is told of the entitlement and confirms where the money goes."""
    ent = get_visible_or_404(request.user, Entitlement, pk=pk)
    if ent.status in (Entitlement.Status.STOPPED, Entitlement.Status.DONE):
        raise PermissionDenied("该兑现已结束")
    # the account is never echoed back: a correction is typed in full
    form = BankForm(request.POST or None, initial={"bank_name": ent.bank_name})
    if request.method == "POST" and form.is_valid():
        try:
            entitlement_bank_confirm(entitlement=ent, bank_name=form.cleaned_data["bank_name"],
                                     bank_account=form.cleaned_data["bank_account"], by=request.user,
                                     request=request)
        except ValidationError as exc:
            form.add_error("bank_account" if "账号" in "".join(exc.messages) else None, exc)
        else:
            messages.success(request, "收款账户已确认")
            return redirect("policies:mine")
    return render(request, "policies/bank_form.html", {"ent": ent, "form": form})


@allow(Role.OFFICE_ADMIN)
def package_create_view(request: AuthedRequest) -> HttpResponse:
    """一人一策: draw up a package; a colleague approves it on the entitlement page."""
    form = PackageForm(request.POST or None)
    cast(ModelChoiceField, form.fields["talent"]).queryset = Talent.objects.visible_to(request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ent = package_create(talent=data["talent"], title=data["title"], basis=data["basis"],
                                 items=data["items"], level_shares=form.level_shares(), by=request.user,
                                 request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "一人一策已制定，待另一位管理员批准")
            return redirect("policies:entitlement", pk=ent.pk)
    return render(request, "policies/package_form.html", {"form": form})


@require_POST
@allow(Role.OFFICE_ADMIN)
def entitlement_act(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    ent = get_visible_or_404(request.user, Entitlement, pk=pk)
    try:
        if action == "approve":
            entitlement_approve(entitlement=ent, by=request.user, request=request)
        elif action == "stop":
            n = entitlement_stop(entitlement=ent, reason=request.POST.get("reason", ""), by=request.user,
                                 request=request)
            messages.info(request, f"已终止 {n} 期")
        else:
            raise PermissionDenied("未知的操作")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("policies:entitlement", pk=pk)
