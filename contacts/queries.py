"""How clients load their contacts, the same way everywhere."""

from django.db.models import Prefetch, QuerySet

from contacts.models import ClientContact


def live_contacts_queryset() -> QuerySet[ClientContact]:
    """Non-deleted contacts, primary first (API.md §4)."""
    queryset: QuerySet[ClientContact] = ClientContact.objects.filter(
        is_deleted=False
    ).order_by("-is_primary", "id")
    return queryset


def live_contacts_prefetch() -> Prefetch:
    """Prefetch a client's non-deleted contacts, primary first (API.md §4)."""
    return Prefetch("contacts", queryset=live_contacts_queryset())
