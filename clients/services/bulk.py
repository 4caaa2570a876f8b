"""Set-based client writes (bulk archive, restore, delete, group, column): a fixed
number of queries whatever the number of clients."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

import config.lookups  # noqa: F401  (registers `__any_of`)
from clients.fields import BULK_UPDATE_COLUMNS
from clients.models import Activity, Client, GroupSetting
from clients.services.activities import activities_record_bulk
from clients.services.events import clients_event, clients_state_event
from clients.services.named import NamedClients, lock_named
from companies.models import Company
from companies.required import missing_required
from config.db import ACTIVE, NOT_ACTIVE, NOT_DELETED, SoftStateQuerySet
from webhooks.events import CLIENT_UPDATED


def clients_to_lock(
    clients_queryset: QuerySet[Client], condition: Q | None = None
) -> QuerySet[Client]:
    """The clients of the set matching `condition`, to lock (`FOR UPDATE`, pk order).

    Take the pks (`values_list`) of the result: the lock lasts until the caller's
    transaction ends.
    """
    # Filter the given queryset itself when it can be locked as it is: PostgreSQL
    # plans `pk IN (subquery)` badly until statistics exist (seconds per 1,000 ids
    # right after a bulk load). A DISTINCT queryset (admin search across contacts)
    # can't take FOR UPDATE, so it is wrapped.
    rows = clients_queryset.order_by()
    if rows.query.distinct:
        rows = Client.objects.filter(pk__in=rows.values("pk"))
    if condition is not None:
        rows = rows.filter(condition)
    return rows.select_for_update().order_by("pk")


# What a set-based write runs over: a queryset (admin, CSV import, services), or
# the clients a bulk request names, checked as they are locked.
ClientSet = QuerySet[Client] | NamedClients


def lock_clients(clients: ClientSet, condition: Q | None = None) -> list[int]:
    """Lock the clients of the set matching `condition`; their pks."""
    if isinstance(clients, NamedClients):
        return lock_named(clients, condition)
    rows = clients_to_lock(clients, condition)
    return list(rows.values_list("pk", flat=True))


def _set_columns(
    clients_queryset: ClientSet,
    user: AbstractBaseUser | None,
    values: dict[str, Any],
    condition: Q | None = None,
) -> int:
    """Lock the clients of the set that `condition` selects, set `values` on them
    in one query and log an update for each; returns how many changed."""
    pks = lock_clients(clients_queryset, condition)
    if pks:
        Client.objects.filter(pk__any_of=pks).update(
            **values, updated_at=timezone.now()
        )
    clients_event(CLIENT_UPDATED, pks)
    return activities_record_bulk(
        client_ids=pks, user=user, activity_type_id=Activity.UPDATE_CLIENT
    )


@dataclass(frozen=True)
class StateChange:
    """A bulk state action: the clients of the set it changes, the set-based
    change, and the activity each changed client logs."""

    condition: Q
    change: Callable[[SoftStateQuerySet[Any]], int]
    activity_type_id: int


# archive: the active clients; restore: the archived and deleted ones; delete
# (soft): those not deleted yet.
CLIENT_STATE_CHANGES: dict[str, StateChange] = {
    "archive": StateChange(ACTIVE, SoftStateQuerySet.archive, Activity.ARCHIVE_CLIENT),
    "restore": StateChange(
        NOT_ACTIVE, SoftStateQuerySet.restore, Activity.RESTORE_CLIENT
    ),
    "delete": StateChange(
        NOT_DELETED, SoftStateQuerySet.soft_delete, Activity.DELETE_CLIENT
    ),
}


@transaction.atomic
def clients_change_state(
    *, clients_queryset: ClientSet, user: AbstractBaseUser | None, action: str
) -> int:
    """Archive, restore or soft-delete (`action`, see `CLIENT_STATE_CHANGES`) the
    clients of the set: lock those the action changes, change them in one query
    and log one activity each; returns how many changed."""
    state_change = CLIENT_STATE_CHANGES[action]
    pks = lock_clients(clients_queryset, state_change.condition)
    if pks:
        state_change.change(Client.objects.filter(pk__any_of=pks))
    clients_state_event(action, pks)
    return activities_record_bulk(
        client_ids=pks, user=user, activity_type_id=state_change.activity_type_id
    )


@transaction.atomic
def clients_assign_group(
    *,
    clients_queryset: ClientSet,
    user: AbstractBaseUser | None,
    group: GroupSetting,
) -> int:
    """Put every client of the set into `group` (one of their company's)."""
    return _set_columns(
        clients_queryset,
        user,
        {"group_settings": group},
        Q(company_id=group.company_id),
    )


@transaction.atomic
def clients_bulk_update(
    *,
    clients_queryset: ClientSet,
    user: AbstractBaseUser | None,
    column: str,
    value: Any,
    company: Company,
) -> int:
    """Set one column (`BULK_UPDATE_COLUMNS`) to a validated value on the set of
    `company`'s clients; a field the company requires can't be emptied."""
    if column not in BULK_UPDATE_COLUMNS:
        raise ValueError(f"{column} can't be bulk updated")
    missing = missing_required(
        {column: value}, company.required_labels("client"), only_sent=True
    )
    if missing:
        raise ValidationError({"new_value": missing[column]})
    return _set_columns(clients_queryset, user, {column: value})
