# On PostgreSQL each register's unique (branch_code, sequence) index also carries the columns a chain check reads
# (content, recorded_at, actor), so a full verification is an index-only scan of about half the heap's pages
# instead of reading every heap row: docs/adr/0015-register-chain-covering-index.md. Django's UniqueConstraint
# cannot say so for PostgreSQL alone (with `include`, SQLite would get no constraint at all), so the index is
# swapped here; the model state keeps the plain constraint, under the same name. SQLite is left as it is: it reads
# a block's entries as one rowid range.
#
# A later migration that drops or re-adds one of the included columns drops this constraint with it (PostgreSQL
# drops the indexes that include a dropped column): it must re-create it.

from django.db import migrations

TABLES = {"cases_receiptentry": "receipt_sequence_unique", "cases_assignmententry": "assignment_sequence_unique"}
COVERED = "INCLUDE (content, recorded_at, actor)"


def _swap(schema_editor, include):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name in TABLES.items():
        # One statement: the table is never without its unique constraint.
        schema_editor.execute(
            f"ALTER TABLE {table} DROP CONSTRAINT {name}, "
            f"ADD CONSTRAINT {name} UNIQUE (branch_code, sequence) {include}"
        )


def cover(apps, schema_editor):
    _swap(schema_editor, COVERED)


def uncover(apps, schema_editor):
    _swap(schema_editor, "")


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0005_register_entry_shape"),
    ]

    operations = [migrations.RunPython(cover, uncover, elidable=False)]
