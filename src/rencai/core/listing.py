"""One description of a list page's search, filters and sorting, used by the page and its export alike."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest


@dataclass(frozen=True)
class Filter:
    param: str
    label: str
    lookup: str
    choices: Sequence[tuple[str, str]] | Callable[[HttpRequest], Sequence[tuple[str, str]]]

    def options(self, request: HttpRequest) -> Sequence[tuple[str, str]]:
        return self.choices(request) if callable(self.choices) else self.choices


@dataclass(frozen=True)
class ListSpec:
    search_fields: Sequence[str]
    search_label: str
    filters: Sequence[Filter] = ()
    sorts: Sequence[tuple[str, str]] = ()  # (order_by expression, label); first is the default
    page_size: int = 30
    extra_search: Callable[[str], Q] | None = field(default=None)


@dataclass
class ListState:
    q: str
    selected: dict[str, str]
    sort: str
    filters: list[dict[str, Any]]

    def query(self, **changes: str) -> str:
        params = {"q": self.q, "sort": self.sort, **self.selected, **changes}
        return urlencode({k: v for k, v in params.items() if v})


def filtered(request: HttpRequest, queryset: QuerySet, spec: ListSpec) -> tuple[QuerySet, ListState]:
    q = request.GET.get("q", "").strip()
    if q:
        condition = Q()
        for name in spec.search_fields:
            condition |= Q(**{f"{name}__icontains": q})
        if spec.extra_search:
            condition |= spec.extra_search(q)
        queryset = queryset.filter(condition)
    selected: dict[str, str] = {}
    filters = []
    for f in spec.filters:
        value = request.GET.get(f.param, "")
        options = f.options(request)
        if value and value in {str(k) for k, _ in options}:
            selected[f.param] = value
            queryset = queryset.filter(**{f.lookup: value})
        filters.append({"param": f.param, "label": f.label, "options": options, "value": selected.get(f.param, "")})
    sorts = {key: label for key, label in spec.sorts}
    sort = request.GET.get("sort", "")
    if sort not in sorts:
        sort = spec.sorts[0][0] if spec.sorts else ""
    if sort:
        queryset = queryset.order_by(*sort.split(","), "pk")
    return queryset, ListState(q=q, selected=selected, sort=sort, filters=filters)


def paginate(request: HttpRequest, queryset: QuerySet, spec: ListSpec) -> Page:
    return Paginator(queryset, spec.page_size).get_page(request.GET.get("page"))
