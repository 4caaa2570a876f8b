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

A list whose last total was most of the company's clients (`status=active`,
`balance>100`) is counted the other way round the next time: the company's kept
total less the clients it leaves out, a handful an index finds at once. That is
exact only where no row can be in neither set, so only for conditions on client
columns that are never NULL (`outside_of`).

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
from django.db.models.expressions import Col
from django.db.models.lookups import Lookup
from django.db.models.sql.where import AND, WhereNode

from clients.models import Client, ClientCount
from config.prepared import KeysQuery

WRITE_VERSION = "write_version"
# The list's SQL is hashed; the version and the hash make the key.
KEY_PREFIX = "clients:filtered-total"
# Beside each list's totals: whether its last total was most of the company's.
MOSTLY = "mostly"
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
    """Count `listed` and read the company's version in one statement (one
    snapshot), and keep the total under that version once the transaction commits.

    A list whose last total was most of the company's clients is counted from
    the other side: the company's kept total less the clients outside the list
    (`outside_of`), which an index on the filtered column finds at once where
    counting the list reads nearly every row (at a million clients, 1 ms
    against 190 ms for `balance>100`).
    """
    outside = outside_of(listed, company_id) if cache.get(f"{key}:{MOSTLY}") else None
    counted = (listed.order_by() if outside is None else outside).values("pk")
    sql, params = counted.query.get_compiler(using=counted.db).as_sql()
    counts = ClientCount._meta.db_table
    with connections[counted.db].cursor() as cursor:
        cursor.execute(
            f"SELECT version, total, (SELECT COUNT(*) FROM ({sql}) AS counted) "
            f"FROM {counts} WHERE company_id = %s",
            [*params, company_id],
        )
        row = cursor.fetchone()
    if row is None:  # no clients were ever counted for the company: nothing to keep
        return listed.order_by().count()
    version, company_total, found = (int(value) for value in row)
    total = found if outside is None else company_total - found
    entries = {f"{key}:{version}": total, f"{key}:{MOSTLY}": total * 2 > company_total}
    transaction.on_commit(
        lambda: cache.set_many(entries, TIMEOUT_SECONDS), using=counted.db
    )
    return total


def outside_of(listed: QuerySet[Client], company_id: int) -> QuerySet[Client] | None:
    """The company's clients that `listed` leaves out, when that set is exact:
    `listed` is the company's clients AND conditions on client columns that are
    never NULL (`NOT` of an unknown is unknown, and such a row would be in
    neither set). None otherwise."""
    where = listed.query.where
    if where.connector != AND or where.negated:
        return None
    company = [node for node in where.children if _is_company(node, company_id)]
    rest = [node for node in where.children if not _is_company(node, company_id)]
    if len(company) != 1 or not rest or not all(map(_never_unknown, rest)):
        return None
    outside: QuerySet[Client] = Client.objects.order_by()
    outside.query.where = WhereNode(
        [company[0], WhereNode(rest, AND, negated=True)], AND
    )
    return outside


def _is_company(node: Any, company_id: int) -> bool:
    return (
        isinstance(node, Lookup)
        and node.lookup_name == "exact"
        and isinstance(node.lhs, Col)
        and node.lhs.target.attname == "company_id"
        and node.rhs == company_id
    )


def _never_unknown(node: Any) -> bool:
    """Whether the condition is TRUE or FALSE on every row, never NULL: plain
    lookups of NOT NULL columns against values (`IS NULL` of any column), and
    AND/OR/NOT of such."""
    if isinstance(node, WhereNode):
        return bool(node.children) and all(map(_never_unknown, node.children))
    if not isinstance(node, Lookup) or not isinstance(node.lhs, Col):
        return False
    if node.lhs.alias != Client._meta.db_table:  # a joined table's column
        return False
    if node.lookup_name == "isnull":
        return True
    values = node.rhs if isinstance(node.rhs, list | tuple | set) else [node.rhs]
    return not node.lhs.target.null and all(
        value is not None and not hasattr(value, "resolve_expression")
        for value in values
    )


@memoized
def _model_tables() -> frozenset[str]:
    return frozenset(model._meta.db_table for model in apps.get_models())
