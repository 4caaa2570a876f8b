"""Client and group writes: the only code that changes them (API.md §6, §7, §10).

Services take data already checked by the input serializers
(`ClientInputSerializer`, `BulkActionSerializer`, `GroupSettingInputSerializer`),
run in one transaction, and write an activity for every client change.
"""

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from rest_framework.exceptions import ValidationError

from clients.models import Activity, Client
from clients.reference import as_country
from clients.services.activities import _user_id, activity_record
from clients.services.bulk import clients_delete
from clients.services.numbering import client_number_take
from clients.services.settings import new_client_settings, settings_merge
from companies.models import Company
from config.api.errors import ApiError
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


NUMBER_TAKEN = "The number has already been taken."
ID_NUMBER_TAKEN = "The id number has already been taken."
