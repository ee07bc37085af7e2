"""The database itself refuses to change or delete a ledger line, a transfer, a payment or its outcome."""

from django.db import migrations

TABLES = ["funds_transfer", "funds_entry", "funds_payment", "funds_paymentoutcome"]


def _sqlite(table: str) -> list[str]:
    # UPDATE only, as for the audit log: Django's test flush empties SQLite tables with DELETE
    # (PostgreSQL uses TRUNCATE, which row triggers do not see). The models refuse deletes on both.
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;",
    ]


POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION funds_ledger_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'ledger is append-only'; END; $$ LANGUAGE plpgsql;
"""


def _postgres(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_change ON {table};",
        f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION funds_ledger_append_only();",
    ]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
    for table in TABLES:
        statements = _sqlite(table) if vendor == "sqlite" else _postgres(table) if vendor == "postgresql" else []
        for sql in statements:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}")


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
