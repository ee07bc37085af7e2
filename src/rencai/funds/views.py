"""Fund pages: the reconciliation (budget, committed, paid, left), one fund's ledger, opening a fund."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import ModelChoiceField
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from rencai.core.access import AuthedRequest, allow
from rencai.core.exports import xlsx_response
from rencai.core.roles import Role
from rencai.core.scoping import get_visible_or_404, visible_related
from rencai.funds.forms import AdjustForm, FundForm
from rencai.funds.models import Fund
from rencai.funds.selectors import category_label, funds_of_year, reconciliation
from rencai.funds.services import budget_adjust, fund_open

FUND_READERS = (Role.OFFICE_ADMIN, Role.FINANCE)


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year


@allow(*FUND_READERS)
def reconciliation_page(request: AuthedRequest) -> HttpResponse:
    year = _year(request)
    report = reconciliation(funds_of_year(request.user, year))
    return render(request, "funds/reconciliation.html", {"report": report, "year": year,
                                                         "can_open": request.user.role == Role.OFFICE_ADMIN})


@allow(*FUND_READERS)
def reconciliation_xlsx(request: AuthedRequest) -> HttpResponse:
    year = _year(request)
    report = reconciliation(funds_of_year(request.user, year))
    header = ["项目", "预算", "已承诺", "已支付", "结余"]

    def rows(lines):
        return [[ln.label, ln.budget, ln.committed, ln.paid, ln.left] for ln in lines]

    # Budgets are set per fund (year × level × zone), not per policy: the policy sheet shows what each
    # policy has taken from them, as the page does, never a budget of 0 with a negative balance.
    by_policy = [[ln.label, ln.committed, ln.paid, ln.used] for ln in report.categories]
    return xlsx_response(f"{year}年人才资金对账", [
        ("按资金", header, rows([ln for _, ln in report.funds]) + rows([report.total])),
        ("按层级", header, rows(report.levels)),
        ("按政策", ["政策", "已承诺", "已支付", "合计占用"], by_policy),
    ])


@allow(*FUND_READERS)
def fund_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    fund = get_visible_or_404(request.user, Fund, pk=pk)
    transfers = (visible_related(fund.transfers, request.user).select_related("by", "reverses")
                 .prefetch_related("entries__account")[:300])
    rows = [{"t": t, "category": category_label(t.category) if t.category else "",
             "amounts": {e.account.kind: e.amount for e in t.entries.all()}} for t in transfers]
    balances = {a.kind: a.balance for a in fund.accounts.all()}
    return render(request, "funds/fund_detail.html", {"fund": fund, "rows": rows, "balances": balances,
                                                      "can_adjust": request.user.role == Role.OFFICE_ADMIN})


@allow(Role.OFFICE_ADMIN)
def fund_create(request: AuthedRequest) -> HttpResponse:
    form = FundForm(request.POST or None, initial={"year": timezone.localdate().year})
    cast(ModelChoiceField, form.fields["zone"]).queryset = request.user.visible_zones()
    if request.method == "POST" and form.is_valid():
        try:
            fund = fund_open(by=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已设立 {fund}")
            return redirect("funds:reconciliation")
    return render(request, "funds/fund_form.html", {"form": form, "title": "设立年度资金"})


@allow(Role.OFFICE_ADMIN)
def fund_adjust(request: AuthedRequest, pk: int) -> HttpResponse:
    fund = get_visible_or_404(request.user, Fund, pk=pk)
    form = AdjustForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            budget_adjust(fund=fund, by=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "预算已调整")
            return redirect("funds:detail", pk=fund.pk)
    return render(request, "funds/fund_form.html", {"form": form, "title": f"调整预算：{fund}"})
