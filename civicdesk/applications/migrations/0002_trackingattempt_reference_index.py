"""TrackingAttempt.reference: one plain index instead of db_index=True, which on PostgreSQL also kept a
text-prefix (varchar_pattern_ops) index for LIKE 'x%' that no query reads, maintained by every audit INSERT.

On the database the existing plain index is renamed rather than rebuilt (an instant ALTER INDEX on PostgreSQL;
SQLite, which cannot rename an index, drops and creates it), and the text-prefix index is dropped: no rebuild
of a large audit table, no long lock on the table every progress query writes to.
"""

from django.db import migrations, models

NEW_NAME = "applications_attempt_ref_idx"


def _reference_indexes(schema_editor, model):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return [
        name
        for name, details in constraints.items()
        if details["index"] and details["columns"] == ["reference"] and not details["unique"] and name != NEW_NAME
    ]


def forwards(apps, schema_editor):
    model = apps.get_model("applications", "TrackingAttempt")
    indexes = _reference_indexes(schema_editor, model)
    plain = [name for name in indexes if not name.endswith("_like")]
    for name in indexes:
        if name not in plain[:1]:
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")
    new_index = models.Index(fields=["reference"], name=NEW_NAME)
    if plain:
        schema_editor.rename_index(model, models.Index(fields=["reference"], name=plain[0]), new_index)
    else:
        schema_editor.add_index(model, new_index)


def backwards(apps, schema_editor):
    model = apps.get_model("applications", "TrackingAttempt")
    schema_editor.remove_index(model, models.Index(fields=["reference"], name=NEW_NAME))
    fields = []
    for db_index in (False, True):  # back to db_index=True, which makes both indexes again
        field = models.CharField(max_length=80, db_index=db_index, verbose_name="reference typed")
        field.set_attributes_from_name("reference")
        field.model = model
        fields.append(field)
    schema_editor.alter_field(model, *fields)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="trackingattempt",
                    name="reference",
                    field=models.CharField(max_length=80, verbose_name="reference typed"),
                ),
                migrations.AddIndex(
                    model_name="trackingattempt",
                    index=models.Index(fields=["reference"], name=NEW_NAME),
                ),
            ],
            database_operations=[migrations.RunPython(forwards, backwards)],
        ),
    ]
