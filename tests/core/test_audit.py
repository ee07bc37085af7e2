"""The audit log: append-only in the code and in the database, written for refusals, read by the office admin."""

from __future__ import annotations

import io

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token

from rencai.core.audit import audit_record
from rencai.core.models import AuditEvent
from tests.conftest import verified_client


@pytest.fixture
def entry(db) -> AuditEvent:
    return audit_record(action="reveal", object_type="talents.talent", object_id="7", object_repr="原始记录",
                        detail={"field": "id_number", "reason": "核对"})


def stored_repr(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT object_repr FROM core_auditevent WHERE id = %s", [pk])
        row = cursor.fetchone()
    return row[0] if row else ""


# --- append-only -----------------------------------------------------------------------------------------------


def test_saving_a_changed_entry_raises(entry):
    entry.object_repr = "篡改"
    with pytest.raises(PermissionError):
        entry.save()
    assert stored_repr(entry.pk) == "原始记录"


def test_queryset_update_and_bulk_update_raise(entry):
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=entry.pk).update(object_repr="篡改")
    entry.object_repr = "篡改"
    with pytest.raises(PermissionError), transaction.atomic():  # bulk_update runs in its own transaction
        AuditEvent.objects.bulk_update([entry], ["object_repr"])
    assert stored_repr(entry.pk) == "原始记录"


def test_deleting_through_the_orm_raises(entry):
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=entry.pk).delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=entry.pk).exists()


def test_raw_sql_update_is_refused_by_the_database(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET object_repr = %s WHERE id = %s", ["篡改", entry.pk])
    assert stored_repr(entry.pk) == "原始记录"


def test_raw_sql_delete_is_refused_by_postgresql(entry):
    if connection.vendor != "postgresql":
        # SQLite has no DELETE trigger: Django's test flush empties tables with DELETE there (TRUNCATE on PG).
        pytest.skip("the DELETE trigger exists on PostgreSQL only")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [entry.pk])
    assert stored_repr(entry.pk) == "原始记录"


def test_new_entries_can_still_be_added(entry):
    audit_record(action="view", object_repr="另一条")
    assert AuditEvent.objects.count() == 2


# --- refusals are logged ---------------------------------------------------------------------------------------


def test_refused_page_visit_is_logged_with_who_and_where(world):
    assert verified_client(world.reviewer).get("/audit/").status_code == 403
    event = AuditEvent.objects.get(action="denied", user=world.reviewer)
    assert event.allowed is False
    assert event.path == "/audit/" and event.role == "reviewer" and event.ip == "127.0.0.1"


def test_refused_api_read_and_write_are_logged(world):
    enterprise = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=world.enterprise_user).key}")
    assert enterprise.get("/api/v1/talents/").status_code == 403
    finance = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=world.finance).key}")
    assert finance.post("/api/v1/talents/", data={}, content_type="application/json").status_code == 403
    assert AuditEvent.objects.filter(action="denied", allowed=False, user=world.enterprise_user,
                                     path="/api/v1/talents/").exists()
    assert AuditEvent.objects.filter(action="denied", allowed=False, user=world.finance).exists()


def test_anonymous_api_refusal_is_logged(world):
    assert Client().get("/api/v1/enterprises/").status_code == 401
    event = AuditEvent.objects.get(action="denied", path="/api/v1/enterprises/")
    assert event.user is None and event.allowed is False


def test_log_in_and_log_out_are_logged(world):
    client = Client()
    client.post("/login/", {"username": "talent_a", "password": "pw-for-tests-1"})
    client.post("/logout/")
    assert list(AuditEvent.objects.filter(user=world.talent_user).order_by("pk").values_list("action", flat=True)) == [
        "login", "logout"]


# --- the audit page ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["reviewer", "finance", "enterprise_user", "talent_user", "liaison"])
def test_only_the_office_admin_reads_the_audit_log(world, who):
    client = verified_client(getattr(world, who))
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export/").status_code == 403


def test_audit_page_filters_by_action(world):
    audit_record(action="reveal", user=world.admin, object_repr="查看甲的身份证号")
    audit_record(action="export", user=world.admin, object_repr="导出乙表格")
    client = verified_client(world.admin)
    everything = client.get("/audit/").content.decode()
    assert "查看甲的身份证号" in everything and "导出乙表格" in everything
    reveals = client.get("/audit/", {"action": "reveal"}).content.decode()
    assert "查看甲的身份证号" in reveals and "导出乙表格" not in reveals


def test_audit_page_filters_refusals(world):
    audit_record(action="denied", user=world.reviewer, allowed=False, object_repr="被拒绝的尝试")
    audit_record(action="view", user=world.reviewer, object_repr="正常查看")
    page = verified_client(world.admin).get("/audit/", {"allowed": "False"}).content.decode()
    assert "被拒绝的尝试" in page and "正常查看" not in page


def test_audit_export_follows_the_filter(world):
    audit_record(action="reveal", user=world.admin, object_repr="查看甲的身份证号")
    audit_record(action="export", user=world.admin, object_repr="导出乙表格")
    response = verified_client(world.admin).get("/audit/export/", {"action": "reveal"})
    rows = list(load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0].iter_rows(values_only=True))
    objects = {row[rows[0].index("对象")] for row in rows[1:]}
    assert "查看甲的身份证号" in objects and "导出乙表格" not in objects
