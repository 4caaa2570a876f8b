"""The client reads the API serves most, through prepared queries.

A page of the company's clients with its total, one client, and the contacts and
documents of a set of clients. The rows become `Client`, `ClientContact` and
`Document` instances shaped as `client_queryset`'s (contacts primary first in
`live_contact_list`, documents by id in `document_list`), so `client_representation`
renders them alike. Documents are read only for the clients that have any: each
client row carries a `has_documents` flag from an EXISTS on the documents index.
"""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, QuerySet, Subquery

from clients.models import Client, ClientCount
from clients.queries import (
    CONTACTS_ATTR,
    DOCUMENTS_ATTR,
    company_client_total,
    documents_by_id,
)
from companies.models import Company
from config.api.prepared import PreparedQuery, attnames, instance_from_row
from contacts.models import ClientContact
from contacts.queries import live_contacts_queryset
from documents.models import Document

CLIENT_COLUMNS = attnames(Client)
CONTACT_COLUMNS = attnames(ClientContact)
DOCUMENT_COLUMNS = attnames(Document)
HAS_DOCUMENTS = "has_documents"
# Past this offset no page can hold a row, and the value would overflow SQL integers.
MAX_OFFSET = 2**62


def client_type_id() -> int:
    """The content type of clients (cached by Django after the first lookup)."""
    return int(ContentType.objects.get_for_model(Client).pk)


def has_documents(owner_type_id: int) -> Exists:
    """Whether the outer client owns any document (served by `document_owner`)."""
    return Exists(
        Document.objects.filter(owner_type_id=owner_type_id, owner_id=OuterRef("pk"))
    )


def with_document_flag(queryset: QuerySet[Client]) -> QuerySet[Client]:
    """Clients annotated with `has_documents`, for `attach_contacts_and_documents`."""
    return queryset.annotate(**{HAS_DOCUMENTS: has_documents(client_type_id())})


def _company_page(company_id: int, owner_type_id: int) -> QuerySet[Any]:
    total = ClientCount.objects.filter(company_id=company_id).values("total")[:1]
    return (
        Client.objects.filter(company_id=company_id)
        .annotate(
            **{HAS_DOCUMENTS: has_documents(owner_type_id)},
            listed_total=Subquery(total),
        )
        .order_by("id")
        .values_list(*CLIENT_COLUMNS, HAS_DOCUMENTS, "listed_total")
    )


def _one_client(company_id: int, pk: int, owner_type_id: int) -> QuerySet[Any]:
    return (
        Client.objects.filter(company_id=company_id, pk=pk)
        .annotate(**{HAS_DOCUMENTS: has_documents(owner_type_id)})
        .values_list(*CLIENT_COLUMNS, HAS_DOCUMENTS)
    )


# The same contacts and documents, in the same order, as `client_queryset`'s
# prefetches read.
def _live_contacts(client_ids: list[int]) -> QuerySet[Any]:
    return (
        live_contacts_queryset()
        .filter(client_id__in=client_ids)
        .values_list(*CONTACT_COLUMNS)
    )


def _documents(owner_type_id: int, owner_ids: list[int]) -> QuerySet[Any]:
    return (
        documents_by_id()
        .filter(owner_type_id=owner_type_id, owner_id__in=owner_ids)
        .values_list(*DOCUMENT_COLUMNS)
    )


COMPANY_PAGE = PreparedQuery(_company_page, paged=True)
ONE_CLIENT = PreparedQuery(_one_client)
LIVE_CONTACTS = PreparedQuery(_live_contacts)
DOCUMENTS = PreparedQuery(_documents)


def _client(row: list[Any]) -> Client:
    client: Client = instance_from_row(Client, CLIENT_COLUMNS, row)
    setattr(client, HAS_DOCUMENTS, bool(row[len(CLIENT_COLUMNS)]))
    return client


def company_client_page(
    *, company: Company, limit: int, offset: int
) -> tuple[list[Client], int]:
    """A page of every client of the company by id, with the company's total.

    One query: the total comes from the trigger-kept count in the same statement;
    only a page past the end reads it on its own.
    """
    if offset >= MAX_OFFSET:
        return [], company_client_total(company=company)
    rows = COMPANY_PAGE.rows(
        company_id=company.pk,
        owner_type_id=client_type_id(),
        limit=limit,
        offset=offset,
    )
    total = rows[0][-1] if rows else None
    if total is None:
        total = company_client_total(company=company)
    return [_client(row) for row in rows], int(total)


def company_client(*, company: Company, pk: int) -> Client | None:
    """One of the company's clients by primary key, any state, or None."""
    rows = ONE_CLIENT.rows(company_id=company.pk, pk=pk, owner_type_id=client_type_id())
    return _client(rows[0]) if rows else None


def attach_contacts_and_documents(clients: list[Client]) -> None:
    """Read the clients' live contacts and documents (at most two queries in all)
    into the attributes `client_representation` reads."""
    if not clients:
        return
    ids = [client.pk for client in clients]
    contacts: dict[int, list[ClientContact]] = {pk: [] for pk in ids}
    for row in LIVE_CONTACTS.rows(client_ids=ids):
        contact: ClientContact = instance_from_row(ClientContact, CONTACT_COLUMNS, row)
        contacts[contact.client_id].append(contact)
    documents: dict[int, list[Document]] = {pk: [] for pk in ids}
    owners = [client.pk for client in clients if getattr(client, HAS_DOCUMENTS, True)]
    if owners:
        for row in DOCUMENTS.rows(owner_type_id=client_type_id(), owner_ids=owners):
            document: Document = instance_from_row(Document, DOCUMENT_COLUMNS, row)
            documents[document.owner_id].append(document)
    for client in clients:
        setattr(client, CONTACTS_ATTR, contacts[client.pk])
        setattr(client, DOCUMENTS_ATTR, documents[client.pk])
