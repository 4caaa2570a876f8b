"""Set-based client writes (bulk archive, restore, delete, group, column): a fixed
number of queries whatever the number of clients."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from clients.fields import BULK_UPDATE_COLUMNS
from clients.models import Activity, Client, GroupSetting
from clients.services.activities import activities_record_bulk
from companies.models import Company
from companies.required import missing_required
from config.db import ACTIVE, NOT_ACTIVE, NOT_DELETED, SoftStateQuerySet


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


def _lock(clients_queryset: QuerySet[Client], condition: Q | None = None) -> list[int]:
    """Lock the clients of `clients_queryset` matching `condition`; their pks."""
    rows = clients_to_lock(clients_queryset, condition)
    return list(rows.values_list("pk", flat=True))


def _change_state(
    *,
    clients_queryset: QuerySet[Client],
    user: AbstractBaseUser | None,
    condition: Q,
    change: Callable[[SoftStateQuerySet[Any]], int],
    activity_type_id: int,
) -> int:
    """Lock the clients of the set that `condition` selects, apply the set-based
    `change` to them and log one activity each; returns how many changed."""
    pks = _lock(clients_queryset, condition)
    if pks:
        change(Client.objects.filter(pk__in=pks))
    return activities_record_bulk(
        client_ids=pks, user=user, activity_type_id=activity_type_id
    )


@transaction.atomic
def clients_archive(
    *, clients_queryset: QuerySet[Client], user: AbstractBaseUser | None
) -> int:
    """Archive the active clients of the set; returns how many changed."""
    return _change_state(
        clients_queryset=clients_queryset,
        user=user,
        condition=ACTIVE,
        change=SoftStateQuerySet.archive,
        activity_type_id=Activity.ARCHIVE_CLIENT,
    )


@transaction.atomic
def clients_restore(
    *, clients_queryset: QuerySet[Client], user: AbstractBaseUser | None
) -> int:
    """Make the archived and deleted clients of the set active again."""
    return _change_state(
        clients_queryset=clients_queryset,
        user=user,
        condition=NOT_ACTIVE,
        change=SoftStateQuerySet.restore,
        activity_type_id=Activity.RESTORE_CLIENT,
    )


@transaction.atomic
def clients_delete(
    *, clients_queryset: QuerySet[Client], user: AbstractBaseUser | None
) -> int:
    """Soft-delete the clients of the set that are not deleted yet."""
    return _change_state(
        clients_queryset=clients_queryset,
        user=user,
        condition=NOT_DELETED,
        change=SoftStateQuerySet.soft_delete,
        activity_type_id=Activity.DELETE_CLIENT,
    )


@transaction.atomic
def clients_assign_group(
    *,
    clients_queryset: QuerySet[Client],
    user: AbstractBaseUser | None,
    group: GroupSetting,
) -> int:
    """Put every client of the set into `group` (one of their company's)."""
    pks = _lock(clients_queryset, Q(company_id=group.company_id))
    if pks:
        Client.objects.filter(pk__in=pks).update(
            group_settings=group, updated_at=timezone.now()
        )
    return activities_record_bulk(
        client_ids=pks, user=user, activity_type_id=Activity.UPDATE_CLIENT
    )


@transaction.atomic
def clients_bulk_update(
    *,
    clients_queryset: QuerySet[Client],
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
    pks = _lock(clients_queryset)
    if pks:
        Client.objects.filter(pk__in=pks).update(
            **{column: value, "updated_at": timezone.now()}
        )
    return activities_record_bulk(
        client_ids=pks, user=user, activity_type_id=Activity.UPDATE_CLIENT
    )
