"""One-client verbs beside create and update: set the tags, make a contact the
primary one (the owner), archive or restore by status.

Each is one transaction under the client's lock, refuses a deleted client (400,
as updates do) and logs one activity.
"""

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from clients.models import Activity, Client
from clients.services.activities import activity_record
from clients.services.bulk import clients_change_state
from clients.services.clients import client_locked_live
from clients.services.events import client_event
from clients.services.tags import client_tags_set, tag_notes
from contacts.models import ClientContact
from webhooks.events import CLIENT_UPDATED

STATUSES = ("active", "archived")
INVALID_OWNER = "The selected contact id is invalid."
INVALID_STATUS = "The selected status is invalid; use active or archived."


@transaction.atomic
def client_tags_replace(
    *, client: Client, user: AbstractBaseUser | None, names: Sequence[str]
) -> Client:
    """The client's tags become `names` (`[]` clears them)."""
    locked = client_locked_live(client)
    client_tags_set(client=locked, names=names)
    Client.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
    activity_record(
        client=locked,
        user=user,
        activity_type_id=Activity.UPDATE_CLIENT,
        notes=tag_notes("set", names),
    )
    client_event(CLIENT_UPDATED, locked)
    return locked


@transaction.atomic
def client_owner_set(
    *, client: Client, user: AbstractBaseUser | None, contact_id: int | None
) -> Client:
    """Make the live contact `contact_id` of this client its primary contact;
    the previous primary no longer is. Another client's (or company's) contact,
    a deleted one or an unknown id is a 422 keyed `contact_id`."""
    locked = client_locked_live(client)
    contacts = ClientContact.objects.filter(client_id=locked.pk)
    owner = None
    if contact_id is not None:
        owner = contacts.filter(pk=contact_id, is_deleted=False).first()
    if owner is None:
        raise ValidationError({"contact_id": [INVALID_OWNER]})
    now = timezone.now()
    contacts.filter(
        Q(pk=owner.pk, is_primary=False) | (~Q(pk=owner.pk) & Q(is_primary=True))
    ).update(
        is_primary=Case(When(pk=owner.pk, then=Value(True)), default=Value(False)),
        updated_at=now,
    )
    Client.objects.filter(pk=locked.pk).update(updated_at=now)
    name = f"{owner.first_name} {owner.last_name}".strip() or owner.email
    activity_record(
        client=locked,
        user=user,
        activity_type_id=Activity.UPDATE_CLIENT,
        notes=f"Primary contact: {name}" if name else "Primary contact changed",
    )
    client_event(CLIENT_UPDATED, locked)
    return locked


@transaction.atomic
def client_status_set(
    *, client: Client, user: AbstractBaseUser | None, status: str
) -> Client:
    """`active` restores an archived client, `archived` archives an active one
    (the bulk archive and restore, with their activity); the same status again
    changes nothing."""
    if status not in STATUSES:
        raise ValidationError({"status": [INVALID_STATUS]})
    locked = client_locked_live(client)
    clients_change_state(
        clients_queryset=Client.objects.filter(pk=locked.pk),
        user=user,
        action="archive" if status == "archived" else "restore",
    )
    return locked
