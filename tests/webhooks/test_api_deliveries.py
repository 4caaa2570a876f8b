"""`GET /api/v1/webhooks/{id}/deliveries`: the log, newest first, with attempts."""

from typing import Any

import pytest
from django.utils import timezone

from config.api.hashids import encode_id
from tests.clients.support import client_url
from tests.factories import ClientFactory
from tests.webhooks.support import subscribe
from webhooks.models import WebhookAttempt, WebhookDelivery

pytestmark = pytest.mark.django_db

# token, the webhook, the count, the page, the attempts of the page
DELIVERIES_QUERIES = 5


def deliveries_url(webhook: Any) -> str:
    return f"/api/v1/webhooks/{encode_id(webhook.pk)}/deliveries"


def updates(owner: Any, count: int) -> Any:
    client = ClientFactory.create(company=owner.company)
    for n in range(count):
        owner.api.put(client_url(client.pk), {"name": f"v{n}"}, format="json")
    return client


def test_deliveries_are_listed_newest_first_with_their_attempts(owner: Any) -> None:
    [webhook] = subscribe(owner.company, 10)
    client = updates(owner, 2)
    older, newer = WebhookDelivery.objects.order_by("id")
    WebhookAttempt.objects.create(
        delivery=older, number=1, response_status=500, response_body="x" * 5000
    )
    WebhookAttempt.objects.create(
        delivery=older, number=2, error="timed out", started_at=timezone.now()
    )
    body = owner.api.get(deliveries_url(webhook)).json()
    assert body["meta"]["pagination"]["total"] == 2
    first, second = body["data"]
    assert (first["id"], second["id"]) == (encode_id(newer.pk), encode_id(older.pk))
    assert first["attempts"] == []
    assert (first["event"], first["entity"], first["entity_id"]) == (
        "client.updated",
        "client",
        encode_id(client.pk),
    )
    assert first["idempotency_id"] == str(newer.idempotency_id)
    assert [a["number"] for a in second["attempts"]] == [1, 2]
    assert second["attempts"][0]["response_status"] == 500
    assert len(second["attempts"][0]["response_body"]) == 1000
    assert second["attempts"][1]["error"] == "timed out"


@pytest.mark.parametrize("count", [1, 12])
def test_the_log_takes_the_same_queries_whatever_the_page_size(
    owner: Any, django_assert_num_queries: Any, count: int
) -> None:
    [webhook] = subscribe(owner.company, 10)
    updates(owner, count)
    for delivery in WebhookDelivery.objects.all():
        WebhookAttempt.objects.create(delivery=delivery, number=1, response_status=200)
    owner.api.get(deliveries_url(webhook))
    with django_assert_num_queries(DELIVERIES_QUERIES):
        response = owner.api.get(deliveries_url(webhook), {"per_page": 50})
    assert len(response.json()["data"]) == count


def test_another_subscriptions_deliveries_are_not_listed(owner: Any) -> None:
    first, second = subscribe(owner.company, 10, 1)
    updates(owner, 1)
    assert owner.api.get(deliveries_url(first)).json()["data"] != []
    assert owner.api.get(deliveries_url(second)).json()["data"] == []
