"""Merging two clients: one keeps the other's money, contacts, documents and log."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Subquery
from django.db.models.functions import Lower, Trim
from django.utils import timezone

from clients.models import Activity, Client, ClientTag, LedgerEntry, display_name
from clients.services.activities import activities_move, activity_record
from clients.services.clients import CLIENT_NOT_FOUND
from clients.services.events import client_merged_event
from clients.services.logos import LOGO_FIELDS, logo_paths
from config.db import NOT_DELETED
from config.errors import NotFound, Refusal
from contacts.models import ClientContact
from documents.services import documents_move, stored_files_delete_on_commit

SAME_CLIENT_MESSAGE = "Attempting to merge the same client is not possible."


def client_display_name(client: Client) -> str:
    """The client's `display_name`, reading at most its first contact.

    Only the first live contact (primary first) can matter, so the rest are never
    loaded, whatever their number.
    """
    if len(client.name) > 1:
        return display_name(client, [])
    first = (
        ClientContact.objects.filter(NOT_DELETED, client_id=client.pk)
        .order_by("-is_primary", "id")
        .only("first_name", "last_name", "email")
        .first()
    )
    return display_name(client, [first] if first is not None else [])


def _email_key(expression: F | OuterRef) -> Lower:
    return Lower(Trim(expression))


def _contacts_move(*, primary: Client, merged: Client) -> None:
    """Move the merged client's live contacts whose email is new to the primary.

    Emails are compared trimmed and case-insensitively with the primary's live
    contacts; contacts with a blank or already-used email stay behind and go with
    the merged client. Moved contacts are never primary; if the primary client had
    no live primary contact, its oldest live contact becomes primary.
    """
    now = timezone.now()
    email_taken = (
        ClientContact.objects.filter(NOT_DELETED, client_id=primary.pk)
        .alias(email_key=_email_key(F("email")))
        .filter(email_key=_email_key(OuterRef("email")))
    )
    (
        ClientContact.objects.filter(NOT_DELETED, client_id=merged.pk)
        .alias(email_key=_email_key(F("email")))
        .exclude(email_key="")
        .exclude(Exists(email_taken))
        .update(client_id=primary.pk, is_primary=False, updated_at=now)
    )
    live = ClientContact.objects.filter(NOT_DELETED, client_id=primary.pk)
    oldest = live.order_by("id").values("pk")[:1]
    (
        ClientContact.objects.filter(pk=Subquery(oldest))
        .exclude(Exists(live.filter(is_primary=True)))
        .update(is_primary=True, updated_at=now)
    )


def _tags_move(*, primary: Client, merged: Client) -> None:
    """The merged client's tags the primary lacks become the primary's (one
    UPDATE); the ones it has already go with the merged client."""
    held = ClientTag.objects.filter(client_id=primary.pk).values("tag_id")
    ClientTag.objects.filter(client_id=merged.pk).exclude(tag_id__in=held).update(
        client_id=primary.pk
    )


def _locked_pair(*, primary: Client, merged: Client) -> tuple[Client, Client]:
    """Both clients re-read under a row lock (in id order, so merges can't deadlock).

    The primary gone is a 404 Refusal; the merged one gone (or another company's)
    a 400 with the same message.
    """
    rows = {
        client.pk: client
        for client in Client.objects.select_for_update()
        .filter(company_id=primary.company_id, pk__in=[primary.pk, merged.pk])
        .order_by("pk")
    }
    if primary.pk not in rows:
        raise NotFound(CLIENT_NOT_FOUND)
    if merged.pk not in rows:
        raise Refusal(CLIENT_NOT_FOUND)
    return rows[primary.pk], rows[merged.pk]


def _logo_kept(*, primary: Client, merged: Client) -> dict[str, str]:
    """The logo fields the primary gets: the merged client's logo when the primary
    has none (it moves, like documents), else nothing; a logo left behind has its
    files deleted once the merge commits."""
    if logo_paths(primary) or not logo_paths(merged):
        stored_files_delete_on_commit(logo_paths(merged))
        return {}
    moved = {field: getattr(merged, field) for field in LOGO_FIELDS}
    for field, path in moved.items():
        setattr(primary, field, path)
    return moved


@transaction.atomic
def client_merge(
    *, primary: Client, merged: Client, user: AbstractBaseUser | None
) -> Client:
    """Merge `merged` into `primary` and hard-delete `merged`; returns the primary.

    In one transaction and set-based (the query count does not grow with the
    clients' contacts, documents or activities): the balances add up and a ledger
    row records it; contacts new to the primary, documents and activities move
    over, and the logo too when the primary has none; an activity notes the merge.
    """
    if primary.pk == merged.pk:
        raise Refusal(SAME_CLIENT_MESSAGE)
    primary, merged = _locked_pair(primary=primary, merged=merged)
    merged_name = client_display_name(merged)
    now = timezone.now()

    primary.balance += merged.balance
    primary.paid_to_date += merged.paid_to_date
    primary.updated_at = now
    Client.objects.filter(pk=primary.pk).update(
        balance=primary.balance,
        paid_to_date=primary.paid_to_date,
        updated_at=now,
        **_logo_kept(primary=primary, merged=merged),
    )
    LedgerEntry.objects.create(
        company_id=primary.company_id,
        client=primary,
        adjustment=merged.balance,
        balance=primary.balance,
        notes=f"Balance update after merging {merged_name}",
    )

    _contacts_move(primary=primary, merged=merged)
    _tags_move(primary=primary, merged=merged)
    documents_move(from_owner=merged, to_owner=primary, at=now)
    activities_move(from_client=merged, to_client=primary)
    activity_record(
        client=primary,
        user=user,
        activity_type_id=Activity.MERGE_CLIENT,
        notes=f"Merged {merged_name}",
    )

    # The cascade drops what stayed behind (contacts not moved, the merged
    # client's own ledger rows) with one DELETE per related table.
    Client.objects.filter(pk=merged.pk).order_by().delete()
    client_merged_event(primary, merged.pk)
    return primary
