"""Client writes: create, update, delete, the only code that changes a client.

They take data already checked by the client input validation (the API's, which
the admin and the CSV import call too), run in one transaction, write an activity
for every client change, and raise Django's `ValidationError` for input the
database refuses and `Refusal` for a client that may not be changed.
"""

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from clients.fields import SET_AS_SENT
from clients.models import Activity, Client
from clients.reference import as_country
from clients.services.activities import activity_record, user_id_of
from clients.services.bulk import clients_change_state
from clients.services.events import client_event
from clients.services.numbering import client_number_take
from clients.services.settings import new_client_settings, settings_merge
from clients.services.tags import client_tags_set
from companies.models import Company
from companies.required import missing_required
from config.errors import Refusal
from contacts.services import contacts_sync
from webhooks.events import CLIENT_CREATED, CLIENT_UPDATED, Event

CLIENT_NOT_FOUND = "Client not found"
DELETED_CLIENT_MESSAGE = (
    "Record is deleted and cannot be edited. Restore the record to enable editing"
)
NUMBER_TAKEN = "The number has already been taken."
ID_NUMBER_TAKEN = "The id number has already been taken."

# Model fields a client write sets as sent (validated data keys), from the spec.
CLIENT_FIELDS = SET_AS_SENT


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


def _tags_and_state(
    client: Client,
    data: Mapping[str, Any],
    user: AbstractBaseUser | None,
    event: Event,
) -> None:
    """`tags` (the whole set), the write's event, then Paymo's `active` (archive or
    restore), when sent."""
    if "tags" in data:
        client_tags_set(client=client, names=data["tags"])
    client_event(event, client)
    if "active" in data:
        clients_change_state(
            clients_queryset=Client.objects.filter(pk=client.pk),
            user=user,
            action="restore" if data["active"] else "archive",
        )


def _save(client: Client, **kwargs: Any) -> None:
    """Save; a unique constraint's refusal is a ValidationError, never a 500.

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


def _refuse_missing_required(
    data: Mapping[str, Any], company: Company, *, updating: bool
) -> None:
    """The company's required client fields the write leaves empty, refused (an
    update checks only those it sends)."""
    missing = missing_required(
        data, company.required_labels("client"), only_sent=updating
    )
    if missing:
        raise ValidationError(missing)


def _store(
    client: Client,
    *,
    data: Mapping[str, Any],
    user: AbstractBaseUser | None,
    creating: bool,
) -> None:
    """Save the client, sync the contacts sent (each filled in as the company
    requires), log its creation or update, then set the tags and state sent."""
    _save(client)
    contacts_sync(
        client=client,
        contacts=data.get("contacts"),
        user=user,
        creating=creating,
        required=client.company.required_labels("contact"),
    )
    activity = Activity.CREATE_CLIENT if creating else Activity.UPDATE_CLIENT
    activity_record(client=client, user=user, activity_type_id=activity)
    _tags_and_state(client, data, user, CLIENT_CREATED if creating else CLIENT_UPDATED)


def client_locked_live(client: Client) -> Client:
    """The client re-read with its company, its row locked until the transaction
    ends; a deleted client can't be edited (a 400 Refusal)."""
    locked: Client = (
        Client.objects.select_for_update(of=("self",))
        .select_related("company")
        .get(pk=client.pk)
    )
    if locked.is_deleted:
        raise Refusal(DELETED_CLIENT_MESSAGE, 400)
    return locked


@transaction.atomic
def client_create(
    *, company: Company, user: AbstractBaseUser | None, data: Mapping[str, Any]
) -> Client:
    """Create a client with its contacts from validated input.

    The company's required fields (`Company.required_fields`) must be filled
    in, on the client and on every contact. The country defaults to the
    company's, the settings start from upstream's client defaults, and a
    missing or blank number is taken from the counter.
    """
    _refuse_missing_required(data, company, updating=False)
    client = Client(company=company, user_id=user_id_of(user))
    _apply(client, data, company)
    if client.country_id is None:
        client.country_id = _company_country(company)
    client.settings = settings_merge(
        new_client_settings(company), data.get("settings") or {}
    )
    if not client.number:
        client.number = client_number_take(company=company, client=client)
    _store(client, data=data, user=user, creating=True)
    return client


@transaction.atomic
def client_update(
    *, client: Client, user: AbstractBaseUser | None, data: Mapping[str, Any]
) -> Client:
    """Change the fields that were sent; the rest keep their values.

    A deleted client can't be edited (a 400 Refusal); an archived one stays
    archived, unless `active` (Paymo's) is sent: it archives or restores the
    client after the update, as the bulk actions do. A required field sent empty
    is refused (one left out keeps its stored value, even empty). Settings are
    merged key by key; `number` blanked is taken from the counter. The client's
    row stays locked until the transaction ends, so its contacts and tags are
    synced under the lock.
    """
    locked = client_locked_live(client)
    company = locked.company
    _refuse_missing_required(data, company, updating=True)
    _apply(locked, data, company)
    if "settings" in data:
        locked.settings = settings_merge(locked.settings, data["settings"] or {})
    if "number" in data and not locked.number:
        locked.number = client_number_take(company=company, client=locked)
    _store(locked, data=data, user=user, creating=False)
    return locked


def client_delete(*, client: Client, user: AbstractBaseUser | None) -> int:
    """Soft-delete one client; deleting a deleted client changes nothing (0)."""
    return clients_change_state(
        clients_queryset=Client.objects.filter(pk=client.pk), user=user, action="delete"
    )
