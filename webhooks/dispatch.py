"""Hands new deliveries to the task queue, in the transaction that wrote them."""

from collections.abc import Sequence

from webhooks.models import WebhookDelivery


def enqueue_deliveries(deliveries: Sequence[WebhookDelivery]) -> None:
    """Queue the sending of deliveries just written (call inside their transaction)."""
