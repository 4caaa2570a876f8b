"""How clients are read: company scope, per-user visibility and prefetching.

Views, documents, purge and merge all return clients through `client_queryset`, so
a client looks the same everywhere and costs the same fixed number of queries.
"""

from collections.abc import Collection
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from clients.models import Activity, Client, ClientCount, LedgerEntry
from companies.models import Company, Membership
from config.api.errors import ApiError
from config.api.prepared import PreparedQuery, attnames, instance_from_row
from contacts.models import ClientContact
from contacts.queries import live_contacts_queryset
from documents.models import Document

ALWAYS_INCLUDED = frozenset({"contacts", "documents", "gateway_tokens"})
OPTIONAL_INCLUDES = frozenset({"activities", "group_settings", "ledger", "system_logs"})
INCLUDES = ALWAYS_INCLUDED | OPTIONAL_INCLUDES
RECENT_ACTIVITIES = 50


def parse_includes(raw: str | None) -> frozenset[str]:
    """`include=activities,ledger` → the optional includes asked for.

    Empty items are ignored; an unknown name answers 400 as upstream does.
    """
    names = {item.strip() for item in (raw or "").split(",")} - {""}
    for name in sorted(names):
        if name not in INCLUDES:
            raise ApiError(f"Relation `{name}` is not a valid include.", 400)
    return frozenset(names & OPTIONAL_INCLUDES)


def visible_to(membership: Membership | None) -> Q:
    """Clients a member may see: all with `view_client`, else the ones they made or
    are assigned to (API.md §5)."""
    if membership is None or membership.can("view", "client"):
        return Q()
    user_id = membership.user_id
    return Q(user_id=user_id) | Q(assigned_user_id=user_id)


def editable_by(membership: Membership | None) -> Q:
    """Clients a member may change: all with `edit_client`, else their own."""
    if membership is None or membership.can("edit", "client"):
        return Q()
    user_id = membership.user_id
    return Q(user_id=user_id) | Q(assigned_user_id=user_id)


def clients_of(
    *, company: Company, membership: Membership | None = None
) -> QuerySet[Client]:
    """The company's clients the member may see, unshaped (for writes and checks)."""
    queryset: QuerySet[Client] = Client.objects.filter(company=company)
    return queryset.filter(visible_to(membership))


# Prefetched lists land in plain attributes (`to_attr`): Django then skips building
# a queryset per client, the largest cost of a list page after the SQL itself.
CONTACTS_ATTR = "live_contact_list"
DOCUMENTS_ATTR = "document_list"
ACTIVITIES_ATTR = "recent_activities"
LEDGER_ATTR = "ledger_newest"


def contacts_prefetch() -> Prefetch:
    """The live contacts (primary first) into `client.live_contact_list`."""
    return Prefetch(
        "contacts", queryset=live_contacts_queryset(), to_attr=CONTACTS_ATTR
    )


def documents_by_id() -> QuerySet[Document]:
    """Documents in the order a client lists them."""
    queryset: QuerySet[Document] = Document.objects.order_by("id")
    return queryset


def documents_prefetch() -> Prefetch:
    """The client's documents (by id) into `client.document_list`."""
    return Prefetch("documents", queryset=documents_by_id(), to_attr=DOCUMENTS_ATTR)


def client_queryset(
    *,
    company: Company,
    membership: Membership | None = None,
    includes: Collection[str] = (),
) -> QuerySet[Client]:
    """The company's clients as the API shows them, ordered by id.

    Without `membership` every client of the company is in it. Contacts
    (non-deleted, primary first) and documents are always prefetched; activities
    (50 newest), ledger (newest first) and the group only when included. A fixed
    number of queries whatever the number of clients.
    """
    return clients_with_includes(
        company=company, membership=membership, includes=includes
    ).prefetch_related(contacts_prefetch(), documents_prefetch())


def clients_with_includes(
    *,
    company: Company,
    membership: Membership | None = None,
    includes: Collection[str] = (),
) -> QuerySet[Client]:
    """`client_queryset` without the contacts and documents, which the client
    views read through `clients.reads.attach_contacts_and_documents`."""
    queryset = clients_of(company=company, membership=membership)
    lookups: list[Any] = []
    if "activities" in includes:
        lookups.append(
            Prefetch(
                "activities",
                queryset=Activity.objects.order_by("-created_at", "-id")[
                    :RECENT_ACTIVITIES
                ],
                to_attr=ACTIVITIES_ATTR,
            )
        )
    if "ledger" in includes:
        lookups.append(
            Prefetch(
                "ledger",
                queryset=LedgerEntry.objects.order_by("-created_at", "-id"),
                to_attr=LEDGER_ATTR,
            )
        )
    if lookups:
        queryset = queryset.prefetch_related(*lookups)
    if "group_settings" in includes:
        queryset = queryset.select_related("group_settings")
    return queryset.order_by("id")


def company_client_total(*, company: Company) -> int:
    """How many clients (any state) the company has, from the trigger-kept count."""
    totals = list(
        ClientCount.objects.filter(company_id=company.pk).values_list(
            "total", flat=True
        )[:1]
    )
    return totals[0] if totals else 0


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
