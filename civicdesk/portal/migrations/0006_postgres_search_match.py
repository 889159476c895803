"""PostgreSQL: the full-text index moves to a narrow table, portal_searchmatch.

On PostgreSQL 15 a GIN match always reads the heap row of every hit (GIN has no index-only scans,
and this 15.20 fetches every page of a bitmap heap scan even when all-visible), so counting 30,000 hits read 22,000 pages
of portal_searchentry (rows of ~1.3 kB: title, snippet, url, tokens and the tsvector).
portal_searchmatch holds one row per entry with only what a search reads: the language, the date
order, the facet columns and the tsvector (the tsvector is most of it: 22,000 pages instead of
33,000), in one partition per language, so a match visits only its language's pages (11,000).
Triggers (insert, update, delete, truncate) keep it in step with portal_searchentry; the entry's
own generated tsvector and its GIN index go. SQLite is unchanged (its FTS5 index already answers without the rows).
"""

from importlib import import_module

from django.db import migrations

# The per-vendor RunSQL of migration 0002 (its module name starts with a digit).
VendorRunSQL = import_module("civicdesk.portal.migrations.0002_search_backends").VendorRunSQL

COLUMNS = "id, language, published_on, kind, theme_code, cake_code, service_code, year, search_vector"
VALUES = (
    "{row}.id, {row}.language, {row}.published_on, {row}.kind, {row}.theme_code, {row}.cake_code, "
    "{row}.service_code, {row}.year, array_to_tsvector(string_to_array({row}.tokens, ' '))"
)

FORWARD = [
    # One partition per site language: a language's hits are then on its own pages only (rows of both
    # languages were interleaved, so a Chinese match visited most pages of the table).
    "CREATE TABLE portal_searchmatch ("
    "id bigint NOT NULL, language varchar(8) NOT NULL, published_on date NOT NULL, kind varchar(16) NOT NULL, "
    "theme_code varchar(8) NOT NULL, cake_code varchar(8) NOT NULL, service_code varchar(8) NOT NULL, "
    "year integer NOT NULL, search_vector tsvector NOT NULL, PRIMARY KEY (id, language)) "
    "PARTITION BY LIST (language)",
    "CREATE TABLE portal_searchmatch_en PARTITION OF portal_searchmatch FOR VALUES IN ('en')",
    "CREATE TABLE portal_searchmatch_other PARTITION OF portal_searchmatch DEFAULT",
    f"INSERT INTO portal_searchmatch ({COLUMNS}) SELECT {VALUES.format(row='e')} FROM portal_searchentry e",  # noqa: S608
    "CREATE INDEX portal_searchmatch_gin ON portal_searchmatch USING GIN (search_vector)",
    "CREATE INDEX portal_searchmatch_date ON portal_searchmatch (language, published_on, id)",
    "CREATE FUNCTION portal_searchmatch_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP = 'UPDATE' AND OLD.language <> NEW.language THEN "
    "DELETE FROM portal_searchmatch WHERE id = OLD.id AND language = OLD.language; END IF; "
    f"INSERT INTO portal_searchmatch ({COLUMNS}) VALUES ({VALUES.format(row='NEW')}) "
    "ON CONFLICT (id, language) DO UPDATE SET published_on = EXCLUDED.published_on, "
    "kind = EXCLUDED.kind, theme_code = EXCLUDED.theme_code, cake_code = EXCLUDED.cake_code, "
    "service_code = EXCLUDED.service_code, year = EXCLUDED.year, search_vector = EXCLUDED.search_vector; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER portal_searchmatch_sync AFTER INSERT OR UPDATE ON portal_searchentry "
    "FOR EACH ROW EXECUTE FUNCTION portal_searchmatch_sync()",
    # No foreign key: Django's flush truncates portal_searchentry without CASCADE.
    "CREATE FUNCTION portal_searchmatch_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "DELETE FROM portal_searchmatch WHERE id = OLD.id AND language = OLD.language; RETURN NULL; END $$",
    "CREATE TRIGGER portal_searchmatch_delete AFTER DELETE ON portal_searchentry "
    "FOR EACH ROW EXECUTE FUNCTION portal_searchmatch_delete()",
    "CREATE FUNCTION portal_searchmatch_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "TRUNCATE portal_searchmatch; RETURN NULL; END $$",
    "CREATE TRIGGER portal_searchmatch_truncate AFTER TRUNCATE ON portal_searchentry "
    "FOR EACH STATEMENT EXECUTE FUNCTION portal_searchmatch_truncate()",
    "DROP INDEX IF EXISTS portal_searchentry_vector_gin",
    "ALTER TABLE portal_searchentry DROP COLUMN IF EXISTS search_vector",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS portal_searchmatch_sync ON portal_searchentry",
    "DROP TRIGGER IF EXISTS portal_searchmatch_delete ON portal_searchentry",
    "DROP TRIGGER IF EXISTS portal_searchmatch_truncate ON portal_searchentry",
    "DROP FUNCTION IF EXISTS portal_searchmatch_sync()",
    "DROP FUNCTION IF EXISTS portal_searchmatch_delete()",
    "DROP FUNCTION IF EXISTS portal_searchmatch_truncate()",
    "DROP TABLE IF EXISTS portal_searchmatch",
    "ALTER TABLE portal_searchentry ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (array_to_tsvector(string_to_array(tokens, ' '))) STORED",
    "CREATE INDEX portal_searchentry_vector_gin ON portal_searchentry USING GIN (search_vector)",
]


class Migration(migrations.Migration):
    dependencies = [("portal", "0005_search_date_order")]

    operations = [VendorRunSQL("postgresql", FORWARD, BACKWARD)]
