"""An enterprise user reads and changes only their own enterprise's needs: by page, export and API."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from rencai.needs.models import Status
from tests.conftest import verified_client


def _export_titles(response) -> list[str]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("需求名称")
    return [r[column] for r in rows[1:]]


def test_enterprise_user_cannot_open_another_enterprises_need(world, need_a, need_b):
    client = verified_client(world.enterprise_user)
    assert client.get(f"/needs/{need_b.pk}/").status_code == 404
    assert client.get(f"/needs/{need_b.pk}/edit/").status_code == 404
    assert client.get(f"/needs/{need_a.pk}/").status_code == 200
    listing = client.get("/needs/mine/").content.decode()
    assert need_b.title not in listing


def test_enterprise_user_cannot_change_another_enterprises_need(world, need_b):
    client = verified_client(world.enterprise_user)
    assert client.post(f"/needs/{need_b.pk}/move/", {"to": "closed", "reason": "捣乱"}).status_code == 404
    assert client.post(f"/needs/{need_b.pk}/edit/", {"title": "改掉"}).status_code == 404
    need_b.refresh_from_db()
    assert need_b.status == Status.PENDING and need_b.title == "乳品发酵工艺攻关"


def test_enterprise_export_holds_only_their_own_needs(world, need_a, need_b):
    response = verified_client(world.enterprise_user).get("/needs/export/")
    assert response.status_code == 200
    assert _export_titles(response) == [need_a.title]


def test_enterprise_user_cannot_read_or_change_another_enterprises_need_by_api(world, need_a, need_b):
    api = APIClient()
    api.force_authenticate(world.enterprise_user)
    listed = api.get("/api/v1/needs/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["title"] for r in rows] == [need_a.title]
    assert api.get(f"/api/v1/needs/{need_b.pk}/").status_code == 404
    assert api.patch(f"/api/v1/needs/{need_b.pk}/", {"title": "改掉"}, format="json").status_code == 404
    created = api.post("/api/v1/needs/", {"enterprise": world.enterprise_b.pk, "title": "冒名", "description": "x"},
                       format="json")
    assert created.status_code == 400
    need_b.refresh_from_db()
    assert need_b.title == "乳品发酵工艺攻关"


def test_enterprise_user_submits_by_api_and_waits_for_review(world):
    api = APIClient()
    api.force_authenticate(world.enterprise_user)
    response = api.post("/api/v1/needs/", {"enterprise": world.enterprise.pk, "title": "接口提交的需求",
                                           "description": "氢储能材料", "kind": "技术攻关"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "pending"


def test_zone_staff_see_only_their_zones_needs(world, need_a, need_b):
    titles = _export_titles(verified_client(world.reviewer).get("/needs/export/"))
    assert titles == [need_a.title]
    assert verified_client(world.reviewer).get(f"/needs/{need_b.pk}/").status_code == 404
    city_titles = _export_titles(verified_client(world.city_admin).get("/needs/export/"))
    assert sorted(city_titles) == sorted([need_a.title, need_b.title])


@pytest.mark.parametrize("persona", ["talent", "liaison"])
def test_other_external_roles_are_refused_needs_pages(world, need_a, persona):
    client = verified_client(world.personas()[persona])
    for path in ("/needs/", f"/needs/{need_a.pk}/", "/needs/export/", "/needs/new/"):
        assert client.get(path).status_code == 403, path


def test_finance_reads_but_cannot_review(world, need_a):
    client = verified_client(world.finance)
    assert client.get("/needs/").status_code == 200
    assert client.get("/needs/queue/").status_code == 403
    assert client.post(f"/needs/{need_a.pk}/move/", {"to": "published"}).status_code == 403
