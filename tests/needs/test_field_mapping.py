"""A need's free-text 所属领域 is mapped to a 一级学科 (catalog names, then the thesaurus) when it is created,
imported or edited; staff see and correct the mapping; the catalog never lists a "—" line for a mappable field
and shows the needs it cannot map under 未归类 with a link to fix them (issue 11)."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from rencai.core.models import AuditEvent
from rencai.matching.models import ThesaurusTerm
from rencai.needs.catalog import Scope, draft
from rencai.needs.models import Need
from tests.conftest import verified_client
from tests.needs.conftest import make_need
from tests.needs.test_import import HEADER, _csv

MAGNETS = "稀土永磁材料"


def test_a_free_text_field_is_mapped_through_the_thesaurus_when_a_need_is_created(world):
    need = make_need(world.enterprise, world.admin, field_text=MAGNETS, discipline_code="", headcount=2)
    need.refresh_from_db()
    assert need.discipline_code == "0805"  # 稀土永磁 → 材料科学与工程
    assert need.discipline_source == Need.DisciplineSource.THESAURUS


def test_an_office_thesaurus_word_maps_a_local_wording(world):
    ThesaurusTerm.objects.create(concept="稀土永磁", synonyms="XQ磁钢")
    need = make_need(world.enterprise, world.admin, field_text="XQ磁钢", discipline_code="")
    assert Need.objects.get(pk=need.pk).discipline_code == "0805"


def test_an_imported_need_gets_its_discipline_from_the_field(world, tmp_path):
    row = [1, "包头磁材有限公司", "", "人才引进", "磁材研发博士", "烧结磁体研发", MAGNETS, "博士", "2", "一般", "", "",
           "", "", ""]
    path = _csv(tmp_path / "needs.csv", [row])
    call_command("import", "needs", str(path), "--format", "json", "--zone", "xitu", stdout=StringIO())
    need = Need.objects.get(title="磁材研发博士")
    assert (need.field_text, need.discipline_code) == (MAGNETS, "0805")
    assert len(HEADER) == len(row)


def test_editing_the_field_maps_it_again_and_the_page_shows_the_mapping(world):
    need = make_need(world.enterprise, world.admin, field_text="乳品发酵", discipline_code="")
    assert need.discipline_source != Need.DisciplineSource.STAFF
    client = verified_client(world.admin)
    page = client.get(f"/needs/{need.pk}/edit/")
    form = page.context["form"]
    data = {name: ("" if form[name].value() is None else form[name].value()) for name in form.fields}
    data["field_text"] = MAGNETS
    # the select left as it was: 所属领域 changed, so it is mapped again
    response = client.post(f"/needs/{need.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    need.refresh_from_db()
    assert need.discipline_code == "0805"
    detail = client.get(f"/needs/{need.pk}/").content.decode()
    assert "材料科学与工程" in detail and "领域词表" in detail


def test_staff_correct_the_mapping_with_an_audit_row_and_it_sticks(world):
    need = make_need(world.enterprise, world.admin, field_text=MAGNETS, discipline_code="")
    client = verified_client(world.reviewer)
    response = client.post(f"/needs/{need.pk}/discipline/", {"discipline_code": "0806"})
    assert response.status_code == 302
    need.refresh_from_db()
    assert (need.discipline_code, need.discipline_source) == ("0806", Need.DisciplineSource.STAFF)
    assert AuditEvent.objects.filter(object_type="needs.need", object_id=str(need.pk), action="update",
                                     user=world.reviewer).exists()
    assert verified_client(world.enterprise_user).post(f"/needs/{need.pk}/discipline/",
                                                       {"discipline_code": "0805"}).status_code == 403
    need.refresh_from_db()
    assert need.discipline_code == "0806"


def test_the_catalog_has_no_dash_line_for_a_mappable_field_and_lists_the_unmappable_as_unclassified(world):
    mapped = make_need(world.enterprise, world.admin, title="磁材博士", field_text=MAGNETS, discipline_code="",
                       level="博士", headcount=2)
    odd = make_need(world.enterprise, world.admin, title="说不清的需求", field_text="综合服务", discipline_code="",
                    level="博士", headcount=1)
    lines = draft(Scope.of(world.admin), 2026)
    assert all(line.discipline_code for line in lines)
    assert any(mapped.pk in line.need_ids for line in lines)
    page = verified_client(world.admin).get("/needs/catalog/").content.decode()
    assert "未归类" in page and "说不清的需求" in page and f"/needs/{odd.pk}/" in page
    assert 'data-key="-|' not in page  # no line without a discipline


def test_the_api_maps_a_changed_field_and_keeps_a_given_discipline(world):
    import json

    from django.test import Client
    from rest_framework.authtoken.models import Token

    need = make_need(world.enterprise, world.admin, field_text="乳品发酵", discipline_code="")
    api = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=world.admin)[0].key}")
    response = api.patch(f"/api/v1/needs/{need.pk}/", json.dumps({"field_text": MAGNETS}),
                         content_type="application/json")
    assert response.status_code == 200, response.content.decode()
    assert (response.json()["discipline_code"], Need.objects.get(pk=need.pk).discipline_code) == ("0805", "0805")
    api.patch(f"/api/v1/needs/{need.pk}/", json.dumps({"discipline_code": "0806"}), content_type="application/json")
    api.patch(f"/api/v1/needs/{need.pk}/", json.dumps({"field_text": "乳品发酵"}), content_type="application/json")
    need.refresh_from_db()
    assert (need.discipline_code, need.discipline_source) == ("0806", Need.DisciplineSource.STAFF)
