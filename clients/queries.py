"""How clients are read: company scope, per-user visibility and prefetching.

Views, documents, purge and merge all return clients through `client_queryset`, so
a client looks the same everywhere and costs the same fixed number of queries.
"""

from collections.abc import Collection
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from clients.models import Activity, Client, ClientCount, LedgerEntry
from companies.models import Company, Membership
from config.api.errors import ApiError
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
