"""The webhook events of client writes: each service records its own, in its
transaction, with one call here (`webhooks.outbox` writes the deliveries).

With no live subscription, recording an event costs one query.
"""

from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType

import config.lookups  # noqa: F401  (registers `__any_of`)
from clients.models import Client
from config.api.hashids import encode_id
from webhooks.events import (
    CLIENT_ARCHIVED,
    CLIENT_DELETED,
    CLIENT_DOCUMENT_DELETED,
    CLIENT_MERGED,
    CLIENT_RESTORED,
    Event,
)
from webhooks.outbox import record_events

# The event of each bulk state action (`CLIENT_STATE_CHANGES`).
STATE_EVENTS: dict[str, Event] = {
    "archive": CLIENT_ARCHIVED,
    "restore": CLIENT_RESTORED,
    "delete": CLIENT_DELETED,
}


def client_event(event: Event, client: Client) -> None:
    """Record `event` for one client, as it is now."""
    record_events(
        entity="client", event=event, pks=[client.pk], companies=client.company_id
    )


def clients_event(event: Event, pks: Sequence[int]) -> None:
    """Record `event` for the clients `pks` (of any companies), as they are now."""
    companies = Client.objects.filter(pk__any_of=pks).values("company_id")
    record_events(entity="client", event=event, pks=pks, companies=companies)


def clients_state_event(action: str, pks: Sequence[int]) -> None:
    """The event of a bulk state action (archive, restore, delete)."""
    clients_event(STATE_EVENTS[action], pks)


def client_documents_deleted(owners: list[tuple[int, int]]) -> None:
    """`client.document_deleted` for the clients among the documents' owners."""
    client_type = ContentType.objects.get_for_model(Client).pk
    pks = [owner_id for type_id, owner_id in owners if type_id == client_type]
    if pks:
        clients_event(CLIENT_DOCUMENT_DELETED, pks)


def client_merged_event(primary: Client, merged_pk: int) -> None:
    """`client.merged` for the client kept; the body names the one merged away."""
    record_events(
        entity="client",
        event=CLIENT_MERGED,
        pks=[primary.pk],
        companies=primary.company_id,
        extra={"merged_client_id": encode_id(merged_pk)},
    )
