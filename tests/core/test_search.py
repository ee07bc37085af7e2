"""core.search: a list search through an index (FTS5 on SQLite, tsvector + GIN on PostgreSQL) that finds every row
the icontains search found, short names and terms included (issue 18). Runs on whichever engine DATABASE_URL names."""

from __future__ import annotations

import random
from datetime import date
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Q

from rencai.core import search
from rencai.core.models import SearchDocument
from rencai.demo import data
from rencai.demo.fields import FIELDS
from rencai.talents.models import Talent
from rencai.talents.views import SPEC
from tests.factories import InstitutionFactory, TalentFactory, ZoneFactory

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the tsvector index is PostgreSQL's")
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table is SQLite's")

# Rows a clerk really has: short names (two characters), a name in Traditional script, one with a middle dot, one
# typed in full-width letters, Latin abbreviations inside Chinese text, a title that is a substring of another.
HAND_MADE = [
    {"name": "王建", "research_directions": "钕铁硼永磁材料；晶界扩散", "employer": "包头北辰磁业有限公司",
     "major": "材料物理与化学", "discipline": "材料科学与工程", "title": "教授", "achievements": "NdFeB磁体专利"},
    {"name": "王建国", "research_directions": "稀土冶金", "employer": "包头稀土研究院", "major": "冶金工程",
     "title": "正高级工程师", "achievements": "钕铁硼废料回收"},
    {"name": "陳靜", "research_directions": "稀土發光材料", "employer": "內蒙古大學", "major": "材料學",
     "title": "副教授", "achievements": ""},
    {"name": "阿依古丽·买买提", "research_directions": "5G通信；MES系统", "employer": "包头钢铁（集团）有限责任公司",
     "major": "通信工程", "title": "工程师", "achievements": "制造执行系统（MES）上线"},
    {"name": "ＬＩ Ｍｉｎｇ", "research_directions": "氢能；燃料电池", "employer": "Baotou Hydrogen Co.",
     "major": "化学工程", "title": "研究员", "achievements": "PEM电解槽"},
    {"name": "材料", "research_directions": "", "employer": "", "major": "", "title": "", "achievements": ""},
]


def _generated(count: int, seed: int = 18) -> list[dict[str, str]]:
    """Talent rows in the demo's vocabulary, as bench/load/data.py writes them (names, fields, employers)."""
    rng = random.Random(seed)
    surnames = [s for s, _ in data.SURNAMES]
    given = [g for by_year in data.GIVEN_NAMES.values() for names in by_year.values() for g in names]
    rows = []
    for _ in range(count):
        field = rng.choice(FIELDS)
        _, majors = rng.choice(field.disciplines)
        rows.append({
            "name": rng.choice(surnames) + rng.choice(given),
            "research_directions": "；".join(rng.sample(field.directions, min(2, len(field.directions)))),
            "employer": f"包头{rng.choice(data.TRADE_NAMES)}{rng.choice(field.businesses).word}有限公司",
            "major": rng.choice(majors), "discipline": "材料科学与工程", "title": rng.choice(["教授", "工程师", ""]),
            "achievements": "；".join([rng.choice(field.papers), rng.choice(field.patents)]),
        })
    return rows


QUERIES = ["钕铁硼", "王建", "材料", "王", "王建国", "陈静", "陳靜", "稀土", "教授", "副教授", "包头", "磁业",
           "ndfeb", "NdFeB", "5G", "mes", "MES系统", "Li", "ming", "ＬＩ", "氢能", "内蒙古", "內蒙古", "集团",
           "（集团）", "阿依古丽", "买买提", "晶界扩散", "燃料电池", "发光材料", "学", "工程师", "有限公司",
           "钕铁硼永磁材料；晶界扩散", "Baotou Hydrogen", "co."]


def _icontains(q: str) -> set[int]:
    """What the talent list's search finds today: icontains over its search fields, or the folded name key."""
    condition = Q()
    for name in SPEC.search_fields:
        condition |= Q(**{f"{name}__icontains": q})
    if SPEC.extra_search:
        condition |= SPEC.extra_search(q)
    return set(Talent.objects.filter(condition).values_list("pk", flat=True))


def _found(q: str) -> set[int]:
    found = search.condition(Talent, q)
    assert found is not None, q
    return set(Talent.objects.filter(found).values_list("pk", flat=True))


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_app_registrations():
    """These tests register what they search; the apps' own registrations (their ready()) are put back after."""
    saved = [(r.model, r.fields) for r in search.registrations()]
    for model, _ in saved:
        search.unregister(model)
    yield
    for r in search.registrations():
        search.unregister(r.model)
    for model, fields in saved:
        search.register(model, fields=fields)


@pytest.fixture
def indexed():
    """Talents searched by the talent list's own fields, the index registered and complete."""
    search.register(Talent, fields=SPEC.search_fields)
    yield
    search.unregister(Talent)


@pytest.fixture
def register(db, indexed):
    zone = ZoneFactory()
    talents = [TalentFactory(zone=zone, **row) for row in HAND_MADE + _generated(120)]
    search.reindex(Talent)
    return talents


def _samples(talents: list[Talent], rng: random.Random) -> list[str]:
    """Pieces of the rows' own text, one to four characters long, from every searchable field."""
    out = []
    for talent in talents:
        for name in SPEC.search_fields:
            text = getattr(talent, name) or ""
            for length in (1, 2, 3, 4):
                if len(text) >= length:
                    start = rng.randrange(0, len(text) - length + 1)
                    out.append(text[start : start + length])
    return out


@pytest.mark.django_db
def test_every_talent_the_icontains_search_found_is_found_by_the_index(register):
    rng = random.Random(7)
    queries = QUERIES + rng.sample(_samples(register, rng), 300)
    missed, compared = {}, 0
    for q in queries:
        if not search.query_alternatives(q):
            continue  # punctuation or a single character: the list keeps its icontains search (test below)
        before = _icontains(q)
        compared += bool(before)
        lost = before - _found(q)
        if lost:
            missed[q] = sorted(Talent.objects.get(pk=pk).name for pk in lost)
    assert missed == {}
    assert compared > 200  # the queries found rows: the comparison was not of empty sets


@pytest.mark.django_db
def test_a_two_character_name_or_term_finds_the_same_talents_as_before(register):
    # two characters of one script are one bigram: the index finds exactly what icontains found
    for q in ["王建", "材料", "稀土", "教授", "包头", "磁业", "氢能", "5g"]:
        assert _found(q) == _icontains(q), q
    names = {t.name for t in Talent.objects.filter(pk__in=_found("王建"))}
    assert {"王建", "王建国"} <= names


@pytest.mark.django_db
def test_a_name_is_found_in_either_script_and_in_full_width(register):
    assert "陳靜" in {t.name for t in Talent.objects.filter(pk__in=_found("陈静"))}
    assert "陳靜" in {t.name for t in Talent.objects.filter(pk__in=_found("陳靜"))}
    assert "ＬＩ Ｍｉｎｇ" in {t.name for t in Talent.objects.filter(pk__in=_found("li ming"))}
    assert "阿依古丽·买买提" in {t.name for t in Talent.objects.filter(pk__in=_found("阿依古丽买买提"))}


@pytest.mark.django_db
def test_words_of_a_search_may_stand_in_any_order_and_any_field(register):
    # icontains finds nothing for "教授 钕铁硼": no column holds the two words side by side
    assert _icontains("教授 钕铁硼") == set()
    assert {t.name for t in Talent.objects.filter(pk__in=_found("教授 钕铁硼"))} >= {"王建"}
    # rjieba's words: "钕铁硼永磁" is in no column as typed, its words are
    assert "王建" in {t.name for t in Talent.objects.filter(pk__in=_found("永磁钕铁硼"))}


@pytest.mark.django_db
def test_a_search_of_punctuation_only_keeps_the_icontains_search(register):
    assert search.condition(Talent, "（）") is None
    assert search.condition(Talent, "；") is None
    assert search.condition(Talent, "") is None
    assert search.condition(Talent, "王") is None  # a surname alone: icontains, as before


@pytest.mark.django_db
def test_the_index_is_not_used_until_it_is_complete(indexed):
    TalentFactory(name="王建")
    assert search.condition(Talent, "王建") is None  # no reindex yet: a list would miss older rows
    search.reindex(Talent)
    assert search.condition(Talent, "王建") is not None


@pytest.mark.django_db
def test_a_model_not_registered_keeps_its_icontains_search():
    assert search.condition(Talent, "王建") is None
    assert search.index_objects(Talent, [1]) == 0


@pytest.mark.django_db
def test_saving_a_talent_updates_its_document_and_deleting_removes_it(register):
    talent = Talent.objects.get(name="王建")
    talent.research_directions = "氢燃料电池"
    talent.save()
    assert talent.pk in _found("氢燃料")
    assert talent.pk not in _found("晶界扩散")
    new = TalentFactory(zone=talent.zone, name="赵一", research_directions="碳化硅")
    assert new.pk in _found("碳化硅")
    new.delete()
    assert not SearchDocument.objects.filter(model="talents.talent", object_id=new.pk).exists()
    assert new.pk not in _found("碳化硅")


@pytest.mark.django_db
def test_renaming_an_institution_reindexes_the_talents_that_show_it(db):
    search.register(Talent, fields=["name", "institution__name"])
    try:
        institution = InstitutionFactory(name="内蒙古科技大学")
        talent = TalentFactory(name="刘洋", institution=institution)
        search.reindex(Talent)
        assert talent.pk in _found("科技大学")
        institution.name = "包头师范学院"
        institution.save()
        assert talent.pk in _found("师范")
        assert talent.pk not in _found("科技大学")
    finally:
        search.unregister(Talent)


def test_personal_fields_are_never_indexed():
    with pytest.raises(ImproperlyConfigured):
        search.register(Talent, fields=["name", "id_number"])
    with pytest.raises(ImproperlyConfigured):
        search.register(Talent, fields=["institution"])  # a relation, not a value
    assert search.registered(Talent) is None


@pytest.mark.django_db
def test_reindex_backfills_in_batches_and_skips_what_is_up_to_date(register):
    SearchDocument.objects.filter(model="talents.talent").delete()
    cache.clear()
    assert search.condition(Talent, "王建") is None  # the marker went with the documents
    out = StringIO()
    call_command("search_reindex", "--model", "talents.Talent", "--batch", "50", stdout=out)
    count = Talent.objects.count()
    assert f"{count} 条记录，更新索引 {count} 条" in out.getvalue()
    # a bulk update bypasses the signals; the next run rewrites that row only
    Talent.objects.filter(name="王建").update(research_directions="锂电池正极")
    out = StringIO()
    call_command("search_reindex", "--model", "talents.Talent", stdout=out)
    assert f"{count} 条记录，更新索引 1 条，删除 0 条" in out.getvalue()
    assert Talent.objects.get(name="王建").pk in _found("正极")


@pytest.mark.django_db
def test_reindex_removes_documents_whose_row_is_gone(register):
    gone = Talent.objects.get(name="材料")
    Talent.objects.filter(pk=gone.pk).delete()  # QuerySet.delete sends post_delete too; emulate a raw delete:
    SearchDocument.objects.create(model="talents.talent", object_id=10**9, tokens="孤儿", digest="x")
    _, _, removed = search.reindex(Talent)
    assert removed == 1
    assert not SearchDocument.objects.filter(model="talents.talent", object_id__in=[gone.pk, 10**9]).exists()


def test_reindex_refuses_an_unknown_or_unregistered_model():
    with pytest.raises(CommandError):
        call_command("search_reindex", "--model", "talents.Nothing")
    with pytest.raises(CommandError):
        call_command("search_reindex", "--model", "talents.Talent")


def test_query_lexemes_are_the_bigrams_of_each_term():
    assert search.query_alternatives("王建")[0] == ["王建"]
    assert search.query_alternatives("钕铁硼")[0] == ["钕铁", "铁硼"]
    assert search.query_alternatives("王建 材料")[0] == ["王建", "材料"]
    assert search.query_alternatives("陳靜")[:2] == [["陳靜"], ["陈静"]]
    assert search.query_alternatives("（）") == []
    assert search.query_alternatives("王") == []  # one character: no bigram, the list keeps icontains
    assert search.query_alternatives("王 材料") == []
    lexemes = search.document_lexemes(["钕铁硼永磁材料"])
    assert {"钕铁", "铁硼", "永磁", "材料"} <= lexemes and "钕" not in lexemes


@pytest.mark.django_db
def test_the_search_condition_costs_the_same_queries_whatever_the_rows(register, monkeypatch):
    from django.test.utils import CaptureQueriesContext

    search.is_ready(Talent)  # the ready mark is cached after its first read
    for literal in (10_000, 5):  # a short answer read first as keys, a long one left as a subquery
        monkeypatch.setattr(search, "LITERAL_IDS", literal)
        with CaptureQueriesContext(connection) as captured:
            rows = list(Talent.objects.filter(search.condition(Talent, "材料"))[:30])
        assert rows and len(captured.captured_queries) == 2


@on_sqlite
@pytest.mark.django_db
def test_the_fts5_table_stays_in_step_with_the_documents(register):
    talent = Talent.objects.get(name="王建")
    talent.research_directions = "碳纤维"
    talent.save()
    talent.delete()
    with connection.cursor() as cursor:  # raises if the FTS index disagrees with its content table
        cursor.execute("INSERT INTO core_searchdocument_fts(core_searchdocument_fts) VALUES ('integrity-check')")


@on_postgresql
@pytest.mark.django_db
def test_the_tsvector_holds_the_lexemes_verbatim(register):
    talent = Talent.objects.get(name="陳靜")
    document = SearchDocument.objects.get(model="talents.talent", object_id=talent.pk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT tsvector_to_array(vector) FROM core_searchdocument WHERE id = %s", [document.pk])
        (lexemes,) = cursor.fetchone()
    assert set(lexemes) == search.document_lexemes([getattr(talent, name) for name in SPEC.search_fields])
    assert document.tokens == ""  # moved into the vector: the row stays narrow
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'core_searchdocument_vector_gin'")
        assert "gin" in cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_bulk_import_takes_the_index_out_of_use_until_its_rows_are_indexed(register):
    zone = register[0].zone
    Talent.objects.bulk_create([Talent(zone=zone, name="孙悦", name_key="孙悦", research_directions="拓扑绝缘体")])
    search.mark_stale(Talent)  # what a bulk writer does: searches keep icontains meanwhile, nothing goes missing
    assert search.condition(Talent, "拓扑绝缘体") is None
    assert search.index_missing(Talent) == 1
    search.reindex_task.enqueue("talents.talent")  # the worker's reindex marks the index ready again
    assert {t.name for t in Talent.objects.filter(pk__in=_found("拓扑绝缘体"))} == {"孙悦"}


@pytest.mark.django_db
def test_the_nightly_job_catches_writes_that_bypassed_the_signals(register):
    Talent.objects.filter(pk=register[1].pk).update(employer="包头天和磁材")
    summary = search.reindex_job(date(2026, 12, 7))
    assert summary == {"talents.talent": [len(register), 1, 0]}
    assert register[1].pk in _found("天和磁材")


@pytest.mark.django_db
def test_a_list_searching_fields_the_index_does_not_hold_keeps_icontains(register):
    assert search.condition(Talent, "王建", fields=SPEC.search_fields) is not None
    assert search.condition(Talent, "王建", fields=["name", "remarks"]) is None
