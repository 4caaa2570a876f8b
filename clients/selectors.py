"""The read API of clients: whom a member sees, and clients as the API shows them.

Every view that answers clients reads them here — lists, show, the answers of
writes, bulk actions, uploads and merges — so a client looks the same everywhere
and costs the same fixed number of queries:

- `client_page()`: a page of a list (filtered or not, by page number or keyset),
  or the page of a bulk answer's ids;
- `client_get()`: one client, in any state, or None;
- `visible_to()`, `editable_by()`, `clients_of()`, `own_clients()`: a member's
  scope, for writes and permission checks.

How each read is served is decided here. The whole-company page by number is one
statement (the rows and the trigger-kept `ClientCount`), one client without
includes is one; anything else is the ORM queryset with the includes' prefetches.
Contacts, and documents and tags for the clients that have any, are attached to
every read (one to three queries). The fixed reads are prepared queries
(`PreparedRead`); with `PREPARED_READS` off the same querysets run through the ORM.
"""

import functools
from collections.abc import Collection, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

import config.lookups  # noqa: F401  (registers `__any_of`)
from clients.models import Activity, Client, ClientCount, ClientTag, LedgerEntry
from clients.totals import (
    WRITE_VERSION,
    cached_total,
    count_and_keep,
    key_of,
    total_key,
    write_version,
)
from companies.models import Company, Membership
from config.api.errors import ApiError
from config.api.pagination import AnyPage, KeysetPage, Page, PageWindow
from config.prepared import ColumnsOver, PreparedQuery, PreparedRead, keys_query
from contacts.models import ClientContact
from contacts.queries import live_contacts_queryset
from documents.models import Document

ALWAYS_INCLUDED = frozenset({"contacts", "documents", "gateway_tokens"})
OPTIONAL_INCLUDES = frozenset({"activities", "group_settings", "ledger", "system_logs"})
INCLUDES = ALWAYS_INCLUDED | OPTIONAL_INCLUDES
RECENT_ACTIVITIES = 50

# Read lists land in plain attributes: the representation reads them without a
# queryset per client, the largest cost of a list page after the SQL itself.
CONTACTS_ATTR = "live_contact_list"
DOCUMENTS_ATTR = "document_list"
ACTIVITIES_ATTR = "recent_activities"
LEDGER_ATTR = "ledger_newest"
TAGS_ATTR = "tag_names"
HAS_DOCUMENTS = "has_documents"
HAS_TAGS = "has_tags"
LISTED_TOTAL = "listed_total"
# A bulk answer's page of up to this many ids is a prepared read (its `IN` is
# compiled for 1, 2, 4 ... 256 ids); a longer one is one array through the ORM.
PREPARED_IDS = 256
# Past this offset no page can hold a row, and the value would overflow SQL integers.
MAX_OFFSET = 2**62


def parse_includes(raw: str | None) -> frozenset[str]:
    """`include=activities,ledger` → the optional includes asked for.

    Empty items are ignored; an unknown name answers 400 as upstream does.
    """
    names = {item.strip() for item in (raw or "").split(",")} - {""}
    for name in sorted(names):
        if name not in INCLUDES:
            raise ApiError(f"Relation `{name}` is not a valid include.", 400)
    return frozenset(names & OPTIONAL_INCLUDES)


# ---------------------------------------------------------------------------
# Scope


def _made_or_assigned(membership: Membership) -> Q:
    user_id = membership.user_id
    return Q(user_id=user_id) | Q(assigned_user_id=user_id)


def sees_every_client(membership: Membership | None) -> bool:
    """Whether the member sees every client of the company (None: no member)."""
    return membership is None or membership.can("view", "client")


def visible_to(membership: Membership | None) -> Q:
    """Clients a member may see: all with `view_client`, else the ones they made or
    are assigned to."""
    if sees_every_client(membership):
        return Q()
    assert membership is not None
    return _made_or_assigned(membership)


def editable_by(membership: Membership | None) -> Q:
    """Clients a member may change: all with `edit_client`, else their own."""
    if membership is None or membership.can("edit", "client"):
        return Q()
    return _made_or_assigned(membership)


def clients_of(
    *, company: Company, membership: Membership | None = None
) -> QuerySet[Client]:
    """The company's clients the member may see, unshaped (for writes and checks)."""
    queryset: QuerySet[Client] = Client.objects.filter(company=company)
    return queryset.filter(visible_to(membership))


def own_clients(membership: Membership) -> QuerySet[Client]:
    """The company's clients the member made or is assigned to."""
    queryset: QuerySet[Client] = Client.objects.filter(company_id=membership.company_id)
    return queryset.filter(_made_or_assigned(membership))


# ---------------------------------------------------------------------------
# Reads


def client_page(
    *,
    company: Company,
    membership: Membership | None,
    window: PageWindow,
    includes: Collection[str] = (),
    filtered: QuerySet[Client] | None = None,
    ids: Sequence[int] | None = None,
) -> AnyPage[Client]:
    """A page of clients as the API shows them, with the list's total (page-number
    windows) or the next `after` (keyset windows).

    The list is `filtered` (the list's FilterSet over `clients_of` the member,
    ordered), else every client the member sees by id; or, for a bulk answer, the
    visible clients of `ids` (sorted, all checked to be the company's).
    """
    sees_all = sees_every_client(membership)
    whole_company = ids is None and filtered is None and sees_all
    page: AnyPage[Client]
    if whole_company and not includes and not window.keyset:
        page = _company_page(company, window)
    elif ids is not None and sees_all and not window.keyset:
        page = _ids_page(company, includes, ids, window)
    else:
        listed = _listed(company, membership, ids) if filtered is None else filtered
        if window.keyset:
            page = _keyset(_shaped(listed, includes), window)
        elif whole_company:
            total = company_client_total(company=company)
            page = _sliced(_shaped(listed, includes), window, total)
        else:
            page = _counted(company, listed, window, includes)
    attach_contacts_and_documents(page.rows)
    return page


def client_get(
    *,
    company: Company,
    pk: int,
    membership: Membership | None = None,
    includes: Collection[str] = (),
) -> Client | None:
    """One of the company's clients as the API shows it (any state), or None when
    the member may not see it (`membership` None: every client, e.g. after a
    write). Without includes, for a member who sees every client, it is one
    prepared query."""
    if not includes and sees_every_client(membership):
        rows = ONE_CLIENT(company_id=company.pk, pk=pk, owner_type_id=client_type_id())
    else:
        scope = clients_of(company=company, membership=membership)
        rows = list(_shaped(scope, includes).filter(pk=pk)[:1])
    attach_contacts_and_documents(rows)
    return rows[0] if rows else None


def clients_shown(pks: Sequence[int]) -> list[Client]:
    """The clients of `pks` (any company, any state) as `client_get` reads them
    without includes, by id: at most four queries whatever their number (the
    bodies of webhook events)."""
    rows = list(_shaped(Client.objects.filter(pk__in=pks), ()).order_by("id"))
    attach_contacts_and_documents(rows)
    return rows


def company_client_total(*, company: Company) -> int:
    """How many clients (any state) the company has, from the trigger-kept count."""
    totals = list(
        ClientCount.objects.filter(company_id=company.pk).values_list(
            "total", flat=True
        )[:1]
    )
    return int(totals[0]) if totals else 0


def _company_page(company: Company, window: PageWindow) -> Page[Client]:
    """Every client of the company by id, with the company's total in the same
    statement; only a page past the end reads the total on its own."""
    if window.offset >= MAX_OFFSET:
        return Page([], company_client_total(company=company))
    clients = COMPANY_PAGE(
        company_id=company.pk,
        owner_type_id=client_type_id(),
        limit=window.limit,
        offset=window.offset,
    )
    total = getattr(clients[0], LISTED_TOTAL) if clients else None
    if total is None:
        total = company_client_total(company=company)
    return Page(clients, int(total))


def _listed(
    company: Company, membership: Membership | None, ids: Sequence[int] | None
) -> QuerySet[Client]:
    """The clients the member sees (of `ids`, when given), by id."""
    listed = clients_of(company=company, membership=membership)
    if ids is not None:
        listed = listed.filter(pk__in=ids)
    return listed.order_by("id")


def _ids_page(
    company: Company,
    includes: Collection[str],
    ids: Sequence[int],
    window: PageWindow,
) -> Page[Client]:
    """A bulk answer for a member who sees every client: the window of the sorted
    ids is the page, and their number the total (no count). A page of up to
    `PREPARED_IDS` clients without includes is one prepared query."""
    chosen = list(ids[window.offset : window.offset + window.limit])
    clients: list[Client] = []
    if chosen and not includes and len(chosen) <= PREPARED_IDS:
        clients = CLIENTS_BY_IDS(
            company_id=company.pk, pks=chosen, owner_type_id=client_type_id()
        )
    elif chosen:
        scope = clients_of(company=company).filter(pk__any_of=chosen).order_by("id")
        clients = list(_shaped(scope, includes))
    return Page(clients, len(ids))


def _keyset(shaped: QuerySet[Client], window: PageWindow) -> KeysetPage[Client]:
    """The next clients by id after `window.after`: no count, no OFFSET."""
    rows = list(shaped.filter(pk__gt=window.after).order_by("id")[: window.limit])
    return KeysetPage.of(rows, window)


def _counted(
    company: Company,
    listed: QuerySet[Client],
    window: PageWindow,
    includes: Collection[str],
) -> Page[Client]:
    """The window of a filtered list and its exact total: the page carries the
    company's write version, and a total counted at that version is not counted
    again (`clients.totals`). Without includes the list is compiled as its keys
    alone and read with the page columns compiled once (`ColumnsOver`)."""
    keys = None if includes else keys_query(listed)
    key = total_key(listed) if keys is None else key_of(keys)
    if key is None or window.offset >= MAX_OFFSET:
        return _sliced(_shaped(listed, includes), window, listed.order_by().count())
    if keys is not None:
        rows = PAGE_COLUMNS(
            keys,
            limit=window.limit,
            offset=window.offset,
            company_id=company.pk,
            owner_type_id=client_type_id(),
        )
    else:  # prefetches and joins: the ORM reads them
        versioned = _shaped(
            listed, includes, **{WRITE_VERSION: write_version(company.pk)}
        )
        rows = list(versioned[window.offset : window.offset + window.limit])
    version = getattr(rows[0], WRITE_VERSION) if rows else None
    total = cached_total(key, int(version)) if version is not None else None
    if total is None:
        total = count_and_keep(listed, key, company.pk)
    return Page(rows, total)


def _sliced(shaped: QuerySet[Client], window: PageWindow, total: int) -> Page[Client]:
    """The window of a list of `total` clients (no query past the end)."""
    if window.offset >= total:
        return Page([], total)
    return Page(list(shaped[window.offset : window.offset + window.limit]), total)


def _shaped(
    queryset: QuerySet[Client], includes: Collection[str], **extra: Any
) -> QuerySet[Client]:
    """`queryset` (order kept) with what the representation reads: the documents
    and tags flags (and the `extra` annotations), activities (50 newest) and
    ledger (newest first) prefetched and the group joined when included. Contacts
    and documents are attached after."""
    lookups: list[Any] = []
    if "activities" in includes:
        recent = Activity.objects.order_by("-created_at", "-id")[:RECENT_ACTIVITIES]
        lookups.append(Prefetch("activities", queryset=recent, to_attr=ACTIVITIES_ATTR))
    if "ledger" in includes:
        newest = LedgerEntry.objects.order_by("-created_at", "-id")
        lookups.append(Prefetch("ledger", queryset=newest, to_attr=LEDGER_ATTR))
    if lookups:
        queryset = queryset.prefetch_related(*lookups)
    if "group_settings" in includes:
        queryset = queryset.select_related("group_settings")
    return queryset.annotate(**flags(client_type_id()), **extra)


def client_type_id() -> int:
    """The content type of clients (cached by Django after the first lookup)."""
    return int(ContentType.objects.get_for_model(Client).pk)


# Built once: building the subquery's filters costs more than the page's SQL, and
# annotating never changes the expression (the query gets a resolved copy).
@functools.cache
def has_documents(owner_type_id: int) -> Exists:
    """Whether the outer client owns any document (served by `document_owner`)."""
    return Exists(
        Document.objects.filter(owner_type_id=owner_type_id, owner_id=OuterRef("pk"))
    )


def flags(owner_type_id: int) -> dict[str, Exists]:
    """The annotations every client read carries: `has_documents`, `has_tags`."""
    return {HAS_DOCUMENTS: has_documents(owner_type_id), HAS_TAGS: has_tags()}


@functools.cache
def has_tags() -> Exists:
    """Whether the outer client has any tag (served by `client_tag_unique`)."""
    return Exists(ClientTag.objects.filter(client_id=OuterRef("pk")))


# ---------------------------------------------------------------------------
# The fixed reads: compiled once, run with new values (or through the ORM)


def _company_page_rows(company_id: int, owner_type_id: int) -> QuerySet[Client]:
    total = ClientCount.objects.filter(company_id=company_id).values("total")[:1]
    return (
        Client.objects.filter(company_id=company_id)
        .annotate(**flags(owner_type_id), **{LISTED_TOTAL: Subquery(total)})
        .order_by("id")
    )


def _one_client(company_id: int, pk: int, owner_type_id: int) -> QuerySet[Client]:
    return Client.objects.filter(company_id=company_id, pk=pk).annotate(
        **flags(owner_type_id)
    )


def _clients_by_ids(
    company_id: int, pks: list[int], owner_type_id: int
) -> QuerySet[Client]:
    return (
        Client.objects.filter(company_id=company_id, pk__in=pks)
        .annotate(**flags(owner_type_id))
        .order_by("id")
    )


def _page_columns(
    queryset: QuerySet[Client], company_id: int, owner_type_id: int
) -> QuerySet[Client]:
    return queryset.annotate(
        **flags(owner_type_id), **{WRITE_VERSION: write_version(company_id)}
    )


def _live_contacts(client_ids: list[int]) -> QuerySet[ClientContact]:
    return live_contacts_queryset().filter(client_id__in=client_ids)


def _documents(owner_type_id: int, owner_ids: list[int]) -> QuerySet[Document]:
    queryset: QuerySet[Document] = Document.objects.filter(
        owner_type_id=owner_type_id, owner_id__in=owner_ids
    )
    return queryset.order_by("id")


def _tag_names(client_ids: list[int]) -> QuerySet[Any]:
    return (
        ClientTag.objects.filter(client_id__in=client_ids)
        .order_by("client_id", "tag__key", "tag__name")
        .values_list("client_id", "tag__name")
    )


COMPANY_PAGE = PreparedRead(
    Client,
    _company_page_rows,
    annotations=(HAS_DOCUMENTS, HAS_TAGS, LISTED_TOTAL),
    paged=True,
)
ONE_CLIENT = PreparedRead(Client, _one_client, annotations=(HAS_DOCUMENTS, HAS_TAGS))
CLIENTS_BY_IDS = PreparedRead(
    Client, _clients_by_ids, annotations=(HAS_DOCUMENTS, HAS_TAGS)
)
PAGE_COLUMNS = ColumnsOver(
    Client, _page_columns, annotations=(HAS_DOCUMENTS, HAS_TAGS, WRITE_VERSION)
)
TAG_NAMES = PreparedQuery(_tag_names)
LIVE_CONTACTS = PreparedRead(ClientContact, _live_contacts)
DOCUMENTS = PreparedRead(Document, _documents)


def attach_contacts_and_documents(clients: list[Client]) -> None:
    """Read the clients' live contacts (primary first), documents (by id; only
    for clients flagged `has_documents`) and tag names (sorted; only for clients
    flagged `has_tags`) into the attributes the representation reads: at most
    three queries in all, one when no client shown has documents or tags."""
    if not clients:
        return
    ids = [client.pk for client in clients]
    contacts: dict[int, list[ClientContact]] = {pk: [] for pk in ids}
    for contact in LIVE_CONTACTS(client_ids=ids):
        contacts[contact.client_id].append(contact)
    documents: dict[int, list[Document]] = {pk: [] for pk in ids}
    owners = [client.pk for client in clients if getattr(client, HAS_DOCUMENTS, True)]
    for document in DOCUMENTS(owner_type_id=client_type_id(), owner_ids=owners):
        documents[document.owner_id].append(document)
    tags: dict[int, list[str]] = {pk: [] for pk in ids}
    tagged = [client.pk for client in clients if getattr(client, HAS_TAGS, True)]
    for client_id, name in TAG_NAMES.rows(client_ids=tagged):
        tags[client_id].append(name)
    for client in clients:
        setattr(client, CONTACTS_ATTR, contacts[client.pk])
        setattr(client, DOCUMENTS_ATTR, documents[client.pk])
        setattr(client, TAGS_ATTR, tags[client.pk])
