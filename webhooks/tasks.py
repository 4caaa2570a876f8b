"""The task that sends one chain of deliveries — a subscription's deliveries
about one entity — oldest first.

A worker claims the chain's head with a lease (one conditional UPDATE), sends
it with no transaction or row lock open, then records the attempt, the
delivery's new state and any retry task in one short transaction. A later
delivery of the chain waits while the head waits for a retry, so one entity's
events never overtake each other.
"""

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from webhooks.models import DeliveryStatus, Webhook, WebhookAttempt, WebhookDelivery
from webhooks.retries import gives_up_after, retry_delay
from webhooks.sending import USER_AGENT, Outcome, request_headers, send
from webhooks.signing import signature

logger = logging.getLogger("webhooks")
QUEUE = "webhooks"
# Set when the worker was asked to stop: a chain hands its rest to another worker.
stopping = threading.Event()
SENDABLE = Q(
    status=DeliveryStatus.PENDING,
    webhook__disabled_at__isnull=True,
    webhook__archived_at__isnull=True,
    webhook__is_deleted=False,
)


@dataclass(frozen=True)
class Claim:
    delivery: WebhookDelivery
    lease_until: datetime


def lease_seconds() -> float:
    timeout = settings.WEBHOOK_TIMEOUT_SECONDS
    return float(timeout + settings.WEBHOOK_LEASE_MARGIN_SECONDS)


def claim_head(webhook_id: int, entity_key: str) -> Claim | None:
    """The chain's oldest pending delivery, leased to this worker, if it is due."""
    now = timezone.now()
    head = (
        WebhookDelivery.objects.filter(SENDABLE, webhook_id=webhook_id)
        .filter(entity_key=entity_key)
        .select_related("webhook")
        .order_by("id")
        .first()
    )
    if head is None or head.next_attempt_at > now:
        return None
    if head.lease_until is not None and head.lease_until >= now:
        return None  # another worker is sending it and goes on with the chain
    lease_until = now + timedelta(seconds=lease_seconds())
    taken = (
        WebhookDelivery.objects.filter(pk=head.pk, status=DeliveryStatus.PENDING)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=lease_until)
    )
    return Claim(head, lease_until) if taken == 1 else None


def attempt(delivery: WebhookDelivery) -> Outcome:
    webhook = delivery.webhook
    body = delivery.body.encode()
    fixed = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Webhook-Signature": signature(webhook.secret, body),
        "X-Webhook-Id": str(delivery.idempotency_id),
        "X-Webhook-Event": delivery.event,
        "X-Webhook-Attempt": str(delivery.attempts + 1),
    }
    headers = request_headers(webhook.headers or {}, fixed)
    method = "PUT" if webhook.rest_method.lower() == "put" else "POST"
    return send(
        webhook.target_url, method, headers, body, settings.WEBHOOK_TIMEOUT_SECONDS
    )


def _count_failed_delivery(webhook: Webhook, outcome: Outcome) -> None:
    Webhook.objects.filter(pk=webhook.pk).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    limit = settings.WEBHOOK_DISABLE_AFTER_FAILURES
    if limit <= 0:
        return
    host = urlsplit(webhook.target_url).hostname or webhook.target_url
    reason = (
        f"Disabled after {limit} failed deliveries in a row;"
        f" last: {outcome.summary(host)}"
    )
    disabled = Webhook.objects.filter(
        pk=webhook.pk, disabled_at__isnull=True, consecutive_failures__gte=limit
    ).update(disabled_at=timezone.now(), disabled_reason=reason[:255])
    if disabled:
        logger.warning("Webhook %s disabled: %s", webhook.pk, reason)


def record(claim: Claim, outcome: Outcome, started_at: datetime) -> bool:
    """Log the attempt and move the delivery on; whether the chain may go on."""
    delivery = claim.delivery
    number = delivery.attempts + 1
    now = timezone.now()
    changes: dict[str, object] = {"attempts": number, "lease_until": None}
    retry_at = None
    if outcome.delivered:
        changes.update(status=DeliveryStatus.DELIVERED, delivered_at=now)
    elif gives_up_after(number):
        changes.update(status=DeliveryStatus.FAILED)
    else:
        retry_at = now + retry_delay(number)
        changes.update(next_attempt_at=retry_at)
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery,
            number=number,
            started_at=started_at,
            duration_ms=outcome.duration_ms,
            response_status=outcome.status,
            response_body=outcome.body,
            error=outcome.error,
        )
        # The lease is the fence: a worker whose lease lapsed and was taken over
        # logs what it saw but leaves the delivery to the one holding it now.
        held = WebhookDelivery.objects.filter(
            pk=delivery.pk,
            status=DeliveryStatus.PENDING,
            lease_until=claim.lease_until,
        ).update(**changes)
        if not held:
            logger.warning("Delivery %s was taken over by another worker", delivery.pk)
            return False
        if outcome.delivered:
            Webhook.objects.filter(
                pk=delivery.webhook_id, consecutive_failures__gt=0
            ).update(consecutive_failures=0)
        elif retry_at is None:
            _count_failed_delivery(delivery.webhook, outcome)
        else:
            deliver_chain.using(run_after=retry_at).enqueue(
                delivery.webhook_id, delivery.entity_key
            )
    return retry_at is None


@task(queue_name=QUEUE)
def deliver_chain(webhook_id: int, entity_key: str) -> int:
    """Send the chain's due deliveries in order; how many attempts were made."""
    attempts = 0
    while (claim := claim_head(webhook_id, entity_key)) is not None:
        started_at = timezone.now()
        outcome = attempt(claim.delivery)
        attempts += 1
        if not record(claim, outcome, started_at):
            break
        if stopping.is_set():
            deliver_chain.enqueue(webhook_id, entity_key)
            break
    return attempts
