"""Subscriptions and the deliveries they got, for the webhook tests."""

import json
from typing import Any

from companies.models import Company
from webhooks.events import CLIENT_EVENTS
from webhooks.models import Webhook, WebhookDelivery


def subscribe(company: Company, *event_ids: int, **fields: Any) -> list[Webhook]:
    """One subscription per event (every client event when none is named)."""
    ids = event_ids or tuple(event.id for event in CLIENT_EVENTS)
    return [
        Webhook.objects.create(
            company=company,
            event_id=event_id,
            target_url="https://hooks.example.com/in",
            **fields,
        )
        for event_id in ids
    ]


def delivered(company: Company | None = None) -> list[tuple[str, str]]:
    """(event, entity_key) of the deliveries written, oldest first."""
    rows = WebhookDelivery.objects.order_by("id")
    if company is not None:
        rows = rows.filter(webhook__company=company)
    return list(rows.values_list("event", "entity_key"))


def bodies(event: str) -> list[dict[str, Any]]:
    rows = WebhookDelivery.objects.filter(event=event).order_by("id")
    return [json.loads(row.body) for row in rows]
