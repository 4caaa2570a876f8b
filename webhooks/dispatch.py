"""Hands deliveries to the task queue, in the transaction that wrote them.

django-tasks-db INSERTs the task row in the caller's transaction: the task and
the deliveries commit together or not at all. One task per chain touched
(subscription, entity); a task that finds its chain already sent or being sent
ends at once, so a second task for a chain costs a query, never a duplicate.
"""

from collections.abc import Iterable, Sequence

from webhooks.models import WebhookDelivery
from webhooks.tasks import deliver_chain


def enqueue_chains(chains: Iterable[tuple[int, str]]) -> int:
    """Queue a sending task for each (webhook id, entity key); how many."""
    count = 0
    for webhook_id, entity_key in dict.fromkeys(chains):
        deliver_chain.enqueue(webhook_id, entity_key)
        count += 1
    return count


def enqueue_deliveries(deliveries: Sequence[WebhookDelivery]) -> None:
    """Queue the sending of deliveries just written (call inside their transaction)."""
    enqueue_chains(
        (delivery.webhook_id, delivery.entity_key) for delivery in deliveries
    )
