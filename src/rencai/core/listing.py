"""One description of a list page's search, filters and sorting, used by the page and its export alike."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, overload
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.functional import Promise

# Characters no search can mean: NUL (PostgreSQL refuses it in any string) and the other C0 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_SEARCH = 200  # longer searches are cut: no column a clerk searches is longer


def clean_text(value: str, max_length: int = MAX_SEARCH) -> str:
    """A query-string value fit for a search: control characters dropped, trimmed, at most max_length."""
    return _CONTROL.sub("", value).strip()[:max_length]


@overload
def int_param(request: HttpRequest, name: str) -> int | None: ...
@overload
def int_param(request: HttpRequest, name: str, default: int) -> int: ...
@overload
def int_param(request: HttpRequest, name: str, default: None) -> int | None: ...
def int_param(request: HttpRequest, name: str, default: int | None = None) -> int | None:
    """A query-string number (a pk, a year): the default for anything that is not a plain, sane integer."""
    return plain_int(request.GET.get(name), default)


def plain_int(value: str | None, default: int | None = None) -> int | None:
    """A number typed in a query or a form: ASCII digits only and at most 18 of them (so the database never
    overflows), else the default."""
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return default


def name_key_search(q: str, field_name: str = "name_key") -> Q:
    """`ListSpec(extra_search=name_key_search)`: a name in either script (陈静 / 陳靜) against the folded key column
    (`rencai.core.textnorm.name_key`: Simplified, no spaces, lower case). Works alike on SQLite and PostgreSQL."""
    from rencai.core.textnorm import name_key

    key = name_key(q)
    return Q(**{f"{field_name}__icontains": key}) if key else Q(pk__in=[])


@dataclass(frozen=True)
class Filter:
    param: str
    label: str | Promise  # gettext_lazy: the label is read in the language of each request
    lookup: str
    # a list, or a function of the request (pages pass their AuthedRequest helpers)
    choices: Sequence[tuple[str, str | Promise]] | Callable[..., Sequence[tuple[str, str | Promise]]]

    def options(self, request: HttpRequest) -> Sequence[tuple[str, str | Promise]]:
        return self.choices(request) if callable(self.choices) else self.choices


@dataclass(frozen=True)
class ListSpec:
    search_fields: Sequence[str]
    search_label: str | Promise
    filters: Sequence[Filter] = ()
    sorts: Sequence[tuple[str, str | Promise]] = ()  # (order_by expression, label); first is the default
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
    q = clean_text(request.GET.get("q", ""))
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


def zone_choices(request: HttpRequest) -> list[tuple[str, str]]:
    """The zones this user may see, as filter options: one definition for every list page's 旗区/园区 filter."""
    return [(str(z.pk), z.name) for z in request.user.visible_zones()]  # type: ignore[union-attr]
