"""The whole-set sync of a client's contacts (the `contacts` array of a write)."""

from collections.abc import Mapping
from typing import Any, Protocol

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from companies.required import missing_required
from config.db import NOT_DELETED
from contacts.fields import BOOLEAN_FIELDS, STRING_FIELDS
from contacts.models import ClientContact

WRITABLE_FIELDS = STRING_FIELDS + BOOLEAN_FIELDS
UPDATE_FIELDS = [*WRITABLE_FIELDS, "password", "updated_at"]


class ContactsOwner(Protocol):
    """The client whose contacts are synced (only its ids are read)."""

    @property
    def pk(self) -> Any: ...

    @property
    def company_id(self) -> Any: ...


def _values(contact: ClientContact) -> tuple[Any, ...]:
    return tuple(getattr(contact, name) for name in UPDATE_FIELDS[:-1])


# No savepoint of its own: every caller lets its errors end the caller's
# transaction, and a savepoint costs two queries per client write.
@transaction.atomic(savepoint=False)
def contacts_sync(
    *,
    client: ContactsOwner,
    contacts: list[dict[str, Any]] | None,
    user: AbstractBaseUser | AnonymousUser | None,
    creating: bool,
    required: Mapping[str, str] | None = None,
) -> None:
    """Make `contacts` (from `validate_contacts`) the client's set of contacts.

    The caller holds the client's row lock (`SELECT ... FOR UPDATE` in its
    transaction) when it updates an existing client: two writes to one client
    must not both read the old set, or the client could end with two primaries or
    both requests' new contacts.

    Items are matched to the client's live contacts by decoded `id`; matched ones
    get the sent keys, unmatched items (unknown ids, ids of other clients' contacts)
    become new contacts, and live contacts left out are soft-deleted. `None` (the
    key was not sent) leaves an existing client's contacts alone. The client always
    ends with at least one contact, exactly one primary (the first after a stable
    sort on `is_primary`) and at least one contact with `send_email`. A fixed number
    of queries, whatever the number of contacts.

    `required` (field → label, the company's required contact fields) must be
    filled in on every contact the write leaves: a new contact needs them all, a
    stored one only those it sends (`contacts.N.field`, else a ValidationError and
    nothing is written).
    """
    if contacts is None and not creating:
        return
    existing: dict[int, ClientContact] = {}
    if not creating:
        existing = {
            contact.pk: contact
            for contact in ClientContact.objects.filter(
                NOT_DELETED, client_id=client.pk
            )
        }
    user_id = user.pk if user is not None else None

    def new_contact() -> ClientContact:
        return ClientContact(
            company_id=client.company_id,
            client_id=client.pk,
            user_id=user_id,
            send_email=True,
        )

    rows: list[ClientContact] = []
    before: dict[int, tuple[Any, ...]] = {}
    missing: dict[str, list[str]] = {}
    for index, item in enumerate(contacts or []):
        contact = existing.get(item.get("id") or 0)
        if contact is None or contact.pk in before:
            contact = new_contact()
        else:
            before[contact.pk] = _values(contact)
        if required:
            missing |= missing_required(
                item,
                required,
                prefix=f"contacts.{index}.",
                only_sent=contact.pk is not None,
            )
        for name in WRITABLE_FIELDS:
            if name in item:
                setattr(contact, name, item[name])
        if item.get("password"):
            contact.password = make_password(item["password"])
        rows.append(contact)
    if not rows:
        rows.append(new_contact())
        if required:
            missing |= missing_required({}, required, prefix="contacts.0.")
    if missing:
        raise ValidationError(missing)

    for position, contact in enumerate(sorted(rows, key=lambda c: not c.is_primary)):
        contact.is_primary = position == 0
        if position == 0 and not any(row.send_email for row in rows):
            contact.send_email = True

    removed = [pk for pk in existing if pk not in before]
    if removed:
        ClientContact.objects.filter(pk__in=removed).soft_delete()
    now = timezone.now()
    changed = [
        contact
        for contact in rows
        if contact.pk is not None and _values(contact) != before[contact.pk]
    ]
    for contact in changed:
        contact.updated_at = now
    if changed:
        ClientContact.objects.bulk_update(changed, UPDATE_FIELDS)
    created = [contact for contact in rows if contact.pk is None]
    if created:
        ClientContact.objects.bulk_create(created)
