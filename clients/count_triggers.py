"""The SQLite client-count triggers survive table rebuilds.

`clients_clientcount` (the count and the write version) is kept by triggers on
`clients_client` (migrations 0003 and 0009). On SQLite, Django applies many schema
changes (an added field, a changed one) by rebuilding the table, which drops its
triggers: the count would silently stop following writes. After every `migrate`,
the missing triggers are created again, the counts recomputed and every version
moved on (a total cached while the triggers were missing may be wrong).
PostgreSQL alters tables in place and keeps them.
"""

from importlib import import_module
from typing import Any

from django.db import connections

COUNT_TRIGGERS = (
    "clients_client_count_insert",
    "clients_client_count_delete",
    "clients_client_count_move",
)
VERSION_TRIGGER = "clients_client_version_update"
TRIGGER_NAMES = (*COUNT_TRIGGERS, VERSION_TRIGGER)


def count_triggers_restore(using: str = "default", **kwargs: Any) -> None:
    """Recreate the SQLite count triggers a table rebuild dropped (post_migrate)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    tables = connection.introspection.table_names()
    if "clients_client" not in tables or "clients_clientcount" not in tables:
        return  # migrated back before the count existed
    with connection.cursor() as cursor:
        columns = {
            column.name
            for column in connection.introspection.get_table_description(
                cursor, "clients_clientcount"
            )
        }
        versioned = "version" in columns
        # The migrations' own statements, so there is one definition of them.
        migration = import_module(
            "clients.migrations.0009_client_write_version"
            if versioned
            else "clients.migrations.0003_client_count"
        )
        names = TRIGGER_NAMES if versioned else COUNT_TRIGGERS
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' "
            "AND tbl_name = 'clients_client'"
        )
        present = {row[0] for row in cursor.fetchall()}
        if present.issuperset(names):
            return
        for name in names:
            if name not in present:
                cursor.execute(
                    next(sql for sql in migration.SQLITE_TRIGGERS if name in sql)
                )
        if not versioned:
            cursor.execute("DELETE FROM clients_clientcount")
            cursor.execute(
                "INSERT INTO clients_clientcount (company_id, total) "
                "SELECT company_id, COUNT(*) FROM clients_client GROUP BY company_id"
            )
            return
        # Versions only ever grow: a total cached under an old one stays unread.
        cursor.execute(
            "INSERT INTO clients_clientcount (company_id, total, version) "
            "SELECT company_id, COUNT(*), 1 FROM clients_client WHERE true "
            "GROUP BY company_id ON CONFLICT (company_id) DO UPDATE SET "
            "total = excluded.total, version = clients_clientcount.version + 1"
        )
        cursor.execute(
            "UPDATE clients_clientcount SET total = 0, version = version + 1 "
            "WHERE company_id NOT IN (SELECT company_id FROM clients_client)"
        )
