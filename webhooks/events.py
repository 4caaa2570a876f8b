"""The client events a webhook can subscribe to, with Invoice Ninja's event ids.

Upstream (`App\\Models\\Webhook`) numbers its events 1 to 65; the client ones are
created 1, updated 10, deleted 11, archived 37 and restored 45. It has no event
for a merge, a purge or a client's documents: those are ours, numbered from 1001
so that upstream's range can grow without meeting them.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    id: int
    name: str
    description: str


CLIENT_CREATED = Event(1, "client.created", "A client was created.")
CLIENT_UPDATED = Event(10, "client.updated", "A client's fields, tags or logo changed.")
CLIENT_DELETED = Event(11, "client.deleted", "A client was deleted (soft).")
CLIENT_ARCHIVED = Event(37, "client.archived", "A client was archived.")
CLIENT_RESTORED = Event(
    45, "client.restored", "An archived or deleted client came back."
)
CLIENT_MERGED = Event(
    1001, "client.merged", "Another client was merged into this one (ours)."
)
CLIENT_PURGED = Event(
    1002,
    "client.purged",
    "A client was removed for good; the body is its last state (ours).",
)
CLIENT_DOCUMENT_UPLOADED = Event(
    1003, "client.document_uploaded", "Documents were uploaded to a client (ours)."
)
CLIENT_DOCUMENT_DELETED = Event(
    1004, "client.document_deleted", "A client's document was deleted (ours)."
)

CLIENT_EVENTS: tuple[Event, ...] = (
    CLIENT_CREATED,
    CLIENT_UPDATED,
    CLIENT_DELETED,
    CLIENT_ARCHIVED,
    CLIENT_RESTORED,
    CLIENT_MERGED,
    CLIENT_PURGED,
    CLIENT_DOCUMENT_UPLOADED,
    CLIENT_DOCUMENT_DELETED,
)
EVENTS_BY_ID: dict[int, Event] = {event.id: event for event in CLIENT_EVENTS}
