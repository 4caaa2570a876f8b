"""Client logos: the stored files of the original and its three thumbnails.

SQLite gets the columns with `ALTER TABLE ... ADD COLUMN`: Django's AddField would
rebuild `clients_client` there, which drops the triggers that keep
`clients_clientcount` (migration 0003). PostgreSQL adds them as Django does.
"""

from django.db import migrations, models

FIELDS = ("logo_path", "logo_large_path", "logo_medium_path", "logo_small_path")


def _field(name):
    field = models.CharField(blank=True, default="", editable=False, max_length=255)
    field.set_attributes_from_name(name)
    return field


def add_columns(apps, schema_editor):
    model = apps.get_model("clients", "Client")
    table = schema_editor.quote_name(model._meta.db_table)
    for name in FIELDS:
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(
                f"ALTER TABLE {table} ADD COLUMN {schema_editor.quote_name(name)} "
                "varchar(255) NOT NULL DEFAULT ''"
            )
        else:
            schema_editor.add_field(model, _field(name))


def drop_columns(apps, schema_editor):
    model = apps.get_model("clients", "Client")
    table = schema_editor.quote_name(model._meta.db_table)
    for name in FIELDS:
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(
                f"ALTER TABLE {table} DROP COLUMN {schema_editor.quote_name(name)}"
            )
        else:
            schema_editor.remove_field(model, _field(name))


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0007_tags"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="client",
                    name=name,
                    field=models.CharField(
                        blank=True, default="", editable=False, max_length=255
                    ),
                )
                for name in FIELDS
            ],
            database_operations=[migrations.RunPython(add_columns, drop_columns)],
        ),
    ]
