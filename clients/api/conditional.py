"""A client's ETag, and the `If-Match` guard of every write of one client.

The ETag is made from the client as `GET /clients/{id}` shows it without optional
includes (contacts, documents, group id, every field), so one tag serves a show
with or without `include=` and the answer of any write. It is the same whatever
the answer's format.

With `If-Match`, a write locks the client's row first, reads the client again under
that lock and compares, all in the write's transaction: of two writers holding
the same ETag, the second finds the first one's change and gets the 412.
"""

from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from rest_framework.request import Request

from clients.api.outputs import client_representation
from clients.models import Client
from clients.selectors import OPTIONAL_INCLUDES, client_get
from companies.models import Company
from config.api.conditional import (
    check_if_match,
    if_match_sent,
    representation_etag,
    require_if_match,
)


def client_etag(data: Mapping[str, Any]) -> str:
    """The ETag of a client representation (optional includes left out)."""
    if OPTIONAL_INCLUDES.isdisjoint(data):
        return representation_etag(data)
    return representation_etag(
        {key: value for key, value in data.items() if key not in OPTIONAL_INCLUDES}
    )


def current_client_etag(*, company: Company, pk: int, request: Request) -> str | None:
    """The ETag of the client as stored now (None when it is gone)."""
    client = client_get(company=company, pk=pk)
    if client is None:
        return None
    return client_etag(client_representation(client, request))


@contextmanager
def client_write_guard(
    request: Request, *, company: Company, pk: int, also_lock: Collection[int] = ()
) -> Iterator[None]:
    """Run a write of client `pk` under its `If-Match` precondition.

    Without `If-Match` this adds nothing (428 when the server requires it). With
    it, the client's row (and `also_lock`'s, in id order, so a merge can't deadlock
    with another) is locked, its current ETag compared (412 on a mismatch), and
    the write runs in the same transaction, under the same lock.
    """
    require_if_match(request)
    if not if_match_sent(request):
        yield
        return
    with transaction.atomic():
        pks = sorted({pk, *also_lock})
        list(
            Client.objects.select_for_update()
            .filter(company=company, pk__in=pks)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        current = current_client_etag(company=company, pk=pk, request=request)
        # A client gone under the lock is the write's own 404 to give.
        if current is not None:
            check_if_match(request, current)
        yield
