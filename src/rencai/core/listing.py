"""One description of a list page's search, filters and sorting, used by the page and its export alike."""

from __future__ import annotations

import functools
import hashlib
import json
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, overload
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Count, Model, Q, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.db.models.sql.query import Query
from django.http import HttpRequest
from django.utils.functional import Promise, cached_property
from django.utils.translation import gettext as _

from rencai.core import search

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
        # the model's search index when it holds this list's fields and is complete; icontains otherwise
        condition = search.condition(queryset.model, q, fields=spec.search_fields, using=queryset.db)
        if condition is None:
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
        queryset = queryset.order_by(*ordering(sort))
    return queryset, ListState(q=q, selected=selected, sort=sort, filters=filters)


def ordering(sort: str) -> list[str]:
    """A sort's order_by terms with the pk last, in the direction of the last term ("-updated_at" orders ties
    by "-pk"): one index (…, key, id) then serves the order, scanned forwards or backwards, and the order is
    total, so no row shows on two pages."""
    keys = sort.split(",")
    return [*keys, "-pk" if keys[-1].startswith("-") else "pk"]


def paginate(request: HttpRequest, queryset: QuerySet, spec: ListSpec) -> Page:
    return ListPaginator(queryset, spec.page_size).get_page(request.GET.get("page"))


def zone_choices(request: HttpRequest) -> list[tuple[str, str]]:
    """The zones this user may see, as filter options: one definition for every list page's 旗区/园区 filter."""
    return [(str(z.pk), z.name) for z in request.user.visible_zones()]  # type: ignore[union-attr]


# --- counting a large list -------------------------------------------------------------------------------------
#
# A page of 30 rows is cheap with an index; counting the list behind it is not: COUNT(*) over a zone of 100,000
# talents reads all of them on every request. So a list is counted exactly up to EXACT_COUNT_LIMIT rows (a
# COUNT over at most that many rows, however large the table), and past that, on PostgreSQL, the planner's
# estimate of the rows is shown as an estimate ("约 100,000"). Small lists and filtered lists under the limit
# keep their exact count; on SQLite (the embedded, small default) every count is exact.

EXACT_COUNT_LIMIT = 10_000  # settings.RENCAI_LIST_EXACT_COUNT overrides it
DEEP_OFFSET = 1_000  # from this row on, a page is found by its primary keys first (ListPaginator._rows)


LARGE_LIST = 2_000  # settings.RENCAI_LIST_LARGE overrides it: past this many rows (planned) counts are cached


def exact_count_limit() -> int:
    return int(getattr(settings, "RENCAI_LIST_EXACT_COUNT", EXACT_COUNT_LIMIT))


def large_list() -> int:
    return int(getattr(settings, "RENCAI_LIST_LARGE", LARGE_LIST))


class EstimatedCount(int):
    """A number of rows that is the planner's estimate: it renders as "约 N" (N to three significant figures),
    so a template that prints the count never passes an estimate off as exact."""

    def __str__(self) -> str:
        rounded = int(float(f"{int(self):.3g}"))
        return _("约 %(count)s") % {"count": f"{rounded:,}"}


def planner_rows(queryset: QuerySet) -> int | None:
    """PostgreSQL's estimate of the rows a queryset returns (EXPLAIN, planning only: no row is read)."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    plan = json.loads(queryset.order_by().explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


class ListPage(Page):
    """A page whose "is there a next page" comes from the rows themselves (one row more than the page is read)
    when the count is an estimate, so the last page has no 下一页 link whatever the estimate says."""

    def __init__(self, object_list: Any, number: int, paginator: ListPaginator, more: bool | None = None) -> None:
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return super().has_next() if self.more is None else self.more

    def next_page_number(self) -> int:
        return self.number + 1 if self.more else super().next_page_number()


class ListPaginator(Paginator):
    """Django's paginator with a count that stays cheap at a city's scale (see above). `estimated` says
    whether `count` (and so `num_pages`) is the planner's estimate."""

    estimated = False
    expected_large = False  # the planner expects more than large_list() rows (PostgreSQL only)

    @property
    def large(self) -> bool:
        """Whether this list's counts are kept in the cache (see facet counts below): its count is an estimate, or
        the planner expects it to be large, as a search that finds thousands of talents is."""
        return self.estimated or self.expected_large

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not isinstance(queryset, QuerySet):
            return len(queryset)
        limit = exact_count_limit()
        rows = planner_rows(queryset)
        self.expected_large = rows is not None and rows > large_list()
        bounded_rows = queryset.order_by()[: limit + 1]
        bounded = cached_count(bounded_rows) if self.expected_large else bounded_rows.count()
        if bounded <= limit:
            return bounded
        if rows is None:
            return queryset.count()
        self.estimated = True
        return EstimatedCount(max(rows, bounded))

    def validate_number(self, number: Any) -> int:
        """As Django's, except that past an estimated count a page is not refused for lying beyond the
        estimate: the rows decide (an empty page past the real end, a 下一页 while rows remain)."""
        if not (self.count and self.estimated):
            return super().validate_number(number)
        try:
            value = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from exc
        if value < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return value

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if self.estimated:
            rows = list(self._rows(bottom, bottom + self.per_page + 1))
            return ListPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return Page(self._rows(bottom, top), number, self)

    def _rows(self, bottom: int, top: int) -> Any:
        """The rows of one page. Deep in a list the offset is found on the primary keys alone (a subquery the
        database can answer from the index of the order) and only the page's rows are then read whole, rather
        than reading and throwing away every row before them."""
        queryset = self.object_list
        if (bottom < DEEP_OFFSET or not isinstance(queryset, QuerySet) or not queryset.ordered
                or queryset.query.group_by is not None or queryset.query.distinct):
            return queryset[bottom:top]
        return queryset.filter(pk__in=queryset.values("pk")[bottom:top])


# --- facet counts ----------------------------------------------------------------------------------------------
#
# A list's facet counts (how many talents per tier) are a GROUP BY over the whole list, and its count a COUNT over
# up to EXACT_COUNT_LIMIT rows. Over a large list (its count an estimate, or the planner expecting more than
# LARGE_LIST rows: a search that finds thousands of talents reads them all for each of the two) they are kept in the
# cache until one of the tables they read changes: every save or delete through the ORM marks its table changed
# once per transaction, when it commits, and the cached counts of a table so marked are read afresh. Writes that
# bypass the ORM's signals (bulk updates) show within FACET_SECONDS at the latest. Small lists are counted on every
# request, as before.

FACET_SECONDS = 300  # settings.RENCAI_LIST_FACET_SECONDS overrides it
_STAMP = "rencai:list:changed:{}"


def facet_counts(queryset: QuerySet, field_name: str, page: Page | None = None) -> dict[Any, int]:
    """{value: rows} of `field_name` over the list; cached per (query, tables' change marks) when `page` is
    the page of a large list (ListPaginator.large), else counted now."""
    grouped = queryset.order_by().values_list(field_name).annotate(n=Count("pk"))
    if page is None or not getattr(page.paginator, "large", False):
        return dict(grouped.values_list(field_name, "n"))
    return _cached(grouped, "facets", lambda: dict(grouped.values_list(field_name, "n")))


def cached_count(queryset: QuerySet) -> int:
    """`queryset.count()`, kept in the cache until a table it reads changes (see above)."""
    return _cached(queryset, "count", queryset.count)


def _cached(queryset: QuerySet, kind: str, compute: Callable[[], Any]) -> Any:
    tables = sorted(_tables(queryset.query) | {queryset.model._meta.db_table})
    marks = cache.get_many([_STAMP.format(t) for t in tables])
    for table in tables:  # a table read for the first time gets a mark, so its next change is seen
        if _STAMP.format(table) not in marks:
            marks[_STAMP.format(table)] = _new_mark()
            cache.add(_STAMP.format(table), marks[_STAMP.format(table)], None)
    sql, params = queryset.query.sql_with_params()
    key = f"rencai:list:{kind}:" + hashlib.sha256(repr((sql, params, sorted(marks.items()))).encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, int(getattr(settings, "RENCAI_LIST_FACET_SECONDS", FACET_SECONDS)))
    return value


def _tables(query: Any) -> set[str]:
    """The tables a query reads: its joins and those of the subqueries in its conditions (a search's documents)."""
    tables = {join.table_name for join in query.alias_map.values()}
    nodes = [query.where]
    while nodes:
        node = nodes.pop()
        for child in getattr(node, "children", ()):
            nodes.append(child)
            if isinstance(getattr(child, "rhs", None), Query):  # `pk__in=<subquery>`
                tables |= _tables(child.rhs)
    return tables


def _new_mark() -> str:
    return uuid.uuid4().hex


def _mark_changed(table: str) -> None:
    key = _STAMP.format(table)
    if cache.get(key) is not None:  # only tables whose facets are cached carry a mark
        cache.set(key, _new_mark(), None)


def tables_changed(*models: type[Model], using: str = DEFAULT_DB_ALIAS) -> None:
    """Mark the tables of `models` changed, as a save through the ORM does: for writes that bypass its signals."""
    for model in models:
        _on_write(model, using)


def _on_write(sender: type[Model], using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    table = sender._meta.db_table
    connection = connections[using]
    if not connection.in_atomic_block:
        _mark_changed(table)
        return
    # once per table per transaction, when it commits: an import of 100,000 rows marks its table once
    pending: tuple[list[Any], set[str]] | None = getattr(connection, "_rencai_list_changes", None)
    if pending is None or pending[0] is not connection.run_on_commit:
        pending = (connection.run_on_commit, set())
        connection._rencai_list_changes = pending  # type: ignore[attr-defined]
    if table not in pending[1]:
        pending[1].add(table)
        transaction.on_commit(functools.partial(_mark_changed, table), using=using)


def _on_m2m(sender: type[Model], using: str = DEFAULT_DB_ALIAS, action: str = "", **kwargs: Any) -> None:
    if action.startswith("post_"):
        _on_write(sender, using)  # sender is the through model: its table is the one a facet joins


post_save.connect(_on_write, dispatch_uid="rencai.core.listing.save")
post_delete.connect(_on_write, dispatch_uid="rencai.core.listing.delete")
m2m_changed.connect(_on_m2m, dispatch_uid="rencai.core.listing.m2m")
