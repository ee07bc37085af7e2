"""Entitlements: the office list and 免申即享 confirmation, payment batches, the beneficiary's own page."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from rencai.core.access import allow
from rencai.core.audit import audit_record
from rencai.core.exports import xlsx_response
from rencai.core.roles import STAFF, Role
from rencai.core.sensitive import masked_value
from rencai.funds.models import Payment, PaymentBatch, PaymentOutcome
from rencai.funds.services import batch_open, payment_outcome_record
from rencai.policies.autogrant import AUTO_SOURCE, confirm_in_bulk
from rencai.policies.forms import BankForm, PackageForm
from rencai.policies.models import Entitlement, Instalment
from rencai.policies.packages import package_create
from rencai.policies.services import entitlement_approve, entitlement_stop, instalment_pay
from rencai.talents.models import Talent


@allow(*STAFF)
def entitlement_list(request: HttpRequest) -> HttpResponse:
    ents = Entitlement.objects.visible_to(request.user).select_related("policy", "version", "talent", "enterprise")
    only_auto = request.GET.get("source") == "auto"
    if only_auto:
        ents = ents.filter(source=AUTO_SOURCE, status=Entitlement.Status.PENDING)
    return render(request, "policies/entitlement_list.html", {
        "ents": ents[:500], "only_auto": only_auto, "can_confirm": request.user.role == Role.OFFICE_ADMIN})


@require_POST
@allow(Role.OFFICE_ADMIN)
def entitlement_confirm(request: HttpRequest) -> HttpResponse:
    """Bulk confirmation of the nightly 免申即享 list."""
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    ents = list(Entitlement.objects.visible_to(request.user).filter(pk__in=ids, status=Entitlement.Status.PENDING))
    done, problems = confirm_in_bulk(entitlements=ents, by=request.user)
    messages.success(request, f"已确认 {done} 项并预留资金")
    for p in problems:
        messages.error(request, p)
    return redirect("policies:entitlements")


@allow(*STAFF)
def entitlement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ent = get_object_or_404(Entitlement.objects.visible_to(request.user).select_related("policy", "version"), pk=pk)
    return render(request, "policies/entitlement_detail.html", {
        "ent": ent, "instalments": ent.instalments.prefetch_related("shares"),
        "bank": masked_value(ent, "bank_account") if ent.bank_account else "",
        "can_act": request.user.role == Role.OFFICE_ADMIN})


@allow(Role.FINANCE)
def payment_due(request: HttpRequest) -> HttpResponse:
    """Finance's list of reserved instalments due by today; the form carries a fresh request key."""
    due = (Instalment.objects.filter(status=Instalment.Status.COMMITTED, due_on__lte=timezone.localdate(),
                                     entitlement__in=Entitlement.objects.visible_to(request.user))
           .select_related("entitlement__policy", "entitlement__talent", "entitlement__enterprise")
           .order_by("due_on"))
    batches = PaymentBatch.objects.filter(zone__in=request.user.visible_zones())[:20]
    return render(request, "policies/payment_due.html", {"due": due, "request_key": uuid.uuid4().hex,
                                                         "batches": batches})


@require_POST
@allow(Role.FINANCE)
def batch_create(request: HttpRequest) -> HttpResponse:
    """Pay the chosen instalments into one batch. A resubmitted form (same key) pays nothing twice."""
    key = request.POST.get("request_key", "")[:64]
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    chosen = list(Instalment.objects.filter(pk__in=ids, entitlement__in=Entitlement.objects.visible_to(
        request.user)).select_related("entitlement__zone"))
    if not key or not chosen:
        messages.error(request, "请选择要支付的分期")
        return redirect("policies:payment_due")
    batch, _ = batch_open(request_key=key, title=f"{timezone.localdate():%Y-%m-%d} 支付批次",
                          zone=chosen[0].entitlement.zone, by=request.user)
    paid, problems = 0, []
    for instalment in chosen:
        try:
            instalment_pay(instalment=instalment, idempotency_key=f"{key}-{instalment.pk}", by=request.user,
                           request=request, batch=batch)
            paid += 1
        except ValidationError as exc:
            problems.append(f"{instalment.entitlement} {instalment}：{'；'.join(exc.messages)}")
    messages.success(request, f"已支付 {paid} 期，生成支付批次")
    for p in problems:
        messages.error(request, p)
    return redirect("policies:batch", pk=batch.pk)


def _batch(request: HttpRequest, pk: int) -> PaymentBatch:
    return get_object_or_404(PaymentBatch.objects.filter(zone__in=request.user.visible_zones()), pk=pk)


@allow(Role.FINANCE, Role.OFFICE_ADMIN)
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    payments = batch.payments.select_related("outcome").order_by("pk")
    return render(request, "policies/batch_detail.html", {"batch": batch, "payments": payments,
                                                          "can_record": request.user.role == Role.FINANCE})


@allow(Role.FINANCE)
def batch_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The treasury's file: full bank accounts, so finance only, and the export is audited."""
    batch = _batch(request, pk)
    rows = [[p.pk, p.payee_name, p.payee_bank, p.payee_account, p.amount, p.transfer.memo, p.idempotency_key]
            for p in batch.payments.select_related("transfer").order_by("pk")]
    audit_record(action="export", request=request, obj=batch, detail={"rows": len(rows)})
    return xlsx_response(batch.title, [("支付清单", ["支付编号", "收款人", "开户行", "收款账号", "金额（元）", "摘要",
                                                    "幂等键"], rows)])


@require_POST
@allow(Role.FINANCE)
def batch_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the treasury's result for each payment of the batch; returned ones go back to 已预留."""
    batch = _batch(request, pk)
    for payment in batch.payments.filter(outcome__isnull=True):
        result = request.POST.get(f"result_{payment.pk}")
        if result not in PaymentOutcome.Result.values:
            continue
        try:
            _record_outcome(payment, result, request)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    messages.success(request, "已登记国库结果")
    return redirect("policies:batch", pk=batch.pk)


@transaction.atomic
def _record_outcome(payment: Payment, result: str, request: HttpRequest) -> None:
    payment_outcome_record(payment=payment, result=result, note=request.POST.get(f"note_{payment.pk}", ""),
                           by=request.user, request=request)
    if result == PaymentOutcome.Result.RETURNED:
        # the share is unpaid again; so is its instalment, which finance pays anew with a new key
        instalment = Instalment.objects.get(shares__payment=payment)
        instalment.shares.filter(payment=payment).update(payment=None)
        Instalment.objects.filter(pk=instalment.pk).update(status=Instalment.Status.COMMITTED)


@allow(Role.TALENT, Role.ENTERPRISE)
def my_entitlements(request: HttpRequest) -> HttpResponse:
    ents = Entitlement.objects.visible_to(request.user).select_related("policy").prefetch_related("instalments")
    return render(request, "policies/mine.html", {"ents": ents})


@allow(Role.TALENT, Role.ENTERPRISE)
def bank_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The beneficiary is told of the entitlement and confirms where the money goes."""
    ent = get_object_or_404(Entitlement.objects.visible_to(request.user), pk=pk)
    if ent.status in (Entitlement.Status.STOPPED, Entitlement.Status.DONE):
        raise PermissionDenied("该兑现已结束")
    form = BankForm(request.POST or None, initial={"bank_name": ent.bank_name})
    if request.method == "POST" and form.is_valid():
        ent.bank_name, ent.bank_account = form.cleaned_data["bank_name"], form.cleaned_data["bank_account"]
        ent.bank_confirmed_at = timezone.now()
        ent.save(update_fields=["bank_name", "bank_account", "bank_confirmed_at"])
        audit_record(action="update", request=request, obj=ent, detail={"bank_confirmed": True})
        messages.success(request, "收款账户已确认")
        return redirect("policies:mine")
    return render(request, "policies/bank_form.html", {"ent": ent, "form": form})


@allow(Role.OFFICE_ADMIN)
def package_create_view(request: HttpRequest) -> HttpResponse:
    """一人一策: draw up a package; a colleague approves it on the entitlement page."""
    form = PackageForm(request.POST or None)
    form.fields["talent"].queryset = Talent.objects.visible_to(request.user)
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
def entitlement_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    ent = get_object_or_404(Entitlement.objects.visible_to(request.user), pk=pk)
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
