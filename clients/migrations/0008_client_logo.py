"""Client logos: the stored files of the original and its three thumbnails.

On SQLite these AddFields rebuild `clients_client`, which drops its client-count
triggers; `clients.count_triggers` puts them back after the migrate.
"""

from django.db import migrations, models

FIELDS = ("logo_path", "logo_large_path", "logo_medium_path", "logo_small_path")


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0007_tags"),
    ]

    operations = [
        migrations.AddField(
            model_name="client",
            name=name,
            field=models.CharField(blank=True, default="", editable=False, max_length=255),
        )
        for name in FIELDS
    ]
