"""What a receiver gets, and what each kind of failure leaves in the attempt log."""

import socket
from typing import Any
from unittest import mock

import pytest

from tests.webhooks.delivery_support import (
    HANG,
    LATE_BODY,
    TRICKLE,
    Receiver,
    delivery_settings,
    make_delivery,
    make_webhook,
    receiver,
    run_worker,
)
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery
from webhooks.signing import signature, signature_matches

pytestmark = pytest.mark.django_db(transaction=True)
__all__ = ["delivery_settings", "receiver"]


def attempts_of(delivery: WebhookDelivery) -> list[WebhookAttempt]:
    return list(WebhookAttempt.objects.filter(delivery=delivery).order_by("number"))


def test_the_receiver_gets_the_body_signed_with_the_subscriptions_headers(
    delivery_settings: Any, receiver: Receiver
) -> None:
    webhook = make_webhook(
        receiver.url, headers={"X-Partner": "acme", "Content-Type": "text/plain"}
    )
    delivery = make_delivery(webhook, name="Acme")

    run_worker()

    [request] = receiver.requests
    assert request.method == "POST"
    assert request.path == "/hook"
    assert request.body == delivery.body.encode()
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["X-Partner"] == "acme"
    assert request.headers["X-Webhook-Id"] == str(delivery.idempotency_id)
    assert request.headers["X-Webhook-Event"] == "client.created"
    assert request.headers["User-Agent"]
    assert signature_matches(
        webhook.secret, request.body, request.headers["X-Webhook-Signature"]
    )
    assert not signature_matches("0" * 64, request.body, signature(webhook.secret, b""))
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.delivered_at is not None
    [logged] = attempts_of(delivery)
    assert (logged.number, logged.response_status, logged.error) == (1, 200, "")
    assert logged.response_body == "answer 200"


def test_an_answer_whose_body_arrives_after_its_head_is_logged_whole(
    delivery_settings: Any, receiver: Receiver
) -> None:
    receiver.plan = [LATE_BODY]
    delivery = make_delivery(make_webhook(receiver.url))

    run_worker()

    [logged] = attempts_of(delivery)
    assert (logged.response_status, logged.error) == (200, "")
    assert logged.response_body == "the body came later"


def test_a_put_subscription_is_sent_a_put(
    delivery_settings: Any, receiver: Receiver
) -> None:
    make_delivery(make_webhook(receiver.url, rest_method="put"))

    run_worker()

    assert [request.method for request in receiver.requests] == ["PUT"]


def test_two_500s_then_a_200_deliver_on_the_third_attempt_with_the_same_id(
    delivery_settings: Any, receiver: Receiver
) -> None:
    receiver.plan = [500, 500, 200]
    delivery = make_delivery(make_webhook(receiver.url))

    run_worker()

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.attempts == 3
    assert [(a.number, a.response_status) for a in attempts_of(delivery)] == [
        (1, 500),
        (2, 500),
        (3, 200),
    ]
    assert {request.headers["X-Webhook-Id"] for request in receiver.requests} == {
        str(delivery.idempotency_id)
    }
    assert (
        len({request.headers["X-Webhook-Signature"] for request in receiver.requests})
        == 1
    )


def test_the_last_failed_attempt_fails_the_delivery(
    delivery_settings: Any, receiver: Receiver
) -> None:
    delivery_settings.WEBHOOK_MAX_ATTEMPTS = 3
    receiver.plan = [500, 502, 503, 200]
    delivery = make_delivery(make_webhook(receiver.url))

    run_worker()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)
    assert len(receiver.requests) == 3


def test_a_receiver_that_hangs_is_cut_at_the_timeout(
    delivery_settings: Any, receiver: Receiver
) -> None:
    delivery_settings.WEBHOOK_TIMEOUT_SECONDS = 1
    delivery_settings.WEBHOOK_MAX_ATTEMPTS = 1
    receiver.plan = [HANG]
    delivery = make_delivery(make_webhook(receiver.url))

    run_worker()

    [logged] = attempts_of(delivery)
    assert logged.response_status is None
    assert "Timed out" in logged.error
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED


def test_a_receiver_that_trickles_its_answer_is_cut_at_the_timeout_too(
    delivery_settings: Any, receiver: Receiver
) -> None:
    delivery_settings.WEBHOOK_TIMEOUT_SECONDS = 1
    delivery_settings.WEBHOOK_MAX_ATTEMPTS = 1
    receiver.plan = [TRICKLE]
    delivery = make_delivery(make_webhook(receiver.url))

    run_worker()

    [logged] = attempts_of(delivery)
    assert (logged.response_status, logged.error[:9]) == (None, "Timed out")


def test_a_refused_connection_is_logged_and_retried(
    delivery_settings: Any, receiver: Receiver
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    delivery_settings.WEBHOOK_MAX_ATTEMPTS = 2
    delivery = make_delivery(make_webhook(f"http://127.0.0.1:{closed_port}/hook"))

    run_worker()

    logged = attempts_of(delivery)
    assert [a.response_status for a in logged] == [None, None]
    assert all("refused" in a.error for a in logged)


def test_a_redirect_is_a_failure_and_is_not_followed(
    delivery_settings: Any, receiver: Receiver
) -> None:
    delivery_settings.WEBHOOK_MAX_ATTEMPTS = 1
    receiver.plan = [(302, f"http://127.0.0.1:{receiver.port}/elsewhere")]
    delivery = make_delivery(make_webhook(receiver.url))

    run_worker()

    assert [request.path for request in receiver.requests] == ["/hook"]
    [logged] = attempts_of(delivery)
    assert logged.response_status == 302
    assert "redirects are not followed" in logged.error
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED


def _resolving(name: str, address: str, calls: list[str]) -> Any:
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host == name:
            calls.append(host)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, int(port)))]
        return real(host, port, *args, **kwargs)

    return mock.patch("socket.getaddrinfo", getaddrinfo)


def test_a_name_that_now_resolves_to_a_private_address_is_refused_at_delivery(
    delivery_settings: Any, receiver: Receiver
) -> None:
    delivery_settings.WEBHOOK_MAX_ATTEMPTS = 1
    delivery_settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    calls: list[str] = []
    delivery = make_delivery(make_webhook(f"http://hooks.example.com:{receiver.port}/"))

    with _resolving("hooks.example.com", "127.0.0.1", calls):
        run_worker()

    assert receiver.requests == []
    [logged] = attempts_of(delivery)
    assert logged.response_status is None
    assert "Target refused" in logged.error
    assert "127.0.0.1" in logged.error


def test_the_request_goes_to_the_vetted_address_with_the_real_host_name(
    delivery_settings: Any, receiver: Receiver
) -> None:
    calls: list[str] = []
    make_delivery(make_webhook(f"http://receiver.example:{receiver.port}/hook?a=1"))

    with _resolving("receiver.example", "127.0.0.1", calls):
        run_worker()

    [request] = receiver.requests
    assert request.headers["Host"] == f"receiver.example:{receiver.port}"
    assert request.path == "/hook?a=1"
    # One lookup, the check's: the connection reused the address it vetted.
    assert calls == ["receiver.example"]
