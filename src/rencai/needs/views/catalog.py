"""The scarce-talent catalog: the live draft, staff adjustments, publishing, editions, comparison, exports."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from rencai.core.access import AuthedRequest, allow
from rencai.core.audit import audit_record
from rencai.core.exports import xlsx_response
from rencai.core.roles import REGISTER_READERS, REGISTER_WRITERS
from rencai.core.scoping import get_visible_or_404
from rencai.needs.catalog import Line, Scope, compare, draft, frozen_lines, movement_counts, unclassified
from rencai.needs.models import CatalogEdition, Need
from rencai.needs.services import catalog_adjust, catalog_publish

HEADERS = ["排名", "一级学科", "所属行业", "学历层次", "需求人数", "库内人才", "缺口", "备注"]


class AdjustForm(forms.Form):
    key = forms.CharField(max_length=40)
    demand = forms.IntegerField(min_value=0, required=False)
    note = forms.CharField(max_length=300, required=False)
    hidden = forms.BooleanField(required=False)


class PublishForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200, required=False)
    notes = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year") or request.POST.get("year") or timezone.localdate().year)
    except ValueError:
        raise Http404 from None


def _editions(request: AuthedRequest):
    return CatalogEdition.objects.visible_to(request.user).select_related("published_by", "zone")


@allow(*REGISTER_READERS)
def catalog_draft(request: AuthedRequest) -> HttpResponse:
    scope, year = Scope.of(request.user), _year(request)
    lines = draft(scope, year)
    latest = (_editions(request).filter(city_id=scope.city_id, zone_id=scope.zone_id, year__lte=year)
              .order_by("-year", "-version").first())
    changes = {c.key: c for c in compare(frozen_lines(latest), lines)} if latest else {}
    return render(request, "needs/catalog_draft.html", {
        "rows": [(x, changes.get(x.key)) for x in lines], "lines": lines, "year": year, "scope": scope.label,
        "latest": latest, "unclassified": unclassified(scope),
        # a zone's staff read the city's published catalog beside their own draft (read only)
        "city_latest": (_editions(request).filter(city_id=scope.city_id, zone__isnull=True)
                        .order_by("-year", "-version").first() if scope.zone_id else None),
        "can_write": request.user.role in REGISTER_WRITERS,
        "publish_form": PublishForm(initial={"title": f"{scope.label}{year}年紧缺人才目录"}),
    })


@allow(*REGISTER_WRITERS)
@require_POST
def catalog_adjust_view(request: AuthedRequest) -> HttpResponse:
    form = AdjustForm(request.POST)
    year = _year(request)
    if form.is_valid():
        data = form.cleaned_data
        catalog_adjust(scope=Scope.of(request.user), year=year, key=data["key"], demand=data["demand"],
                       note=data["note"], hidden=data["hidden"], by=request.user, request=request)
        messages.success(request, "已保存对目录条目的调整")
    return redirect(f"{_draft_url()}?year={year}")


def _draft_url() -> str:
    from django.urls import reverse

    return reverse("needs:catalog")


@allow(*REGISTER_WRITERS)
@require_POST
def catalog_publish_view(request: AuthedRequest) -> HttpResponse:
    form = PublishForm(request.POST)
    year = _year(request)
    if form.is_valid():
        try:
            edition = catalog_publish(scope=Scope.of(request.user), year=year, title=form.cleaned_data["title"],
                                      notes=form.cleaned_data["notes"], by=request.user, request=request)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已发布 {edition}")
            return redirect("needs:edition", pk=edition.pk)
    return redirect(f"{_draft_url()}?year={year}")


@allow(*REGISTER_READERS)
def catalog_line_needs(request: AuthedRequest) -> HttpResponse:
    """The needs behind one catalog line: the live draft's, or a published edition's frozen list."""
    key = request.GET.get("key", "")
    visible = Need.objects.visible_to(request.user).select_related("enterprise", "enterprise__zone")
    if request.GET.get("edition"):
        edition = get_visible_or_404(request.user, CatalogEdition, pk=request.GET["edition"])
        line = edition.lines.filter(key=key).first()
        if line is None:
            raise Http404
        needs, label = visible.filter(pk__in=line.need_ids), f"{edition} 第{line.rank}条"
    else:
        found = next((x for x in draft(Scope.of(request.user), _year(request)) if x.key == key), None)
        if found is None:
            raise Http404
        needs, label = visible.filter(pk__in=found.need_ids), f"目录草稿：{found.field_label}（{found.level}）"
    return render(request, "needs/catalog_line.html", {"needs": needs, "label": label})


@allow(*REGISTER_READERS)
def edition_list(request: AuthedRequest) -> HttpResponse:
    return render(request, "needs/edition_list.html", {"editions": _editions(request)})


@allow(*REGISTER_READERS)
def edition_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    edition = get_visible_or_404(request.user, CatalogEdition.objects.select_related("published_by", "zone"), pk=pk)
    previous = (_editions(request).filter(city=edition.city_id, zone=edition.zone_id,
                                          published_at__lt=edition.published_at).order_by("-published_at").first())
    return render(request, "needs/edition_detail.html", {"e": edition, "lines": edition.lines.all(),
                                                          "previous": previous})


@allow(*REGISTER_READERS)
def edition_compare(request: AuthedRequest) -> HttpResponse:
    editions = _editions(request)
    old = get_visible_or_404(request.user, editions, pk=request.GET.get("old") or 0)
    new = get_visible_or_404(request.user, editions, pk=request.GET.get("new") or 0)
    changes = compare(frozen_lines(old), frozen_lines(new))
    return render(request, "needs/edition_compare.html", {"old": old, "new": new, "changes": changes,
                                                           "counts": movement_counts(changes)})


def _rows(lines: list[Line]) -> list[list[object]]:
    return [[x.rank, x.discipline, x.industry, x.level, x.demand, x.supply, x.shortage, x.note]
            for x in lines if not x.hidden]


@allow(*REGISTER_READERS)
def edition_xlsx(request: AuthedRequest, pk: int) -> HttpResponse:
    edition = get_visible_or_404(request.user, CatalogEdition, pk=pk)
    audit_record(action="export", request=request, obj=edition, detail={"format": "xlsx"})
    sheet = ("紧缺人才目录", HEADERS, _rows(frozen_lines(edition)))
    return xlsx_response(f"{edition.title}-第{edition.version}版", [sheet])


@allow(*REGISTER_READERS)
def draft_xlsx(request: AuthedRequest) -> HttpResponse:
    year = _year(request)
    audit_record(action="export", request=request, object_type="needs.catalogdraft", object_repr=f"{year}年目录草稿")
    sheet = ("目录草稿", HEADERS, _rows(draft(Scope.of(request.user), year)))
    return xlsx_response(f"{year}年紧缺人才目录草稿", [sheet])


@allow(*REGISTER_READERS)
def edition_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    from rencai.needs.pdf import edition_pdf_bytes

    edition = get_visible_or_404(request.user, CatalogEdition, pk=pk)
    audit_record(action="export", request=request, obj=edition, detail={"format": "pdf"})
    response = HttpResponse(edition_pdf_bytes(edition), content_type="application/pdf")
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(edition.title)}-v{edition.version}.pdf"
    return response
