"""The company's client write version, moved by the triggers that keep the count.

Every insert, update and delete of `clients_client` moves `clients_clientcount.version`
of the companies whose clients it touched, whatever wrote it (ORM, bulk, admin,
CSV, raw SQL). A filtered list's total is cached under the version it was counted
at, so a write can never leave a stale total behind.
"""

from importlib import import_module

from django.db import migrations, models

COUNT = import_module("clients.migrations.0003_client_count")

SQLITE_TRIGGERS = [
    """
    CREATE TRIGGER clients_client_count_insert AFTER INSERT ON clients_client
    BEGIN
        INSERT INTO clients_clientcount (company_id, total, version)
        VALUES (NEW.company_id, 1, 1)
        ON CONFLICT (company_id) DO UPDATE SET total = total + 1, version = version + 1;
    END
    """,
    """
    CREATE TRIGGER clients_client_count_delete AFTER DELETE ON clients_client
    BEGIN
        UPDATE clients_clientcount SET total = total - 1, version = version + 1
        WHERE company_id = OLD.company_id;
    END
    """,
    # The count follows a client to another company; the version trigger below
    # moves both companies' versions.
    next(sql for sql in COUNT.SQLITE_TRIGGERS if "clients_client_count_move" in sql),
    """
    CREATE TRIGGER clients_client_version_update AFTER UPDATE ON clients_client
    BEGIN
        UPDATE clients_clientcount SET version = version + 1
        WHERE company_id IN (OLD.company_id, NEW.company_id);
    END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS clients_client_count_insert",
    "DROP TRIGGER IF EXISTS clients_client_count_delete",
    "DROP TRIGGER IF EXISTS clients_client_count_move",
    "DROP TRIGGER IF EXISTS clients_client_version_update",
]

POSTGRES_TRIGGERS = [
    """
    CREATE OR REPLACE FUNCTION clients_client_count_added() RETURNS trigger AS $$
    BEGIN
        INSERT INTO clients_clientcount (company_id, total, version)
        SELECT company_id, COUNT(*), 1 FROM added_rows GROUP BY company_id
        ON CONFLICT (company_id)
        DO UPDATE SET total = clients_clientcount.total + EXCLUDED.total,
            version = clients_clientcount.version + 1;
        RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE OR REPLACE FUNCTION clients_client_count_removed() RETURNS trigger AS $$
    BEGIN
        UPDATE clients_clientcount AS counts
        SET total = counts.total - removed.n, version = counts.version + 1
        FROM (SELECT company_id, COUNT(*) AS n FROM removed_rows GROUP BY company_id)
            AS removed
        WHERE counts.company_id = removed.company_id;
        RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    # One UPDATE per statement (a bulk archive of 5,000 rows moves the version
    # once); a statement that changed no row touches no version.
    """
    CREATE FUNCTION clients_client_version_changed() RETURNS trigger AS $$
    BEGIN
        UPDATE clients_clientcount SET version = version + 1
        WHERE company_id IN (
            SELECT company_id FROM old_rows UNION SELECT company_id FROM new_rows
        );
        RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER clients_client_version_update AFTER UPDATE ON clients_client
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION clients_client_version_changed()
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS clients_client_version_update ON clients_client",
    "DROP FUNCTION IF EXISTS clients_client_version_changed()",
]


def _vendor(schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise RuntimeError(f"No client-count triggers for the {vendor} database.")
    return vendor


def create_triggers(apps, schema_editor):
    if _vendor(schema_editor) == "sqlite":
        statements = SQLITE_TRIGGERS
    else:
        statements = POSTGRES_TRIGGERS
    for statement in statements:
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    """SQLite: no trigger may name `clients_clientcount` while the added column
    rebuilds it (renaming the new table fails). PostgreSQL: back to migration
    0003's functions (without versions)."""
    if _vendor(schema_editor) == "sqlite":
        statements = SQLITE_DROP
    else:
        functions = COUNT.POSTGRES_TRIGGERS[:2]  # count added, count removed
        statements = POSTGRES_DROP + [
            sql.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")
            for sql in functions
        ]
    for statement in statements:
        schema_editor.execute(statement)


def drop_sqlite_triggers(apps, schema_editor):
    if _vendor(schema_editor) == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


def restore_sqlite_count_triggers(apps, schema_editor):
    """Back to migration 0003's SQLite triggers (without versions)."""
    if _vendor(schema_editor) == "sqlite":
        for statement in COUNT.SQLITE_TRIGGERS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0008_client_logo"),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_triggers, restore_sqlite_count_triggers),
        migrations.AddField(
            model_name="clientcount",
            name="version",
            field=models.BigIntegerField(db_default=0),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
