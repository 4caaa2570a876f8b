"""How clients load their contacts, the same way everywhere."""

from typing import Any

from django.db.models import Prefetch, QuerySet

from config.db import NOT_DELETED
from contacts.models import ClientContact


def live_contacts_queryset() -> QuerySet[ClientContact]:
    """Non-deleted contacts, primary first (the order a client's contacts show in)."""
    queryset: QuerySet[ClientContact] = ClientContact.objects.filter(
        NOT_DELETED
    ).order_by("-is_primary", "id")
    return queryset


def live_contacts_prefetch() -> "Prefetch[Any]":
    """Prefetch a client's non-deleted contacts, primary first."""
    return Prefetch("contacts", queryset=live_contacts_queryset())
