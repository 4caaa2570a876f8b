"""Finds chains nobody is sending and queues them again.

A worker killed mid-delivery leaves the delivery pending with a lease that
lapses, and its task row RUNNING for good (django-tasks-db never re-runs a
task). The sweep queues a task for every chain whose head is due, not leased,
and has no task waiting. It also picks up a subscription enabled again, and
deliveries written without a task.
"""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from webhooks.dispatch import enqueue_chains
from webhooks.models import DeliveryStatus, WebhookDelivery
from webhooks.tasks import SENDABLE, deliver_chain

SWEEP_LIMIT = 1000


def stalled_chains(limit: int = SWEEP_LIMIT) -> list[tuple[int, str]]:
    """Chains whose head is due and not leased, and that have no task waiting."""
    now = timezone.now()
    earlier = WebhookDelivery.objects.filter(
        webhook_id=OuterRef("webhook_id"),
        entity_key=OuterRef("entity_key"),
        status=DeliveryStatus.PENDING,
        id__lt=OuterRef("id"),
    )
    heads = (
        WebhookDelivery.objects.filter(SENDABLE, next_attempt_at__lte=now)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .exclude(Exists(earlier))
        .order_by("id")
        .values_list("webhook_id", "entity_key")[:limit]
    )
    chains = [(webhook_id, entity_key) for webhook_id, entity_key in heads]
    if not chains:
        return []
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=deliver_chain.module_path
    )
    queued = {
        (arguments["args"][0], arguments["args"][1])
        for arguments in waiting.values_list("args_kwargs", flat=True)
    }
    return [chain for chain in chains if chain not in queued]


def sweep(limit: int = SWEEP_LIMIT) -> int:
    """Queue a task for every stalled chain; how many were queued."""
    return enqueue_chains(stalled_chains(limit))
