"""Purging a client: the hard delete behind `POST /clients/{id}/purge` (API.md §9)."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import QuerySet

from clients.models import Client
from companies.models import Company
from config.api.errors import NotFoundError
from contacts.models import ClientContact
from documents.models import Document
from documents.services import stored_files_delete_on_commit

logger = logging.getLogger("clients")

NOT_FOUND_MESSAGE = "Client not found"


@transaction.atomic
def client_purge(*, client: Client, user: AbstractBaseUser | None) -> None:
    """Hard-delete a client with its contacts, activities, ledger and documents.

    Set-based: the number of queries does not grow with the client's rows. The
    stored files are deleted only once the transaction commits, so a failure
    leaves rows and files exactly as they were. A client already gone (purged or
    merged by a concurrent request) is a 404.
    """
    locked = Client.objects.select_for_update().filter(
        pk=client.pk, company_id=client.company_id
    )
    if not list(locked.values_list("pk", flat=True)):
        raise NotFoundError(NOT_FOUND_MESSAGE)
    documents = Document.objects.filter(
        owner_type=ContentType.objects.get_for_model(Client), owner_id=client.pk
    )
    paths: list[str] = []
    for path, preview in documents.values_list("path", "preview"):
        paths.extend([path, preview])
    # The cascade removes contacts, activities, ledger rows and documents (the
    # generic relation) with one DELETE per related table, whatever their number.
    Client.objects.filter(pk=client.pk).order_by().delete()
    stored_files_delete_on_commit(paths)
    logger.info(
        "Client %s of company %s purged by user %s",
        client.pk,
        client.company_id,
        getattr(user, "pk", None),
    )


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


def clients_deleted_before(
    *, cutoff: datetime, company: Company | None = None
) -> QuerySet[Client]:
    """Clients deleted before `cutoff` (deleting stamps `archived_at`)."""
    clients: QuerySet[Client] = Client.objects.filter(
        is_deleted=True, archived_at__lt=cutoff
    )
    if company is not None:
        clients = clients.filter(company=company)
    return clients


def _documents_of(pks: list[int]) -> QuerySet[Document]:
    return Document.objects.filter(
        owner_type=ContentType.objects.get_for_model(Client), owner_id__in=pks
    )


def clients_purge_counts(*, clients_queryset: QuerySet[Client]) -> PurgeCounts:
    """What purging the set would remove, without removing anything."""
    pks = clients_queryset.order_by().values("pk")
    return PurgeCounts(
        clients=clients_queryset.count(),
        contacts=ClientContact.objects.filter(client_id__in=pks).count(),
        documents=_documents_of(list(pks.values_list("pk", flat=True))).count(),
    )


@transaction.atomic
def clients_purge(*, clients_queryset: QuerySet[Client]) -> PurgeCounts:
    """Hard-delete a set of clients like `client_purge` does one: contacts,
    activities, ledger and documents go with them, and the stored files are
    deleted once the transaction commits. Set-based: a fixed number of queries."""
    pks = list(
        Client.objects.filter(pk__in=clients_queryset.order_by().values("pk"))
        .select_for_update()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not pks:
        return PurgeCounts()
    documents = _documents_of(pks)
    paths: list[str] = []
    for path, preview in documents.values_list("path", "preview"):
        paths.extend([path, preview])
    contacts = ClientContact.objects.filter(client_id__in=pks).count()
    document_count = len(paths) // 2
    Client.objects.filter(pk__in=pks).order_by().delete()
    stored_files_delete_on_commit(paths)
    return PurgeCounts(clients=len(pks), contacts=contacts, documents=document_count)


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
        done = clients_purge(clients_queryset=clients_queryset.filter(pk__in=batch))
        total += done
        if progress is not None:
            progress(len(batch))
