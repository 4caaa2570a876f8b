"""The conditions the clients list filters with, as `Q` objects.

The list's filters (`clients.api.filters.ClientFilterSet`) and its `where=`
expressions (`clients.api.where`) both filter through these, so a condition means
the same whichever way it is asked for.
"""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

import config.lookups  # noqa: F401  (registers the `__like` lookup used here)
from clients.models import ClientTag, tag_key
from config.db import ACTIVE, NOT_ACTIVE
from contacts.models import ClientContact


def live_contacts() -> QuerySet[ClientContact]:
    """The outer client's live contacts (a correlated subquery, never a join)."""
    return ClientContact.objects.filter(client=OuterRef("pk"), is_deleted=False)


def column_is(column: str, lookup: str, value: Any) -> Q:
    """`column__lookup=value` on the client row (`like` is `config.lookups`)."""
    return Q(**{f"{column}__{lookup}": value})


def contact_email_is(lookup: str, value: Any) -> Q:
    """Clients with a live contact whose email matches (`iexact`, `in`...)."""
    return Q(Exists(live_contacts().filter(**{f"email__{lookup}": value})))


def is_active(active: bool) -> Q:
    """Active clients (neither archived nor deleted), or all the others."""
    return ACTIVE if active else NOT_ACTIVE


def tagged(keys: list[str]) -> Q:
    """Clients having a tag of `keys` (tag keys; a client's links hold only
    tags of its own company)."""
    return Q(
        Exists(ClientTag.objects.filter(client_id=OuterRef("pk"), tag__key__in=keys))
    )


def tags_condition(lookup: str, value: Any) -> Q:
    """`tags = "a"` (having that tag) or `tags in (...)` (having any), compared
    as the `tags=` filter compares: case-insensitively."""
    names = value if lookup == "in" else [value]
    return tagged(sorted({tag_key(str(name).strip()) for name in names}))
