"""One entity's events arrive in order; chains don't wait for each other; a
subscription that keeps failing is disabled and says why."""

from typing import Any

import pytest

from tests.webhooks.delivery_support import (
    Receiver,
    delivery_settings,
    make_delivery,
    make_webhook,
    receiver,
    run_worker,
)
from webhooks.models import DeliveryStatus, Webhook, WebhookDelivery

pytestmark = pytest.mark.django_db(transaction=True)
__all__ = ["delivery_settings", "receiver"]


def test_a_clients_events_arrive_in_order_when_the_first_is_retried(
    delivery_settings: Any, receiver: Receiver
) -> None:
    receiver.plan = [500]
    webhook = make_webhook(receiver.url)
    deliveries = [make_delivery(webhook, "client:7", n=n) for n in (1, 2, 3)]

    run_worker()

    assert [body["n"] for body in receiver.bodies()] == [1, 1, 2, 3]
    assert {d.status for d in WebhookDelivery.objects.all()} == {"delivered"}
    assert [WebhookDelivery.objects.get(pk=d.pk).attempts for d in deliveries] == [
        2,
        1,
        1,
    ]


def test_a_later_event_waits_while_the_first_waits_for_its_retry(
    delivery_settings: Any, receiver: Receiver
) -> None:
    delivery_settings.WEBHOOK_RETRY_BASE_SECONDS = 3600
    receiver.plan = [500]
    webhook = make_webhook(receiver.url)
    first = make_delivery(webhook, "client:7", n=1)
    second = make_delivery(webhook, "client:7", n=2)

    run_worker()

    assert [body["n"] for body in receiver.bodies()] == [1]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.attempts) == (DeliveryStatus.PENDING, 1)
    assert (second.status, second.attempts) == (DeliveryStatus.PENDING, 0)


def test_another_clients_chain_goes_on_while_one_waits(
    delivery_settings: Any, receiver: Receiver
) -> None:
    delivery_settings.WEBHOOK_RETRY_BASE_SECONDS = 3600
    receiver.plan = [500]
    webhook = make_webhook(receiver.url)
    make_delivery(webhook, "client:7", n=1)
    make_delivery(webhook, "client:7", n=2)
    make_delivery(webhook, "client:8", n=3)
    make_delivery(webhook, "client:8", n=4)

    run_worker()

    assert [body["n"] for body in receiver.bodies()] == [1, 3, 4]


def test_a_subscription_that_keeps_failing_is_disabled_and_its_deliveries_wait(
    delivery_settings: Any, receiver: Receiver
) -> None:
    delivery_settings.WEBHOOK_MAX_ATTEMPTS = 1
    delivery_settings.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    receiver.plan = [500, 500, 500]
    webhook = make_webhook(receiver.url)
    for n in range(4):
        make_delivery(webhook, "client:7", n=n)

    run_worker()

    assert len(receiver.requests) == 3
    webhook.refresh_from_db()
    assert webhook.disabled_at is not None
    assert webhook.disabled_reason == (
        "Disabled after 3 failed deliveries in a row; last: HTTP 500 from 127.0.0.1"
    )
    statuses = list(
        WebhookDelivery.objects.order_by("id").values_list("status", flat=True)
    )
    assert statuses == ["failed", "failed", "failed", "pending"]


def test_a_success_resets_the_count_of_failed_deliveries(
    delivery_settings: Any, receiver: Receiver
) -> None:
    delivery_settings.WEBHOOK_MAX_ATTEMPTS = 1
    delivery_settings.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    receiver.plan = [500, 500, 200, 500, 500]
    webhook = make_webhook(receiver.url)
    for n in range(5):
        make_delivery(webhook, "client:7", n=n)

    run_worker()

    assert len(receiver.requests) == 5
    webhook = Webhook.objects.get(pk=webhook.pk)
    assert (webhook.disabled_at, webhook.consecutive_failures) == (None, 2)
