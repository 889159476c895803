"""Search reads hits newest first from the full-text index itself, and counts facets from an index.

SQLite: the FTS5 table's rowid becomes the entry's date-order key, (julian day << 40) | id, so
`ORDER BY rowid DESC LIMIT 20` on a match gives the newest hits (published_on DESC, id DESC) without
reading or sorting the other hits; `search.ENTRY_ID_MASK` recovers the id. The triggers also
follow a change of `published_on`.

Both databases: an index holding the facet columns next to the id, so counting the facets of a
page of hits reads that index, not the entries' wide rows (their text is in `tokens`).
"""

from importlib import import_module

from django.db import migrations, models

# The per-vendor RunSQL of migration 0002 (its module name starts with a digit).
VendorRunSQL = import_module("civicdesk.portal.migrations.0002_search_backends").VendorRunSQL

ZH = "CASE WHEN {row}.language LIKE 'en%' THEN '' ELSE {row}.tokens END"
EN = "CASE WHEN {row}.language LIKE 'en%' THEN {row}.tokens ELSE '' END"
# Must match civicdesk.portal.search.ENTRY_ID_BITS (40 bits of id: ids up to 1.1 * 10**12).
KEY = "((CAST(julianday({row}.published_on) AS INTEGER) << 40) | {row}.id)"

DROP = [
    "DROP TRIGGER IF EXISTS portal_search_au",
    "DROP TRIGGER IF EXISTS portal_search_ad",
    "DROP TRIGGER IF EXISTS portal_search_ai",
    "DROP TABLE IF EXISTS portal_search_fts",
    "DROP VIEW IF EXISTS portal_search_fts_source",
]


def _fts(rowid: str) -> list[str]:
    """The view, FTS5 table and triggers with `rowid` ("id" or KEY) as the FTS5 rowid."""
    return [
        f"CREATE VIEW portal_search_fts_source AS SELECT {rowid.format(row='e')} AS fts_rowid, "
        f"{ZH.format(row='e')} AS zh, {EN.format(row='e')} AS en FROM portal_searchentry e",
        "CREATE VIRTUAL TABLE portal_search_fts USING fts5("
        "zh, en, content='portal_search_fts_source', content_rowid='fts_rowid', tokenize='ascii')",
        "CREATE TRIGGER portal_search_ai AFTER INSERT ON portal_searchentry BEGIN "
        f"INSERT INTO portal_search_fts(rowid, zh, en) "
        f"VALUES ({rowid.format(row='new')}, {ZH.format(row='new')}, {EN.format(row='new')}); END",
        "CREATE TRIGGER portal_search_ad AFTER DELETE ON portal_searchentry BEGIN "
        "INSERT INTO portal_search_fts(portal_search_fts, rowid, zh, en) "
        f"VALUES ('delete', {rowid.format(row='old')}, {ZH.format(row='old')}, {EN.format(row='old')}); END",
        "CREATE TRIGGER portal_search_au AFTER UPDATE OF tokens, language, published_on ON portal_searchentry BEGIN "
        "INSERT INTO portal_search_fts(portal_search_fts, rowid, zh, en) "
        f"VALUES ('delete', {rowid.format(row='old')}, {ZH.format(row='old')}, {EN.format(row='old')}); "
        f"INSERT INTO portal_search_fts(rowid, zh, en) "
        f"VALUES ({rowid.format(row='new')}, {ZH.format(row='new')}, {EN.format(row='new')}); END",
        "INSERT INTO portal_search_fts(portal_search_fts) VALUES ('rebuild')",
    ]


class Migration(migrations.Migration):
    dependencies = [("portal", "0004_home_page_kind")]

    operations = [
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(
                fields=["id", "kind", "theme_code", "cake_code", "service_code", "year"], name="portal_entry_facets"
            ),
        ),
        VendorRunSQL("sqlite", DROP + _fts(KEY), DROP + _fts("{row}.id")),
    ]
