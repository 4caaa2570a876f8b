"""Client and group writes: the only code that changes them (API.md §6, §7, §10).

Services take data already checked by the input serializers
(`ClientInputSerializer`, `BulkActionSerializer`, `GroupSettingInputSerializer`),
run in one transaction, and write an activity for every client change.
"""

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from clients.models import Activity, Client, GroupSetting
from clients.numbering import client_number_take
from clients.serializers import (
    BULK_UPDATE_COLUMNS,
    ID_NUMBER_TAKEN,
    NUMBER_TAKEN,
    as_country,
)
from clients.settings_rules import new_client_settings, settings_merge
from companies.models import Company
from config.api.errors import ApiError
from config.db import SoftStateQuerySet
from contacts.services import contacts_sync

DELETED_CLIENT_MESSAGE = (
    "Record is deleted and cannot be edited. Restore the record to enable editing"
)

# Model fields a client write may set (validated data keys).
CLIENT_FIELDS = frozenset(
    {
        "name",
        "website",
        "private_notes",
        "public_notes",
        "industry_id",
        "size_id",
        "address1",
        "address2",
        "city",
        "state",
        "postal_code",
        "country_id",
        "phone",
        "custom_value1",
        "custom_value2",
        "custom_value3",
        "custom_value4",
        "shipping_address1",
        "shipping_address2",
        "shipping_city",
        "shipping_state",
        "shipping_postal_code",
        "shipping_country_id",
        "vat_number",
        "id_number",
        "number",
        "routing_id",
        "classification",
        "is_tax_exempt",
        "has_valid_vat_number",
        "group_settings",
        "assigned_user",
    }
)

ACTIVITY_NOTES = {
    Activity.CREATE_CLIENT: "Client created",
    Activity.UPDATE_CLIENT: "Client updated",
    Activity.ARCHIVE_CLIENT: "Client archived",
    Activity.RESTORE_CLIENT: "Client restored",
    Activity.DELETE_CLIENT: "Client deleted",
}

# ---------------------------------------------------------------------------
# Activities


def _user_id(user: AbstractBaseUser | None) -> int | None:
    return user.pk if user is not None and user.pk is not None else None


def activity_record(
    *,
    client: Client,
    user: AbstractBaseUser | None,
    activity_type_id: int,
    notes: str | None = None,
) -> Activity:
    """Write one line of a client's activity log."""
    activity: Activity = Activity.objects.create(
        company_id=client.company_id,
        client=client,
        user_id=_user_id(user),
        activity_type_id=activity_type_id,
        notes=ACTIVITY_NOTES.get(activity_type_id, "") if notes is None else notes,
    )
    return activity


# Client ids per INSERT … SELECT: the bulk maximum, well under SQLite's 32,766
# bind parameters.
ACTIVITY_INSERT_BATCH = 5000


def activities_record_bulk(
    *,
    client_ids: list[int],
    user: AbstractBaseUser | None,
    activity_type_id: int,
    notes: str | None = None,
) -> int:
    """One activity per client of `client_ids` (its company from the client row).

    The database writes them from the client rows in one INSERT … SELECT per 5,000
    clients: `bulk_create` sent seven parameters a row (35,000 for a 5,000-id bulk
    action) and built a model instance for each, most of a large archive's time.
    """
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    text = ACTIVITY_NOTES.get(activity_type_id, "") if notes is None else notes
    quote = connection.ops.quote_name
    columns = [
        "company_id",
        "user_id",
        "client_id",
        "activity_type_id",
        "notes",
        "created_at",
        "updated_at",
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(client_ids), ACTIVITY_INSERT_BATCH):
            batch = client_ids[start : start + ACTIVITY_INSERT_BATCH]
            cursor.execute(
                f"INSERT INTO {quote(Activity._meta.db_table)} "
                f"({', '.join(quote(column) for column in columns)}) "
                f"SELECT {quote('company_id')}, %s, {quote('id')}, %s, %s, %s, %s "
                f"FROM {quote(Client._meta.db_table)} "
                f"WHERE {quote('id')} IN ({', '.join(['%s'] * len(batch))}) "
                f"ORDER BY {quote('id')}",
                [_user_id(user), activity_type_id, text, now, now, *batch],
            )
    return len(client_ids)


# ---------------------------------------------------------------------------
# Create, update, delete


def _company_country(company: Company) -> int | None:
    return as_country(company.setting("country_id"))


def _apply(client: Client, data: Mapping[str, Any], company: Company) -> None:
    for key, value in data.items():
        if key in CLIENT_FIELDS:
            setattr(client, key, value)
    if "country_id" in data and data["country_id"] is None:
        client.country_id = _company_country(company)


def _save(client: Client, **kwargs: Any) -> None:
    """Save; the unique constraints' backstop answers 422, never 500.

    No savepoint: the error ends the caller's transaction, which rolls back whole.
    """
    try:
        client.save(**kwargs)
    except IntegrityError as exc:
        text = str(exc)
        if "id_number" in text:
            raise ValidationError({"id_number": [ID_NUMBER_TAKEN]}) from exc
        if "number" in text:
            raise ValidationError({"number": [NUMBER_TAKEN]}) from exc
        raise


@transaction.atomic
def client_create(
    *, company: Company, user: AbstractBaseUser | None, data: Mapping[str, Any]
) -> Client:
    """Create a client with its contacts from validated input (API.md §6).

    The country defaults to the company's, the settings start from upstream's
    client defaults, and a missing or blank number is taken from the counter.
    """
    client = Client(company=company, user_id=_user_id(user))
    _apply(client, data, company)
    if client.country_id is None:
        client.country_id = _company_country(company)
    client.settings = settings_merge(
        new_client_settings(company), data.get("settings") or {}
    )
    if not client.number:
        client.number = client_number_take(company=company, client=client)
    _save(client)
    contacts_sync(
        client=client, contacts=data.get("contacts"), user=user, creating=True
    )
    activity_record(client=client, user=user, activity_type_id=Activity.CREATE_CLIENT)
    return client


@transaction.atomic
def client_update(
    *, client: Client, user: AbstractBaseUser | None, data: Mapping[str, Any]
) -> Client:
    """Change the fields that were sent (API.md §6); the rest keep their values.

    A deleted client can't be edited (400); an archived one stays archived.
    Settings are merged key by key; `number` blanked is taken from the counter.
    """
    locked: Client = (
        Client.objects.select_for_update(of=("self",))
        .select_related("company")
        .get(pk=client.pk)
    )
    if locked.is_deleted:
        raise ApiError(DELETED_CLIENT_MESSAGE, 400)
    company = locked.company
    _apply(locked, data, company)
    if "settings" in data:
        locked.settings = settings_merge(locked.settings, data["settings"] or {})
    if "number" in data and not locked.number:
        locked.number = client_number_take(company=company, client=locked)
    _save(locked)
    contacts_sync(
        client=locked, contacts=data.get("contacts"), user=user, creating=False
    )
    activity_record(client=locked, user=user, activity_type_id=Activity.UPDATE_CLIENT)
    return locked


def client_delete(*, client: Client, user: AbstractBaseUser | None) -> int:
    """Soft-delete one client; deleting a deleted client changes nothing (0)."""
    return clients_delete(
        clients_queryset=Client.objects.filter(pk=client.pk), user=user
    )


# ---------------------------------------------------------------------------
# Set operations (bulk): a fixed number of queries whatever the number of rows


def _lock(clients_queryset: QuerySet[Client], condition: Q | None = None) -> list[int]:
    """Lock the clients of `clients_queryset` matching `condition`; their pks."""
    # Filter the given queryset itself when it can be locked as it is: PostgreSQL
    # plans `pk IN (subquery)` badly until statistics exist (seconds per 1,000 ids
    # right after a bulk load). A DISTINCT queryset (admin search across contacts)
    # can't take FOR UPDATE, so it is wrapped.
    rows = clients_queryset.order_by()
    if rows.query.distinct:
        rows = Client.objects.filter(pk__in=rows.values("pk"))
    if condition is not None:
        rows = rows.filter(condition)
    return list(rows.select_for_update().order_by("pk").values_list("pk", flat=True))


ACTIVE = Q(archived_at__isnull=True, is_deleted=False)
NOT_ACTIVE = Q(archived_at__isnull=False) | Q(is_deleted=True)


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
        condition=Q(is_deleted=False),
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
) -> int:
    """Set one column (`BULK_UPDATE_COLUMNS`) to a validated value on the set."""
    if column not in BULK_UPDATE_COLUMNS:
        raise ValueError(f"{column} can't be bulk updated")
    pks = _lock(clients_queryset)
    if pks:
        Client.objects.filter(pk__in=pks).update(
            **{column: value, "updated_at": timezone.now()}
        )
    return activities_record_bulk(
        client_ids=pks, user=user, activity_type_id=Activity.UPDATE_CLIENT
    )


# ---------------------------------------------------------------------------
# Group settings


@transaction.atomic
def group_setting_create(
    *, company: Company, user: AbstractBaseUser | None, data: Mapping[str, Any]
) -> GroupSetting:
    """Create a group from validated input (`name` required, typed `settings`)."""
    group: GroupSetting = GroupSetting.objects.create(
        company=company,
        user_id=_user_id(user),
        name=data["name"],
        settings=settings_merge({}, data.get("settings") or {}),
    )
    return group


@transaction.atomic
def group_setting_update(
    *, group: GroupSetting, user: AbstractBaseUser | None, data: Mapping[str, Any]
) -> GroupSetting:
    """Rename a group and/or merge settings into it."""
    locked: GroupSetting = GroupSetting.objects.select_for_update().get(pk=group.pk)
    if locked.is_deleted:
        raise ApiError(DELETED_CLIENT_MESSAGE, 400)
    if "name" in data:
        locked.name = data["name"]
    if "settings" in data:
        locked.settings = settings_merge(locked.settings, data["settings"] or {})
    locked.save()
    return locked


@transaction.atomic
def group_settings_change_state(
    *, groups_queryset: QuerySet[GroupSetting], action: str
) -> int:
    """Archive, restore or delete a set of groups (set-based)."""
    pks = list(groups_queryset.order_by().values_list("pk", flat=True))
    groups = GroupSetting.objects.filter(pk__in=pks)
    if action == "archive":
        changed: int = groups.archive()
    elif action == "restore":
        changed = groups.restore()
    elif action == "delete":
        changed = groups.soft_delete()
    else:
        raise ValueError(f"Unknown group action {action}")
    return changed
