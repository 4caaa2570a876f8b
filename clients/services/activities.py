"""The client activity log: one row per change, or one INSERT … SELECT for a set.

Every activity a service writes goes through here.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.utils import timezone

from clients.models import Activity, Client
from config.lookups import ids_condition

ACTIVITY_NOTES = {
    Activity.CREATE_CLIENT: "Client created",
    Activity.UPDATE_CLIENT: "Client updated",
    Activity.ARCHIVE_CLIENT: "Client archived",
    Activity.RESTORE_CLIENT: "Client restored",
    Activity.DELETE_CLIENT: "Client deleted",
}


def user_id_of(user: AbstractBaseUser | None) -> int | None:
    """The id recorded as who wrote a row: the user's, or none (a command)."""
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
        user_id=user_id_of(user),
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
    The ids are one array parameter on PostgreSQL (`ids_condition`).
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
            among, ids = ids_condition(quote("id"), batch)
            cursor.execute(
                f"INSERT INTO {quote(Activity._meta.db_table)} "
                f"({', '.join(quote(column) for column in columns)}) "
                f"SELECT {quote('company_id')}, %s, {quote('id')}, %s, %s, %s, %s "
                f"FROM {quote(Client._meta.db_table)} "
                f"WHERE {among} ORDER BY {quote('id')}",
                [user_id_of(user), activity_type_id, text, now, now, *ids],
            )
    return len(client_ids)


def activities_move(*, from_client: Client, to_client: Client) -> int:
    """Give `from_client`'s activity log to `to_client` (one UPDATE)."""
    moved: int = Activity.objects.filter(client_id=from_client.pk).update(
        client_id=to_client.pk
    )
    return moved
