"""With deploy/postgres-roles.sql applied, the app's database role cannot TRUNCATE the audit log, disable its
trigger, nor UPDATE or DELETE its rows; it still serves (reads, writes rows, appends audit entries).

Found by an outside test: the one database user the app connected as could TRUNCATE the audit log or disable
its trigger. PostgreSQL only: SQLite has no roles.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

ROLES_SQL = Path(__file__).resolve().parents[2] / "deploy" / "postgres-roles.sql"

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="roles exist on PostgreSQL only")


@pytest.fixture
def app_connection(transactional_db):  # type: ignore[no-untyped-def]
    """The roles script applied to the test database, under names unique to it; a connection as the app."""
    import psycopg

    settings = connection.settings_dict
    db_name = settings["NAME"]
    owner, app = f"{db_name}_owner"[:63], f"{db_name}_app"[:63]
    script = ROLES_SQL.read_text().replace("rencai_owner", owner).replace("rencai_app", app)
    with connection.cursor() as cursor:
        cursor.execute(script)
    params = {"host": settings["HOST"] or "127.0.0.1", "port": settings["PORT"] or 5432, "dbname": db_name}
    conn = psycopg.connect(user=app, autocommit=True, **params)
    try:
        yield conn
    finally:
        conn.close()
        with connection.cursor() as cursor:
            cursor.execute(f'REASSIGN OWNED BY "{owner}" TO CURRENT_USER; DROP OWNED BY "{owner}"; '
                           f'DROP OWNED BY "{app}"; DROP ROLE "{app}"; DROP ROLE "{owner}";')


def _refused(conn, sql: str) -> str:  # type: ignore[no-untyped-def]
    import psycopg

    with pytest.raises(psycopg.errors.InsufficientPrivilege) as refused:
        conn.execute(sql)
    return str(refused.value)


def test_the_app_role_cannot_truncate_the_audit_log(app_connection):
    assert "permission denied" in _refused(app_connection, "TRUNCATE core_auditevent")


def test_the_app_role_cannot_disable_the_audit_trigger(app_connection):
    assert "must be owner" in _refused(app_connection, "ALTER TABLE core_auditevent DISABLE TRIGGER ALL")


def test_the_app_role_cannot_update_or_delete_audit_rows(app_connection):
    _refused(app_connection, "DELETE FROM core_auditevent")
    _refused(app_connection, "UPDATE core_auditevent SET allowed = true")


def test_the_app_role_still_appends_audit_entries_and_writes_rows(app_connection):
    app_connection.execute(
        "INSERT INTO core_auditevent (at, username, role, action, object_type, object_id, object_repr, path,"
        " allowed, detail) VALUES (now(), 'app', '', 'view', '', '', '', '/', true, '{}')")
    assert app_connection.execute("SELECT count(*) FROM core_auditevent").fetchone()[0] == 1
    app_connection.execute("INSERT INTO core_city (name, code) VALUES ('包头市', 'baotou-roles')")
    app_connection.execute("DELETE FROM core_city WHERE code = 'baotou-roles'")
