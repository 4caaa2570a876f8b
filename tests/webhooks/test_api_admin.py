"""Webhooks in admin: subscriptions saved through the services, the log read only."""

from typing import Any

import pytest
from django.urls import reverse

from tests.clients.support import client_url
from tests.factories import ClientFactory
from tests.webhooks.support import subscribe
from webhooks.models import Webhook, WebhookAttempt, WebhookDelivery

pytestmark = pytest.mark.django_db


def form(company: Any, **changes: Any) -> dict[str, Any]:
    return {
        "company": str(company.pk),
        "event_id": "10",
        "target_url": "https://hooks.example.com/in",
        "rest_method": "post",
        "headers": "{}",
        **changes,
    }


def test_adding_a_webhook_shows_its_secret_once(admin_client: Any, owner: Any) -> None:
    response = admin_client.post(
        reverse("admin:webhooks_webhook_add"), form(owner.company), follow=True
    )
    assert response.status_code == 200
    webhook = Webhook.objects.get()
    assert webhook.secret in response.content.decode()
    change = admin_client.get(
        reverse("admin:webhooks_webhook_change", args=[webhook.pk])
    )
    assert webhook.secret not in change.content.decode()
    listing = admin_client.get(reverse("admin:webhooks_webhook_changelist"))
    assert "client.updated" in listing.content.decode()
    assert webhook.secret not in listing.content.decode()


@pytest.mark.parametrize(
    "changes",
    [
        {"target_url": "http://127.0.0.1/x"},
        {"headers": '{"Host": "a"}'},
        {"event_id": "2"},
    ],
)
def test_the_form_refuses_what_the_api_refuses(
    admin_client: Any, owner: Any, changes: dict[str, str]
) -> None:
    response = admin_client.post(
        reverse("admin:webhooks_webhook_add"), form(owner.company, **changes)
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not Webhook.objects.exists()


def test_the_delivery_page_shows_its_attempts_read_only(
    admin_client: Any, owner: Any
) -> None:
    [webhook] = subscribe(owner.company, 10)
    client = ClientFactory.create(company=owner.company)
    owner.api.put(client_url(client.pk), {"name": "x"}, format="json")
    delivery = WebhookDelivery.objects.get()
    WebhookAttempt.objects.create(
        delivery=delivery, number=1, response_status=503, error="unavailable"
    )
    page = admin_client.get(
        reverse("admin:webhooks_webhookdelivery_change", args=[delivery.pk])
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "unavailable" in text and "503" in text
    assert 'name="_save"' not in text
    listing = admin_client.get(reverse("admin:webhooks_webhookdelivery_changelist"))
    assert f"client:{client.pk}" in listing.content.decode()
    assert webhook.target_url in listing.content.decode()


def test_the_restore_action_enables_again(admin_client: Any, owner: Any) -> None:
    from django.utils import timezone

    [webhook] = subscribe(
        owner.company, 10, archived_at=timezone.now(), disabled_at=timezone.now()
    )
    admin_client.post(
        reverse("admin:webhooks_webhook_changelist"),
        {"action": "restore_webhooks", "_selected_action": [webhook.pk]},
    )
    webhook.refresh_from_db()
    assert (webhook.archived_at, webhook.disabled_at) == (None, None)
