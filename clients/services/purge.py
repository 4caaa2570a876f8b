"""Purging clients: the hard delete of clients with everything of theirs.

One set-based implementation (`clients_purge`) serves the API's purge of one
client, the admin's purge of a selection and `manage.py purge_deleted_clients`
(in batches): a fixed number of queries whatever the number of clients, their
contacts, activities, ledger rows and documents.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet

from clients.models import Client
from clients.services.bulk import clients_to_lock
from clients.services.clients import CLIENT_NOT_FOUND
from clients.services.events import clients_event
from clients.services.logos import LOGO_FIELDS
from companies.models import Company
from config.db import DELETED
from config.errors import NotFound
from contacts.models import ClientContact
from documents.models import Document
from documents.services import (
    documents_owned_by,
    stored_files_delete_on_commit,
    stored_files_of,
)
from webhooks.events import CLIENT_PURGED

logger = logging.getLogger("clients")

DEFAULT_BATCH_SIZE = 500


@dataclass(frozen=True)
class PurgeCounts:
    """How many clients, contacts and documents a purge removed (or would)."""

    clients: int = 0
    contacts: int = 0
    documents: int = 0

    def __add__(self, other: "PurgeCounts") -> "PurgeCounts":
        return PurgeCounts(
            self.clients + other.clients,
            self.contacts + other.contacts,
            self.documents + other.documents,
        )


@transaction.atomic
def clients_purge(
    *, clients_queryset: QuerySet[Client], user: AbstractBaseUser | None = None
) -> PurgeCounts:
    """Hard-delete the clients of the set with their contacts, activities, ledger,
    documents and logos; the stored files are deleted once the transaction commits.

    The clients are locked first, so a client purged or merged meanwhile by
    another request is simply not counted. A failure leaves rows and files
    exactly as they were.
    """
    locked = clients_to_lock(clients_queryset).values_list(
        "pk", "company_id", *LOGO_FIELDS
    )
    rows = [(pk, company_id, logos) for pk, company_id, *logos in locked]
    if not rows:
        return PurgeCounts()
    pks = [pk for pk, _, _ in rows]
    clients_event(CLIENT_PURGED, pks)
    paths = stored_files_of(documents_owned_by(Client, pks))
    paths.extend(path for _, _, logos in rows for path in logos if path)
    # The cascade removes contacts, activities, ledger rows and documents (the
    # generic relation) with one DELETE per related table, whatever their number,
    # and counts what it removed.
    _, deleted = Client.objects.filter(pk__in=pks).order_by().delete()
    stored_files_delete_on_commit(paths)
    # A purge someone asked for (API, admin) is logged client by client; the
    # command reports on its own output, and its progress bar must stay readable.
    if user is not None:
        for pk, company_id, _ in rows:
            logger.info(
                "Client %s of company %s purged by user %s", pk, company_id, user.pk
            )
    return PurgeCounts(
        clients=deleted.get(Client._meta.label, 0),
        contacts=deleted.get(ClientContact._meta.label, 0),
        documents=deleted.get(Document._meta.label, 0),
    )


def client_purge(*, client: Client, user: AbstractBaseUser | None) -> None:
    """Purge one client (`clients_purge`); one already gone (purged or merged by
    a concurrent request) is a 404 Refusal."""
    purged = clients_purge(
        clients_queryset=Client.objects.filter(
            pk=client.pk, company_id=client.company_id
        ),
        user=user,
    )
    if not purged.clients:
        raise NotFound(CLIENT_NOT_FOUND)


def clients_deleted_before(
    *, cutoff: datetime, company: Company | None = None
) -> QuerySet[Client]:
    """Clients deleted before `cutoff` (deleting stamps `archived_at`)."""
    clients: QuerySet[Client] = Client.objects.filter(DELETED, archived_at__lt=cutoff)
    if company is not None:
        clients = clients.filter(company=company)
    return clients


def clients_purge_counts(*, clients_queryset: QuerySet[Client]) -> PurgeCounts:
    """What purging the set would remove, without removing anything."""
    pks = clients_queryset.order_by().values("pk")
    return PurgeCounts(
        clients=clients_queryset.count(),
        contacts=ClientContact.objects.filter(client_id__in=pks).count(),
        documents=documents_owned_by(Client, pks).count(),
    )


def clients_purge_in_batches(
    *,
    clients_queryset: QuerySet[Client],
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Callable[[int], object] | None = None,
) -> PurgeCounts:
    """`clients_purge` over a large set, one transaction per batch of ids, so
    locks stay short and memory flat; `progress(n)` follows each batch."""
    total = PurgeCounts()
    while True:
        batch = list(
            clients_queryset.order_by("pk").values_list("pk", flat=True)[:batch_size]
        )
        if not batch:
            return total
        # Re-applying the set's filter inside the batch keeps a client restored
        # meanwhile out of the purge.
        total += clients_purge(clients_queryset=clients_queryset.filter(pk__in=batch))
        if progress is not None:
            progress(len(batch))
