"""Search documents for list pages (rencai.core.search): one table, plus per engine the part the ORM cannot declare.

PostgreSQL: a trigger moves `tokens` into `vector` (the lexemes taken verbatim with array_to_tsvector, never
re-parsed by a text-search parser, so the server's locale cannot change them; `tokens` is left empty) and a GIN
index serves `@@`.
SQLite: an FTS5 table over `tokens`, external content on core_searchdocument, kept in step by three triggers.
A later migration that rebuilds core_searchdocument on SQLite (Django remakes the table to alter a column) must
create these triggers again.
"""

from typing import Any

import django.contrib.postgres.search
from django.db import migrations, models


class VendorSQL(migrations.RunSQL):
    """RunSQL that runs on one database engine only."""

    def __init__(self, vendor: str, sql: list[str], reverse_sql: list[str]) -> None:
        super().__init__(sql, reverse_sql)
        self.vendor = vendor

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


POSTGRESQL = [
    # An upsert (INSERT … ON CONFLICT DO UPDATE SET vector = EXCLUDED.vector, tokens = EXCLUDED.tokens) sees the
    # row this trigger already made on INSERT: its tokens are then empty and its vector is kept as it is.
    """CREATE OR REPLACE FUNCTION core_searchdocument_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.tokens <> '' THEN
            NEW.vector := array_to_tsvector(array_remove(string_to_array(NEW.tokens, ' '), ''));
            NEW.tokens := '';  -- held by the vector now: the row stays narrow, more of the table stays in memory
        END IF;
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER core_searchdocument_vector BEFORE INSERT OR UPDATE ON core_searchdocument
    FOR EACH ROW EXECUTE FUNCTION core_searchdocument_vector()""",
    "CREATE INDEX core_searchdocument_vector_gin ON core_searchdocument USING gin (vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS core_searchdocument_vector_gin",
    "DROP TRIGGER IF EXISTS core_searchdocument_vector ON core_searchdocument",
    "DROP FUNCTION IF EXISTS core_searchdocument_vector()",
]
SQLITE = [
    """CREATE VIRTUAL TABLE core_searchdocument_fts USING fts5(
        tokens, content='core_searchdocument', content_rowid='id', tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER core_searchdocument_fts_insert AFTER INSERT ON core_searchdocument BEGIN
        INSERT INTO core_searchdocument_fts(rowid, tokens) VALUES (new.id, new.tokens);
    END""",
    """CREATE TRIGGER core_searchdocument_fts_delete AFTER DELETE ON core_searchdocument BEGIN
        INSERT INTO core_searchdocument_fts(core_searchdocument_fts, rowid, tokens)
            VALUES ('delete', old.id, old.tokens);
    END""",
    """CREATE TRIGGER core_searchdocument_fts_update AFTER UPDATE ON core_searchdocument BEGIN
        INSERT INTO core_searchdocument_fts(core_searchdocument_fts, rowid, tokens)
            VALUES ('delete', old.id, old.tokens);
        INSERT INTO core_searchdocument_fts(rowid, tokens) VALUES (new.id, new.tokens);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS core_searchdocument_fts_update",
    "DROP TRIGGER IF EXISTS core_searchdocument_fts_delete",
    "DROP TRIGGER IF EXISTS core_searchdocument_fts_insert",
    "DROP TABLE IF EXISTS core_searchdocument_fts",
]


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0012_exportjob_expired_label"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("model", models.CharField(max_length=100)),
                ("object_id", models.BigIntegerField()),
                ("tokens", models.TextField(blank=True)),
                ("digest", models.CharField(max_length=32)),
                ("vector", django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("model", "object_id"), name="search_document_unique")],
            },
        ),
        VendorSQL("postgresql", POSTGRESQL, POSTGRESQL_REVERSE),
        VendorSQL("sqlite", SQLITE, SQLITE_REVERSE),
    ]
