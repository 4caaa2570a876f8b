"""A rolled-back write sends nothing; a chain a dead worker left is sent again."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.webhooks.delivery_support import (
    Receiver,
    delivery_settings,
    make_delivery,
    make_webhook,
    receiver,
    run_worker,
)
from webhooks.models import DeliveryStatus, WebhookDelivery
from webhooks.recovery import stalled_chains
from webhooks.sending import Outcome
from webhooks.tasks import claim_head, record

pytestmark = pytest.mark.django_db(transaction=True)
__all__ = ["delivery_settings", "receiver"]


class RolledBack(Exception):
    pass


def test_a_write_that_rolls_back_sends_nothing(
    delivery_settings: Any, receiver: Receiver
) -> None:
    webhook = make_webhook(receiver.url)

    with pytest.raises(RolledBack), transaction.atomic():
        make_delivery(webhook)
        assert DBTaskResult.objects.count() == 1
        raise RolledBack
    run_worker()

    assert receiver.requests == []
    assert WebhookDelivery.objects.count() == 0
    assert DBTaskResult.objects.count() == 0


def died_mid_delivery(delivery: WebhookDelivery, lease_left: timedelta) -> None:
    """What a worker killed while sending leaves: its task RUNNING, the lease set."""
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        lease_until=timezone.now() + lease_left
    )


def test_a_delivery_whose_worker_died_is_sent_once_its_lease_lapses(
    delivery_settings: Any, receiver: Receiver
) -> None:
    delivery = make_delivery(make_webhook(receiver.url))
    died_mid_delivery(delivery, timedelta(seconds=-1))

    run_worker()

    [request] = receiver.requests
    assert request.headers["X-Webhook-Id"] == str(delivery.idempotency_id)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED


def test_a_delivery_still_leased_is_left_to_its_worker(
    delivery_settings: Any, receiver: Receiver
) -> None:
    delivery = make_delivery(make_webhook(receiver.url))
    died_mid_delivery(delivery, timedelta(minutes=5))

    run_worker()

    assert receiver.requests == []
    assert stalled_chains() == []


def test_the_sweep_queues_a_chain_by_its_head_only(
    delivery_settings: Any, receiver: Receiver
) -> None:
    webhook = make_webhook(receiver.url)
    waiting = make_delivery(webhook, "client:1")
    make_delivery(webhook, "client:1")
    stalled = make_delivery(webhook, "client:2")
    DBTaskResult.objects.all().delete()
    WebhookDelivery.objects.filter(pk=waiting.pk).update(
        attempts=1, next_attempt_at=timezone.now() + timedelta(hours=1)
    )

    assert stalled_chains() == [(webhook.pk, "client:2")]
    run_worker()

    assert [request.body for request in receiver.requests] == [stalled.body.encode()]


def test_a_subscription_enabled_again_sends_what_waited(
    delivery_settings: Any, receiver: Receiver
) -> None:
    webhook = make_webhook(receiver.url, disabled_at=timezone.now())
    delivery = make_delivery(webhook)
    run_worker()
    assert receiver.requests == []

    webhook.disabled_at = None
    webhook.save()
    run_worker()

    assert [request.body for request in receiver.requests] == [delivery.body.encode()]


def test_a_worker_whose_lease_was_taken_over_logs_its_attempt_and_changes_nothing(
    delivery_settings: Any, receiver: Receiver
) -> None:
    delivery = make_delivery(make_webhook(receiver.url))
    claim = claim_head(delivery.webhook_id, delivery.entity_key)
    assert claim is not None
    assert claim_head(delivery.webhook_id, delivery.entity_key) is None
    # It lapsed, and another worker leased the delivery since.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        lease_until=claim.lease_until + timedelta(minutes=1)
    )

    went_on = record(claim, Outcome(500, "", "", 5), timezone.now())

    assert went_on is False
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.status) == (0, DeliveryStatus.PENDING)
    assert delivery.lease_until == claim.lease_until + timedelta(minutes=1)
    assert delivery.attempt_log.count() == 1
