"""Full-text structures for the search index, one per database.

SQLite: an FTS5 table over portal_searchentry.tokens (external content) kept in step by triggers.
PostgreSQL: a generated tsvector column built from the same tokens, with a GIN index.
Tokens come from civicdesk.portal.tokenizer; neither database tokenises text itself (the FTS5
"ascii" tokenizer keeps every non-ASCII character inside a token; array_to_tsvector takes the
tokens as they are).
"""

from typing import Any

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE portal_search_fts USING fts5("
    "tokens, content='portal_searchentry', content_rowid='id', tokenize='ascii')",
    "CREATE TRIGGER portal_search_ai AFTER INSERT ON portal_searchentry BEGIN "
    "INSERT INTO portal_search_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
    "CREATE TRIGGER portal_search_ad AFTER DELETE ON portal_searchentry BEGIN "
    "INSERT INTO portal_search_fts(portal_search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); END",
    "CREATE TRIGGER portal_search_au AFTER UPDATE OF tokens ON portal_searchentry BEGIN "
    "INSERT INTO portal_search_fts(portal_search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); "
    "INSERT INTO portal_search_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS portal_search_au",
    "DROP TRIGGER IF EXISTS portal_search_ad",
    "DROP TRIGGER IF EXISTS portal_search_ai",
    "DROP TABLE IF EXISTS portal_search_fts",
]
POSTGRES_FORWARD = [
    "ALTER TABLE portal_searchentry ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (array_to_tsvector(string_to_array(tokens, ' '))) STORED",
    "CREATE INDEX portal_searchentry_vector_gin ON portal_searchentry USING GIN (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS portal_searchentry_vector_gin",
    "ALTER TABLE portal_searchentry DROP COLUMN IF EXISTS search_vector",
]


class VendorRunSQL(migrations.RunSQL):
    """RunSQL that runs only on one database vendor ("sqlite" or "postgresql")."""

    def __init__(self, vendor: str, *args: Any, **kwargs: Any) -> None:
        self.vendor = vendor
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        name, args, kwargs = super().deconstruct()
        return name, [self.vendor, *args], kwargs

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [
        VendorRunSQL("sqlite", SQLITE_FORWARD, SQLITE_BACKWARD),
        VendorRunSQL("postgresql", POSTGRES_FORWARD, POSTGRES_BACKWARD),
    ]
