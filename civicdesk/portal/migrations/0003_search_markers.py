"""Search markers (filters, title) in every index entry's tokens, the date index, and on SQLite an
FTS5 table with one column per language.

Existing entries get their markers from their own columns. On SQLite the FTS5 table is rebuilt with
columns `zh` and `en` (an entry's tokens go into its language's column), read through a view over
portal_searchentry, so a search limited to a language reads only its tokens' lists. PostgreSQL keeps
its generated tsvector and filters on `language`.
"""

from importlib import import_module
from typing import Any

from django.db import migrations, models

# The per-vendor RunSQL of migration 0002 (its module name starts with a digit).
VendorRunSQL = import_module("civicdesk.portal.migrations.0002_search_backends").VendorRunSQL

ZH = "CASE WHEN {row}.language LIKE 'en%' THEN '' ELSE {row}.tokens END"
EN = "CASE WHEN {row}.language LIKE 'en%' THEN {row}.tokens ELSE '' END"
SQLITE_FORWARD = [
    "DROP TRIGGER IF EXISTS portal_search_au",
    "DROP TRIGGER IF EXISTS portal_search_ad",
    "DROP TRIGGER IF EXISTS portal_search_ai",
    "DROP TABLE IF EXISTS portal_search_fts",
    "CREATE VIEW portal_search_fts_source AS SELECT id, "
    f"{ZH.format(row='e')} AS zh, {EN.format(row='e')} AS en FROM portal_searchentry e",
    "CREATE VIRTUAL TABLE portal_search_fts USING fts5("
    "zh, en, content='portal_search_fts_source', content_rowid='id', tokenize='ascii')",
    "CREATE TRIGGER portal_search_ai AFTER INSERT ON portal_searchentry BEGIN "
    f"INSERT INTO portal_search_fts(rowid, zh, en) VALUES (new.id, {ZH.format(row='new')}, {EN.format(row='new')}); END",
    "CREATE TRIGGER portal_search_ad AFTER DELETE ON portal_searchentry BEGIN "
    "INSERT INTO portal_search_fts(portal_search_fts, rowid, zh, en) "
    f"VALUES ('delete', old.id, {ZH.format(row='old')}, {EN.format(row='old')}); END",
    "CREATE TRIGGER portal_search_au AFTER UPDATE OF tokens, language ON portal_searchentry BEGIN "
    "INSERT INTO portal_search_fts(portal_search_fts, rowid, zh, en) "
    f"VALUES ('delete', old.id, {ZH.format(row='old')}, {EN.format(row='old')}); "
    f"INSERT INTO portal_search_fts(rowid, zh, en) VALUES (new.id, {ZH.format(row='new')}, {EN.format(row='new')}); END",
    "INSERT INTO portal_search_fts(portal_search_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS portal_search_au",
    "DROP TRIGGER IF EXISTS portal_search_ad",
    "DROP TRIGGER IF EXISTS portal_search_ai",
    "DROP TABLE IF EXISTS portal_search_fts",
    "DROP VIEW IF EXISTS portal_search_fts_source",
    "CREATE VIRTUAL TABLE portal_search_fts USING fts5("
    "tokens, content='portal_searchentry', content_rowid='id', tokenize='ascii')",
    "CREATE TRIGGER portal_search_ai AFTER INSERT ON portal_searchentry BEGIN "
    "INSERT INTO portal_search_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
    "CREATE TRIGGER portal_search_ad AFTER DELETE ON portal_searchentry BEGIN "
    "INSERT INTO portal_search_fts(portal_search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); END",
    "CREATE TRIGGER portal_search_au AFTER UPDATE OF tokens ON portal_searchentry BEGIN "
    "INSERT INTO portal_search_fts(portal_search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); "
    "INSERT INTO portal_search_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
    "INSERT INTO portal_search_fts(portal_search_fts) VALUES ('rebuild')",
]


def add_markers(apps: Any, schema_editor: Any) -> None:
    from civicdesk.portal.search import entry_tokens

    SearchEntry = apps.get_model("portal", "SearchEntry")
    for entry in SearchEntry.objects.all().iterator():
        markers = entry_tokens(
            title=entry.title,
            text="",
            language=entry.language,
            kind=entry.kind,
            codes=(entry.theme_code, entry.cake_code, entry.service_code),
            year=entry.year,
        ).split(" ")
        text_tokens = [token for token in entry.tokens.split(" ") if token and not token.startswith("·")]
        own = set(text_tokens)
        entry.tokens = " ".join([*text_tokens, *(m for m in markers if m.startswith("·") and m not in own)])
        entry.save(update_fields=["tokens"])


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_search_backends")]

    operations = [
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(fields=["language", "published_on", "id"], name="portal_entry_language_date"),
        ),
        migrations.RunPython(add_markers, migrations.RunPython.noop),
        VendorRunSQL("sqlite", SQLITE_FORWARD, SQLITE_BACKWARD),
    ]
