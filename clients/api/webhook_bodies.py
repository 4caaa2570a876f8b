"""Clients in webhook bodies: the `data` of `GET /clients/{id}`, for many at once."""

from collections.abc import Sequence
from typing import Any

from clients.api.outputs import client_representation
from clients.selectors import clients_shown
from config.api.renderers import dumps
from webhooks.outbox import EntityRenderer


def clients_for_events(pks: Sequence[int]) -> dict[int, tuple[int, dict[str, Any]]]:
    """`{pk: (company_id, client object)}`, as the show renders it (no request:
    URLs are built on `APP_URL`)."""
    return {
        client.pk: (client.company_id, client_representation(client, None))
        for client in clients_shown(pks)
    }


CLIENT_BODIES = EntityRenderer(render=clients_for_events, dumps=dumps)
