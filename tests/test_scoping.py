"""Who sees which records: the list page, its Excel export and the API must show each role the same set."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token

from rencai.core.models import AuditEvent, User
from tests.conftest import World, verified_client

TALENTS = ("talent", "talent_b", "colleague")
ENTERPRISES = ("enterprise", "enterprise_b")


def api_client(user: User) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")


def names(world: World, keys: tuple[str, ...] | set[str]) -> set[str]:
    return {getattr(world, k).name for k in keys}


def names_on_page(world: World, client: Client, url: str, candidates: tuple[str, ...]) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    return {name for name in names(world, candidates) if name in page}


def export_rows(client: Client, url: str, **params: str) -> list[dict[str, object]]:
    response = client.get(url, params)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, row, strict=False)) for row in rows[1:]]


def names_in_export(client: Client, url: str, column: str) -> set[str]:
    return {str(row[column]) for row in export_rows(client, url)}


def names_from_api(client: Client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return {item["name"] for item in response.json()["results"]}


def talent_sets(world: World, user: User, candidates: tuple[str, ...] = TALENTS) -> tuple[set[str], ...]:
    page, api = verified_client(user), api_client(user)
    return (names_on_page(world, page, "/talents/", candidates), names_in_export(page, "/talents/export/", "姓名"),
            names_from_api(api, "/api/v1/talents/"))


def enterprise_sets(world: World, user: User) -> tuple[set[str], ...]:
    page, api = verified_client(user), api_client(user)
    return (names_on_page(world, page, "/orgs/enterprises/", ENTERPRISES),
            names_in_export(page, "/orgs/enterprises/export/", "企业名称"),
            names_from_api(api, "/api/v1/enterprises/"))


# --- office staff: their zone, or the whole city at city level ---------------------------------------------


@pytest.mark.parametrize("who", ["admin", "reviewer", "finance"])
def test_zone_staff_see_only_their_zones_talents_and_enterprises(world, who):
    user = getattr(world, who)
    for found in talent_sets(world, user):
        assert found == names(world, {"talent", "colleague"})
    for found in enterprise_sets(world, user):
        assert found == names(world, {"enterprise"})


@pytest.mark.parametrize("who", ["admin", "reviewer", "finance"])
def test_zone_staff_cannot_open_another_zones_records(world, who):
    user = getattr(world, who)
    page, api = verified_client(user), api_client(user)
    assert page.get(f"/talents/{world.talent_b.pk}/").status_code == 404
    assert page.get(f"/orgs/enterprises/{world.enterprise_b.pk}/").status_code == 404
    assert api.get(f"/api/v1/talents/{world.talent_b.pk}/").status_code == 404
    assert api.get(f"/api/v1/enterprises/{world.enterprise_b.pk}/").status_code == 404


def test_city_level_admin_sees_both_zones(world):
    for found in talent_sets(world, world.city_admin):
        assert found == names(world, TALENTS)
    for found in enterprise_sets(world, world.city_admin):
        assert found == names(world, ENTERPRISES)
    assert verified_client(world.city_admin).get(f"/talents/{world.talent_b.pk}/").status_code == 200


def test_zone_filter_cannot_reach_outside_the_staff_members_zone(world):
    page = verified_client(world.reviewer)
    assert names_on_page(world, page, f"/talents/?zone={world.zone_b.pk}", TALENTS) <= names(
        world, {"talent", "colleague"})
    assert world.talent_b.name not in names_in_export(page, f"/talents/export/?zone={world.zone_b.pk}", "姓名")


# --- enterprise users: their own enterprise only ------------------------------------------------------------


@pytest.mark.parametrize(("who", "own", "other"), [
    ("enterprise_user", "enterprise", "enterprise_b"),
    ("enterprise_b_user", "enterprise_b", "enterprise"),
])
def test_enterprise_user_sees_only_their_own_enterprise(world, who, own, other):
    user = getattr(world, who)
    for found in enterprise_sets(world, user):
        assert found == names(world, {own})
    other_pk = getattr(world, other).pk
    assert verified_client(user).get(f"/orgs/enterprises/{other_pk}/").status_code == 404
    assert api_client(user).get(f"/api/v1/enterprises/{other_pk}/").status_code == 404
    assert verified_client(user).get(f"/orgs/enterprises/{getattr(world, own).pk}/").status_code == 200


def test_enterprise_user_sees_no_talent_register(world):
    assert verified_client(world.enterprise_user).get("/talents/").status_code == 403
    assert verified_client(world.enterprise_user).get("/talents/export/").status_code == 403
    assert api_client(world.enterprise_user).get("/api/v1/talents/").status_code == 403


# --- talents and liaisons ------------------------------------------------------------------------------------


def test_talent_sees_only_their_own_record(world):
    page, api = verified_client(world.talent_user), api_client(world.talent_user)
    assert names_from_api(api, "/api/v1/talents/") == names(world, {"talent"})
    assert page.get(f"/talents/{world.talent.pk}/").status_code == 200
    assert page.get(f"/talents/{world.colleague.pk}/").status_code == 404
    assert api.get(f"/api/v1/talents/{world.colleague.pk}/").status_code == 404
    assert page.get("/talents/").status_code == 403  # the register is for the office, not for talents
    assert api.get("/api/v1/enterprises/").status_code == 403


def test_liaison_sees_only_their_institutions_people(world):
    for found in talent_sets(world, world.liaison):
        assert found == names(world, {"talent"})  # the colleague is in zone A but from another university
    page, api = verified_client(world.liaison), api_client(world.liaison)
    assert page.get(f"/talents/{world.colleague.pk}/").status_code == 404
    assert api.get(f"/api/v1/talents/{world.talent_b.pk}/").status_code == 404
    assert names_from_api(api, "/api/v1/institutions/") == {world.institution.name}
    listed = page.get("/orgs/institutions/").content.decode()
    assert world.institution.name in listed and world.talent_b.institution.name not in listed
    assert page.get(f"/orgs/institutions/{world.talent_b.institution.pk}/").status_code == 404
    assert api.get("/api/v1/enterprises/").status_code == 403


# --- exports: masked by default, in full only for an office admin with a reason ---------------------------


def masked_id(value: str) -> str:
    return f"{value[:6]}{'*' * 8}{value[-4:]}"


def _by_name(rows: list[dict[str, object]]) -> dict[object, dict[str, object]]:
    return {row["姓名"]: row for row in rows}


@pytest.mark.parametrize("who", ["admin", "city_admin", "reviewer", "finance", "liaison"])
def test_exports_are_masked_for_everyone_by_default(world, who):
    client = verified_client(getattr(world, who))
    rows = _by_name(export_rows(client, "/talents/export/"))
    row = rows[world.talent.name]
    assert row["身份证号"] == masked_id(world.talent.id_number)
    assert row["手机号"] == "138****5678"
    event = AuditEvent.objects.get(action="export", user=getattr(world, who))
    assert event.detail["unmasked"] is False and event.detail["rows"] == len(rows)


def test_office_admin_exports_in_full_with_a_reason_and_both_are_audited(world):
    client = verified_client(world.admin)
    rows = _by_name(export_rows(client, "/talents/export/", reveal="1", reveal_reason="报送自治区人才办核验"))
    assert rows[world.talent.name]["身份证号"] == world.talent.id_number
    assert rows[world.talent.name]["手机号"] == world.talent.phone
    reveal = AuditEvent.objects.get(action="reveal", user=world.admin)
    assert reveal.detail["unmasked"] is True and reveal.detail["reason"] == "报送自治区人才办核验"
    assert reveal.object_type == "talents.talent"
    assert AuditEvent.objects.filter(action="export", user=world.admin).exists()


def test_full_export_without_a_reason_stays_masked(world):
    client = verified_client(world.admin)
    rows = _by_name(export_rows(client, "/talents/export/", reveal="1", reveal_reason=""))
    assert rows[world.talent.name]["身份证号"] == masked_id(world.talent.id_number)
    assert not AuditEvent.objects.filter(action="reveal").exists()


@pytest.mark.parametrize("who", ["reviewer", "finance", "liaison"])
def test_full_export_is_not_given_to_roles_that_cannot_reveal(world, who):
    user = getattr(world, who)
    rows = _by_name(export_rows(verified_client(user), "/talents/export/", reveal="1", reveal_reason="想要完整"))
    assert rows[world.talent.name]["身份证号"] == masked_id(world.talent.id_number)
    # The audit log must not claim a reveal that did not happen.
    assert not AuditEvent.objects.filter(action="reveal", user=user).exists()
    assert AuditEvent.objects.get(action="export", user=user).detail["unmasked"] is False


def test_full_export_option_is_offered_only_to_roles_that_may_reveal(world):
    from tests.conftest import verified_client

    assert "导出完整个人信息" in verified_client(world.admin).get("/talents/").content.decode()
    assert "导出完整个人信息" not in verified_client(world.reviewer).get("/talents/").content.decode()
