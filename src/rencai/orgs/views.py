"""Pages of the enterprise register (with indicators, platforms, contacts) and the institution register."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from rencai.core.access import AuthedRequest, allow, city_wide
from rencai.core.audit import audit_record
from rencai.core.catalogs import industry_doors, industry_label
from rencai.core.exports import Column, export_queryset
from rencai.core.listing import Filter, ListSpec, ListState, filtered, name_key_search, paginate, zone_choices
from rencai.core.parts import add_part
from rencai.core.roles import REGISTER_READERS, REGISTER_WRITERS, Role
from rencai.core.scoping import visible_related
from rencai.core.sensitive import can_reveal, masked_value
from rencai.orgs import selectors
from rencai.orgs.forms import ContactForm, EnterpriseForm, IndicatorForm, InstitutionForm, PlatformForm
from rencai.orgs.models import Enterprise, InnovationIndicator, Institution, Platform, Qualification
from rencai.orgs.services import record_save

ENTERPRISE_READERS = REGISTER_READERS | {Role.ENTERPRISE}


def _door_choices(request: HttpRequest) -> list[tuple[str, str]]:
    return [(d.code, f"{d.code} {d.name}") for d in industry_doors()]


ENTERPRISE_SPEC = ListSpec(
    search_fields=["name", "credit_code", "address"],
    extra_search=name_key_search,  # 北辰磁業 finds 包头北辰磁业…, 包头北辰磁业 finds 包頭北辰磁業…
    search_label=_("企业名称、信用代码、地址"),
    filters=[
        Filter("zone", _("旗区/园区"), "zone", zone_choices),
        Filter("qual", _("资质"), "qualifications__icontains", Qualification.choices),
        Filter("platform", _("平台"), "platforms__kind", Platform.Kind.choices),
    ],
    sorts=[("name", _("名称")), ("-updated_at", _("最近更新"))],
)


def _enterprises(request: AuthedRequest) -> tuple[QuerySet[Enterprise], ListState]:
    queryset, state = filtered(request, selectors.enterprise_list(request.user), ENTERPRISE_SPEC)
    return queryset.distinct(), state


def _latest(enterprise: Enterprise) -> InnovationIndicator | None:
    indicators = list(enterprise.indicators.all())  # prefetched, newest first
    return indicators[0] if indicators else None


@allow(*ENTERPRISE_READERS)
def enterprise_list(request: AuthedRequest) -> HttpResponse:
    queryset, state = _enterprises(request)
    page = paginate(request, queryset, ENTERPRISE_SPEC)
    rows = [{"e": e, "indicator": _latest(e), "industry": industry_label(e.industry_code) if e.industry_code else ""}
            for e in page]
    context = {"page": page, "rows": rows, "state": state, "spec": ENTERPRISE_SPEC,
               "can_write": request.user.role in REGISTER_WRITERS}
    return render(request, "orgs/enterprise_list.html#results" if request.htmx else "orgs/enterprise_list.html",
                  context)


def _latest_value(e: Enterprise, field: str) -> Any:
    """A figure of the latest year's indicators, or "" when the enterprise has none."""
    latest = _latest(e)
    return getattr(latest, field) if latest else ""


def _three_zeros(e: Enterprise) -> str:
    latest = _latest(e)
    if latest is None:
        return "未填报"
    return "已清零" if latest.three_zeros_cleared else "缺" + "、".join(latest.zeros)


ENTERPRISE_COLUMNS = [
    Column("企业名称", "name"), Column("统一社会信用代码", "credit_code"),
    Column("所属行业", lambda e: industry_label(e.industry_code) if e.industry_code else ""),
    Column("所在旗区/园区", lambda e: e.zone.name), Column("企业资质", lambda e: "、".join(e.qualification_labels)),
    Column("指标年度", lambda e: _latest_value(e, "year")),
    Column("研发投入(万元)", lambda e: _latest_value(e, "rd_spending")),
    Column("是否有研发机构", lambda e: ("是" if i.has_rd_institution else "否") if (i := _latest(e)) else ""),
    Column("有效发明专利数", lambda e: _latest_value(e, "invention_patents")),
    Column("三清零", _three_zeros),
    Column("创新平台", lambda e: "、".join(f"{p.get_kind_display()}：{p.name}" for p in e.platforms.all())),
    Column("地址", "address"), Column("备注", "remarks"),
]


@allow(*ENTERPRISE_READERS)
def enterprise_export(request: AuthedRequest) -> HttpResponse:
    queryset, state = _enterprises(request)
    return export_queryset(request, queryset=queryset, columns=ENTERPRISE_COLUMNS, title="企业信息",
                           filters=state.selected | {"q": state.q})


def _enterprise_for(request: AuthedRequest, pk: int) -> tuple[Enterprise, bool]:
    enterprise = selectors.enterprise_get(request.user, pk)
    return enterprise, request.user.role in REGISTER_WRITERS


@allow(*ENTERPRISE_READERS)
def enterprise_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    enterprise, can_write = _enterprise_for(request, pk)
    contacts = [{"c": c, "masked": masked_value(c, "phone"), "can_reveal": can_reveal(request.user, c, "phone")}
                for c in visible_related(enterprise.contacts, request.user)]
    return render(request, "orgs/enterprise_detail.html", {
        "e": enterprise, "can_write": can_write, "contacts": contacts,
        "indicators": visible_related(enterprise.indicators, request.user),
        "platforms": visible_related(enterprise.platforms, request.user),
        "industry": industry_label(enterprise.industry_code) if enterprise.industry_code else "",
        "indicator_form": IndicatorForm(), "platform_form": PlatformForm(), "contact_form": ContactForm(),
    })


@allow(*REGISTER_WRITERS)
def enterprise_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    enterprise = _enterprise_for(request, pk)[0] if pk else Enterprise(zone=request.user.zone)
    form = EnterpriseForm(request.POST or None, instance=enterprise, zones=request.user.visible_zones())
    if request.method == "POST" and form.is_valid():
        enterprise = record_save(obj=form.save(commit=False), by=request.user, request=request)
        messages.success(request, f"已保存 {enterprise.name}")
        return redirect("orgs:enterprise_detail", pk=enterprise.pk)
    return render(request, "orgs/enterprise_edit.html", {"form": form, "e": enterprise})


PART_FORMS = {"indicator": IndicatorForm, "platform": PlatformForm, "contact": ContactForm}


@allow(*REGISTER_WRITERS)
@require_POST
def enterprise_add_part(request: AuthedRequest, pk: int, part: str) -> HttpResponse:
    """Add a year's indicators, a platform or a contact to an enterprise."""
    enterprise, _ = _enterprise_for(request, pk)
    form_class = PART_FORMS.get(part)
    if form_class is None:
        return redirect("orgs:enterprise_detail", pk=pk)
    instance = None
    if part == "indicator":  # a year's figures are corrected in place, not duplicated
        instance = selectors.indicator_of_year(enterprise, request.POST.get("year"))
    add_part(request, parent=enterprise, parent_field="enterprise", form=form_class(request.POST, instance=instance))
    return redirect("orgs:enterprise_detail", pk=pk)


INSTITUTION_SPEC = ListSpec(
    search_fields=["name", "province", "city"],
    search_label=_("机构名称、省份、城市"),
    filters=[Filter("kind", _("类型"), "kind", Institution.Kind.choices)],
    sorts=[("name", _("名称")), ("-n_talents", _("人才数"))],
)
INSTITUTION_READERS = REGISTER_READERS | {Role.LIAISON}


def _institutions(request: AuthedRequest) -> tuple[QuerySet[Institution], ListState]:
    # the count is of the talents this user may see, not of every zone's
    return filtered(request, selectors.institution_list(request.user), INSTITUTION_SPEC)


@allow(*INSTITUTION_READERS)
def institution_list(request: AuthedRequest) -> HttpResponse:
    queryset, state = _institutions(request)
    page = paginate(request, queryset, INSTITUTION_SPEC)
    context = {"page": page, "state": state, "spec": INSTITUTION_SPEC,
               "can_write": request.user.role in REGISTER_WRITERS}
    return render(request, "orgs/institution_list.html#results" if request.htmx else "orgs/institution_list.html",
                  context)


INSTITUTION_COLUMNS = [
    Column("机构名称", "name"), Column("机构类型", lambda i: i.get_kind_display()), Column("所在省份", "province"),
    Column("所在城市", "city"), Column("统一社会信用代码", "credit_code"), Column("在库人才数", "n_talents"),
    Column("通讯地址", "address"),
]


@allow(*INSTITUTION_READERS)
def institution_export(request: AuthedRequest) -> HttpResponse:
    queryset, state = _institutions(request)
    return export_queryset(request, queryset=queryset, columns=INSTITUTION_COLUMNS, title="派出单位",
                           filters=state.selected | {"q": state.q})


@allow(*INSTITUTION_READERS)
def institution_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    institution = selectors.institution_get(request.user, pk)
    talents = visible_related(institution.talents, request.user)
    audit_record(action="view", request=request, obj=institution)
    return render(request, "orgs/institution_detail.html", {
        "i": institution, "talents": talents[:200], "can_write": request.user.role in REGISTER_WRITERS})


@city_wide("派出单位名录")
@allow(*REGISTER_WRITERS)
def institution_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    institution = selectors.institution_get(request.user, pk) if pk else Institution()
    form = InstitutionForm(request.POST or None, instance=institution)
    if request.method == "POST" and form.is_valid():
        institution = record_save(obj=form.save(commit=False), by=request.user, request=request)
        messages.success(request, f"已保存 {institution.name}")
        return redirect("orgs:institution_detail", pk=institution.pk)
    return render(request, "orgs/institution_edit.html", {"form": form, "i": institution})
