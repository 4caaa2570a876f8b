"""The clients a bulk request names: checked and locked in one statement.

A bulk write must refuse the whole request when one id is not a client of the
company (any state), and then lock the named clients it changes. Counting the
named clients and locking the changed ones are two scans of the same ids; on
PostgreSQL one statement scans them once (a materialized CTE), counts them and
locks, by primary key, those the action changes — which, when a repeated
archive finds them archived already, is none. SQLite, which locks the database
rather than rows, reads the named clients with what picks them.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Value
from django.db.models.expressions import RawSQL

from clients.models import Client
from config.errors import INVALID_IDS
from config.lookups import ids_condition

# The CTE's name, and the condition that picks its rows for the lock.
NAMED = "bulk_named_clients"
PICKED = f'"clients_client"."id" = ANY(ARRAY(SELECT id FROM {NAMED} WHERE pick))'


@dataclass(frozen=True)
class NamedClients:
    """The clients of `company_id` named by `pks` (sorted, distinct): every one
    must exist, else the write is refused (422 keyed `ids`, nothing written);
    those `editable` selects are the ones written."""

    company_id: int
    pks: list[int]
    editable: Q

    def named(self) -> QuerySet[Client]:
        """The company's clients among `pks`, whoever may edit them."""
        # Raw, so that Django does not walk the thousands of ids as lookup values
        # (a tenth of a bulk request's time).
        among, ids = ids_condition('"clients_client"."id"', self.pks)
        return Client.objects.filter(company_id=self.company_id).filter(
            RawSQL(among, ids, output_field=BooleanField())
        )


def _refuse_unless_all_found(named: NamedClients, found: int) -> None:
    if found != len(named.pks):
        raise ValidationError({"ids": [INVALID_IDS]})


def lock_named(named: NamedClients, condition: Q | None = None) -> list[int]:
    """Refuse the write unless every named client exists; lock (`FOR UPDATE`, pk
    order) the editable ones matching `condition` and return their pks."""
    if not named.pks:
        return []
    picked = named.editable & condition if condition is not None else named.editable
    pick = ExpressionWrapper(picked, BooleanField()) if picked else Value(True)
    scanned = named.named().annotate(pick=pick).values_list("pk", "pick")
    if connection.vendor != "postgresql":
        # SQLite locks the whole database for a write, not rows: reading the
        # named clients with their pick is the check and the choice at once.
        rows = list(scanned.order_by("pk"))
        _refuse_unless_all_found(named, len(rows))
        return [pk for pk, chosen in rows if chosen]
    # The lock re-evaluates the condition: READ COMMITTED rechecks it on a row
    # another transaction changed before this one could lock it.
    locked = (
        Client.objects.filter(RawSQL(PICKED, [], output_field=BooleanField()))
        .filter(picked)
        .select_for_update()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    scanned_sql, scanned_params = scanned.query.sql_with_params()
    locked_sql, locked_params = locked.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH {NAMED} (id, pick) AS MATERIALIZED ({scanned_sql}) "
            f"SELECT (SELECT COUNT(*) FROM {NAMED}), ARRAY({locked_sql})",
            [*scanned_params, *locked_params],
        )
        found, pks = cursor.fetchone()
    _refuse_unless_all_found(named, found)
    return list(pks)
