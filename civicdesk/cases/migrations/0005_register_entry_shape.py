# Register entries keep their hash as 32 raw bytes and no longer store the link to the entry before (it is that
# entry's hash): docs/adr/0013-register-entry-shape.md. Existing hashes are converted, not recomputed, so every
# chain verifies as before; reversing restores the hex text and each entry's link from the row before it.

from django.db import migrations, models

from civicdesk.audit.ledger import GENESIS_HASH

TABLES = ("cases_receiptentry", "cases_assignmententry")


def _sqlite_unhex(schema_editor):
    # SQLite 3.41 has unhex(); older ones (3.40 here) do not.
    schema_editor.connection.ensure_connection()
    schema_editor.connection.connection.create_function("civicdesk_unhex", 1, bytes.fromhex, deterministic=True)
    return "civicdesk_unhex"


def to_binary(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    unhex = "decode(entry_hash, 'hex')" if postgres else f"{_sqlite_unhex(schema_editor)}(entry_hash)"
    for table in TABLES:
        schema_editor.execute(f"UPDATE {table} SET entry_digest = {unhex}")  # noqa: S608 -- constant names


def to_hex(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    as_hex = "encode(entry_digest, 'hex')" if postgres else "lower(hex(entry_digest))"
    for table in TABLES:
        schema_editor.execute(f"UPDATE {table} SET entry_hash = {as_hex}")  # noqa: S608
        # The link of each entry is the hash of the entry before it (the genesis hash before the first); an entry
        # after a gap (a deleted entry) gets an empty link, which verification reports.
        schema_editor.execute(
            f"UPDATE {table} SET previous_hash = CASE WHEN sequence = 1 THEN %s ELSE COALESCE("  # noqa: S608
            f"(SELECT p.entry_hash FROM {table} p WHERE p.branch_code = {table}.branch_code "
            f"AND p.sequence = {table}.sequence - 1), '') END",
            [GENESIS_HASH],
        )


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0004_register_content'),
    ]

    operations = [
        # State only: the hex columns get a default so that, reversed, re-adding them to filled tables works.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name=model,
                    name=name,
                    field=models.CharField(max_length=64, default=''),
                )
                for model in ('receiptentry', 'assignmententry')
                for name in ('previous_hash', 'entry_hash')
            ],
        ),
        migrations.AddField(
            model_name='assignmententry',
            name='entry_digest',
            field=models.BinaryField(max_length=32, null=True),
        ),
        migrations.AddField(
            model_name='receiptentry',
            name='entry_digest',
            field=models.BinaryField(max_length=32, null=True),
        ),
        migrations.RunPython(to_binary, to_hex, elidable=False),
        migrations.RemoveField(
            model_name='assignmententry',
            name='previous_hash',
        ),
        migrations.RemoveField(
            model_name='receiptentry',
            name='previous_hash',
        ),
        migrations.RemoveField(
            model_name='assignmententry',
            name='entry_hash',
        ),
        migrations.RemoveField(
            model_name='receiptentry',
            name='entry_hash',
        ),
        migrations.RenameField(
            model_name='assignmententry',
            old_name='entry_digest',
            new_name='entry_hash',
        ),
        migrations.RenameField(
            model_name='receiptentry',
            old_name='entry_digest',
            new_name='entry_hash',
        ),
        migrations.AlterField(
            model_name='assignmententry',
            name='entry_hash',
            field=models.BinaryField(max_length=32),
        ),
        migrations.AlterField(
            model_name='receiptentry',
            name='entry_hash',
            field=models.BinaryField(max_length=32),
        ),
    ]
