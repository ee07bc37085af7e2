"""core.listing at a city's scale: the order every list page uses, exact counts for small lists and estimates for
large ones, deep pages found by their keys, and facet counts read once per change (issue 18)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from rencai.core import listing
from rencai.core.listing import EstimatedCount, ListPaginator, ListSpec, facet_counts, filtered, ordering, paginate
from rencai.core.models import Zone
from rencai.talents.models import Talent
from tests.conftest import verified_client
from tests.factories import TalentFactory, ZoneFactory

SPEC = ListSpec(search_fields=["name"], search_label="姓名", sorts=[("-updated_at", "最近更新"), ("name", "姓名")],
                page_size=2)
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="estimates come from PostgreSQL's planner")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The test database is rolled back between tests without a commit, so no change mark moves: start clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def zone(world):
    """A zone of the world's city with no talents yet."""
    return ZoneFactory(city=world.zone_a.city)


def _get(query: str = ""):
    return RequestFactory().get("/talents/" + (f"?{query}" if query else ""))


def test_the_pk_follows_the_direction_of_the_last_sort_key():
    assert ordering("-updated_at") == ["-updated_at", "-pk"]
    assert ordering("name") == ["name", "pk"]
    assert ordering("tier,name") == ["tier", "name", "pk"]
    assert ordering("tier,-birth_date") == ["tier", "-birth_date", "-pk"]


@pytest.mark.django_db
def test_talents_updated_at_the_same_moment_show_the_newest_record_first(zone):
    older, newer = TalentFactory(zone=zone), TalentFactory(zone=zone)
    Talent.objects.filter(pk__in=[older.pk, newer.pk]).update(updated_at=timezone.now() + timedelta(days=1))
    queryset, _ = filtered(_get(), Talent.objects.all(), SPEC)
    assert list(queryset[:2]) == [newer, older]  # as the model's own ordering (-updated_at, -pk) has it


@pytest.mark.django_db
def test_a_list_under_the_limit_is_counted_exactly(zone, settings):
    settings.RENCAI_LIST_EXACT_COUNT = 5
    for _ in range(5):
        TalentFactory(zone=zone)
    page = paginate(_get(), Talent.objects.filter(zone=zone).order_by("-pk"), SPEC)
    assert page.paginator.count == 5 and type(page.paginator.count) is int
    assert not page.paginator.estimated
    assert page.paginator.num_pages == 3


@pytest.mark.django_db
def test_the_count_past_the_limit_is_read_over_the_limit_only(zone, settings):
    settings.RENCAI_LIST_EXACT_COUNT = 3
    for _ in range(6):
        TalentFactory(zone=zone)
    paginator = ListPaginator(Talent.objects.filter(zone=zone).order_by("-pk"), 2)
    with CaptureQueriesContext(connection) as captured:
        count = paginator.count
    counts = [q["sql"] for q in captured.captured_queries if "COUNT" in q["sql"]]
    assert "LIMIT 4" in counts[0]  # the first count reads at most one row past the limit
    if connection.vendor == "postgresql":
        assert paginator.estimated and isinstance(count, EstimatedCount)
    else:  # the embedded SQLite default counts exactly: a small office's list
        assert count == 6 and not paginator.estimated


def test_an_estimate_says_it_is_one_rounded_to_three_figures():
    with translation.override("zh-hans"):
        assert str(EstimatedCount(100_208)) == "约 100,000"
        assert str(EstimatedCount(12_345)) == "约 12,300"
    assert EstimatedCount(100_208) == 100_208  # the paginator still computes pages from the number


@on_postgresql
@pytest.mark.django_db
def test_an_estimated_list_offers_a_next_page_while_rows_remain_and_not_after(zone, settings):
    settings.RENCAI_LIST_EXACT_COUNT = 3
    talents = [TalentFactory(zone=zone) for _ in range(5)]
    queryset = Talent.objects.filter(pk__in=[t.pk for t in talents]).order_by("-pk")
    first = ListPaginator(queryset, 2).get_page(1)
    assert first.paginator.estimated and first.has_next() and first.next_page_number() == 2
    last = ListPaginator(queryset, 2).get_page(3)
    assert list(last) == [talents[0]] and not last.has_next()


@on_postgresql
@pytest.mark.django_db
def test_the_talent_list_shows_an_estimate_as_one(world, settings):
    settings.RENCAI_LIST_EXACT_COUNT = 2
    for _ in range(4):
        TalentFactory(zone=world.zone_a)
    with translation.override("zh-hans"):
        body = verified_client(world.admin).get("/talents/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "约 " in body


@pytest.mark.django_db
def test_a_deep_page_shows_the_same_rows_as_a_plain_offset(zone, monkeypatch):
    monkeypatch.setattr(listing, "DEEP_OFFSET", 2)
    for _ in range(7):
        TalentFactory(zone=zone)
    queryset = Talent.objects.filter(zone=zone).select_related("zone").order_by("-updated_at", "-pk")
    expected = list(queryset)
    pages = [list(ListPaginator(queryset, 2).get_page(n)) for n in range(1, 5)]
    assert [t for page in pages for t in page] == expected
    with CaptureQueriesContext(connection) as captured:
        list(ListPaginator(queryset, 2).get_page(3))
    assert "IN (SELECT" in captured.captured_queries[-1]["sql"]  # found by its keys, then read whole


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """A block whose writes commit, as a request's do. The test's own transaction never commits, so the rows
    the fixtures wrote are still pending there: forget them, as their commit would have."""

    def block():
        connection._rencai_list_changes = None
        return django_capture_on_commit_callbacks(execute=True)

    return block


def _large(queryset):
    """The page of a list whose count is an estimate (on SQLite there is none, so it is declared)."""
    paginator = ListPaginator(queryset, 30)
    paginator.estimated = True
    return paginator.page(1)


@pytest.mark.django_db
def test_facets_of_a_small_list_are_counted_on_every_request(zone):
    TalentFactory(zone=zone, tier="C")
    queryset = Talent.objects.filter(zone=zone)
    page = paginate(_get(), queryset, SPEC)
    assert facet_counts(queryset, "tier", page) == {"C": 1}
    Talent.objects.filter(zone=zone).update(tier="D")  # no signal: a small list does not need one
    assert facet_counts(queryset, "tier", page) == {"D": 1}


@pytest.mark.django_db
def test_facets_of_a_large_list_are_read_once_per_change(zone, commit):
    talent = TalentFactory(zone=zone, tier="C")
    TalentFactory(zone=zone, tier="C")
    queryset = Talent.objects.filter(zone=zone)
    assert facet_counts(queryset, "tier", _large(queryset)) == {"C": 2}
    page = _large(queryset)
    with CaptureQueriesContext(connection) as captured:
        assert facet_counts(queryset, "tier", page) == {"C": 2}
    assert not captured.captured_queries, "a second request read the counts again"
    with commit() as callbacks:
        talent.tier = "A"
        talent.save()
        talent.save()
    assert len(callbacks) == 1  # one mark per table per transaction, however many rows it writes
    assert facet_counts(queryset, "tier", _large(queryset)) == {"A": 1, "C": 1}


@pytest.mark.django_db
def test_facets_see_a_delete_and_a_change_to_a_joined_table(zone, commit):
    talent = TalentFactory(zone=zone, tier="B")
    queryset = Talent.objects.filter(zone__name=zone.name)  # joins the zone table
    assert facet_counts(queryset, "tier", _large(queryset)) == {"B": 1}
    with commit():
        zone.name = "改名园区"
        zone.save()
    assert facet_counts(queryset, "tier", _large(queryset)) == {}
    renamed = Talent.objects.filter(zone__name="改名园区")
    assert facet_counts(renamed, "tier", _large(renamed)) == {"B": 1}
    with commit():
        talent.delete()
    assert facet_counts(renamed, "tier", _large(renamed)) == {}


@on_postgresql
@pytest.mark.django_db
def test_a_list_the_planner_expects_large_is_counted_once_per_change(zone, settings, commit):
    """A search that finds thousands of talents is under the exact-count limit, yet its count and its facets
    each read every one of them: they are kept like those of an estimated list."""
    settings.RENCAI_LIST_LARGE = 0  # any estimate is "large" (the planner never expects fewer than one row)
    talent = TalentFactory(zone=zone, tier="C")
    TalentFactory(zone=zone, tier="C")
    queryset = Talent.objects.filter(zone=zone).order_by("-pk")
    first = ListPaginator(queryset, 30).get_page(1)
    assert first.paginator.count == 2 and first.paginator.large and not first.paginator.estimated
    assert facet_counts(queryset, "tier", first) == {"C": 2}
    with CaptureQueriesContext(connection) as captured:
        again = ListPaginator(queryset, 30).get_page(1)
        assert again.paginator.count == 2 and facet_counts(queryset, "tier", again) == {"C": 2}
    assert not [q for q in captured.captured_queries if "COUNT" in q["sql"]], "counted again without a change"
    with commit():
        talent.tier = "A"
        talent.save()
        TalentFactory(zone=zone, tier="B")
    after = ListPaginator(queryset, 30).get_page(1)
    assert after.paginator.count == 3 and facet_counts(queryset, "tier", after) == {"A": 1, "B": 1, "C": 1}


@pytest.mark.django_db
def test_cached_counts_see_a_change_to_a_table_read_in_a_subquery(zone, commit):
    """A list narrowed by a subquery (the search's documents, or here the zones of a city) is re-counted when
    the subquery's table changes, not only the list's own."""
    TalentFactory(zone=zone, tier="C")
    queryset = Talent.objects.filter(zone__in=Zone.objects.filter(name=zone.name).values("pk"))
    assert listing.cached_count(queryset) == 1
    with commit():
        zone.name = "另一个名字"
        zone.save()
    assert listing.cached_count(queryset) == 0


@pytest.mark.django_db
def test_cached_counts_see_rows_written_past_the_signals_once_indexed(zone, commit):
    """An import writes with bulk_create (no signal) and then indexes its rows for search: the indexing marks the
    tables, so a searched list's kept count shows the imported rows at once, not minutes later."""
    from rencai.core import search

    TalentFactory(zone=zone, tier="C")
    queryset = Talent.objects.filter(zone=zone)
    assert listing.cached_count(queryset) == 1
    with commit():
        imported = Talent.objects.bulk_create([Talent(zone=zone, name="批量导入", tier="C")])
        search.index_objects(Talent, imported)
    assert listing.cached_count(queryset) == 2
