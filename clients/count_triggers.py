"""The SQLite client-count triggers survive table rebuilds.

`clients_clientcount` is kept by triggers on `clients_client` (migration 0003). On
SQLite, Django applies many schema changes (an added field, a changed one) by
rebuilding the table, which drops its triggers: the count would silently stop
following writes. After every `migrate`, the missing triggers are created again
and the counts recomputed. PostgreSQL alters tables in place and keeps them.
"""

from importlib import import_module
from typing import Any

from django.db import connections

TRIGGER_NAMES = (
    "clients_client_count_insert",
    "clients_client_count_delete",
    "clients_client_count_move",
)


def count_triggers_restore(using: str = "default", **kwargs: Any) -> None:
    """Recreate the SQLite count triggers a table rebuild dropped (post_migrate)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    tables = connection.introspection.table_names()
    if "clients_client" not in tables or "clients_clientcount" not in tables:
        return  # migrated back before the count existed
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' "
            "AND tbl_name = 'clients_client'"
        )
        present = {row[0] for row in cursor.fetchall()}
        if present.issuperset(TRIGGER_NAMES):
            return
        # The migration's own statements, so there is one definition of them.
        migration = import_module("clients.migrations.0003_client_count")
        for name in TRIGGER_NAMES:
            if name not in present:
                cursor.execute(
                    next(sql for sql in migration.SQLITE_TRIGGERS if name in sql)
                )
        cursor.execute("DELETE FROM clients_clientcount")
        cursor.execute(
            "INSERT INTO clients_clientcount (company_id, total) "
            "SELECT company_id, COUNT(*) FROM clients_client GROUP BY company_id"
        )
