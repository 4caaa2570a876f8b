"""Drop the foreign keys' own indexes that a composite index already leads with.

`clients_client.company_id` is served by `client_company_id` (company, id) and
`clients_activity.client_id` by `activity_client_recent` (client, -created_at). Only
the indexes go: an AlterField would make SQLite rebuild `clients_client`, which
drops the triggers that keep `clients_clientcount` (migration 0003).
"""

from django.db import migrations, models
import django.db.models.deletion

REDUNDANT = (("Client", "company"), ("Activity", "client"))


def _single_column_index(schema_editor, model, column):
    with schema_editor.connection.cursor() as cursor:
        constraints = schema_editor.connection.introspection.get_constraints(
            cursor, model._meta.db_table
        )
    for name, info in constraints.items():
        if (
            info["index"]
            and not info["unique"]
            and not info["primary_key"]
            and info["columns"] == [column]
        ):
            return name
    return None


def drop_indexes(apps, schema_editor):
    for model_name, field_name in REDUNDANT:
        model = apps.get_model("clients", model_name)
        column = model._meta.get_field(field_name).column
        name = _single_column_index(schema_editor, model, column)
        if name is not None:
            schema_editor.execute(schema_editor._delete_index_sql(model, name))


def create_indexes(apps, schema_editor):
    for model_name, field_name in REDUNDANT:
        model = apps.get_model("clients", model_name)
        field = model._meta.get_field(field_name)
        schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0004_client_company_id_index"),
        ("companies", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="client",
                    name="company",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="clients",
                        to="companies.company",
                    ),
                ),
                migrations.AlterField(
                    model_name="activity",
                    name="client",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="activities",
                        to="clients.client",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_indexes, create_indexes)],
        )
    ]
