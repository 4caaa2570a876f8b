"""The exact totals of filtered client lists, counted once per company write version.

A filtered list's `total` is exact, and counting it costs a scan of every matching
row: at a million clients, most of a request. The company's client write version
(`ClientCount.version`) moves on every insert, update and delete of its clients,
by the database triggers that keep the count — whatever wrote them: the API, bulk
actions, the admin, the CSV import, merge, purge or raw SQL. A total is cached
under the list's SQL and the version it was counted at, so a write can never leave
a stale total readable: the next page reads the new version (in its own query)
and counts again.

Only lists whose SQL reads `clients_client` alone are cached: a filter on
contacts or tags (`filter`, `email`, `tags`) depends on writes the version does not
follow, and is counted every time.

A total counted inside a transaction is cached only once it commits: a rolled-back
write leaves the version where it was, and a total counted from its rows would
otherwise be read under it.
"""

import hashlib
import re
from collections.abc import Sequence
from functools import cache as memoized
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import QuerySet, Subquery

from clients.models import Client, ClientCount
from config.prepared import KeysQuery

WRITE_VERSION = "write_version"
# The list's SQL is hashed; the version and the hash make the key.
KEY_PREFIX = "clients:filtered-total"
# A version is never reused, so an entry is only ever replaced by a newer one;
# the timeout just lets the old versions' entries go.
TIMEOUT_SECONDS = 24 * 3600
_QUOTED = re.compile(r'"(\w+)"')


def write_version(company_id: int) -> Subquery:
    """The company's client write version, as a column of another query."""
    versions = ClientCount.objects.filter(company_id=company_id).values("version")
    return Subquery(versions[:1])


def total_key(listed: QuerySet[Client]) -> str | None:
    """The cache key of `listed`'s total, but for the version; None when the list
    reads other tables than clients (its total can't be cached)."""
    counted = listed.order_by().values("pk")
    try:
        sql, params = counted.query.get_compiler(using=counted.db).as_sql()
    except EmptyResultSet:  # a filter no row can match (`group = ""`): nothing to keep
        return None
    return _key(sql, params)


def key_of(keys: KeysQuery) -> str | None:
    """`total_key` of a list already compiled as its keys (its order is part of
    the key: each sort of one filter keeps its own total)."""
    return _key(keys.rest, keys.params)


def _key(sql: str, params: Sequence[Any]) -> str | None:
    tables = set(_QUOTED.findall(sql)) & _model_tables()
    if tables != {Client._meta.db_table}:
        return None
    digest = hashlib.sha256(repr((sql, tuple(params))).encode()).hexdigest()
    return f"{KEY_PREFIX}:{digest}"


def cached_total(key: str, version: int) -> int | None:
    """The total counted at `version`, if one was."""
    total = cache.get(f"{key}:{version}")
    return int(total) if total is not None else None


def count_and_keep(listed: QuerySet[Client], key: str, company_id: int) -> int:
    """Count `listed` and the company's version in one statement (one snapshot),
    and keep the total under that version once the transaction commits."""
    counted = listed.order_by().values("pk")
    sql, params = counted.query.get_compiler(using=counted.db).as_sql()
    versions = ClientCount._meta.db_table
    with connections[counted.db].cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT version FROM {versions} WHERE company_id = %s), "
            f"(SELECT COUNT(*) FROM ({sql}) AS listed)",
            [company_id, *params],
        )
        version, total = cursor.fetchone()
    if version is not None:
        entry = f"{key}:{version}"
        transaction.on_commit(
            lambda: cache.set(entry, int(total), TIMEOUT_SECONDS), using=counted.db
        )
    return int(total)


@memoized
def _model_tables() -> frozenset[str]:
    return frozenset(model._meta.db_table for model in apps.get_models())
