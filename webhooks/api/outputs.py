"""Subscriptions, deliveries and attempts as the API shows them.

A subscription has upstream's keys (`event_id` a string, times in unix seconds)
plus why it was disabled; its secret only in the create answer.
"""

from typing import Any

from rest_framework import serializers

from config.api.fields import unix_time
from config.api.hashids import encode_id
from webhooks.models import Webhook, WebhookAttempt, WebhookDelivery

# Enough of a receiver's answer to see what went wrong.
RESPONSE_BODY_SHOWN = 1000


def webhook_representation(webhook: Webhook) -> dict[str, Any]:
    return {
        "id": encode_id(webhook.pk),
        "company_id": encode_id(webhook.company_id),
        "user_id": encode_id(webhook.user_id),
        "archived_at": unix_time(webhook.archived_at),
        "updated_at": unix_time(webhook.updated_at),
        "created_at": unix_time(webhook.created_at),
        "is_deleted": webhook.is_deleted,
        "target_url": webhook.target_url,
        "event_id": str(webhook.event_id),
        "format": webhook.format,
        "rest_method": webhook.rest_method,
        "headers": webhook.headers if isinstance(webhook.headers, dict) else {},
        "is_disabled": webhook.disabled_at is not None,
        "disabled_at": unix_time(webhook.disabled_at),
        "disabled_reason": webhook.disabled_reason,
    }


def attempt_representation(attempt: WebhookAttempt) -> dict[str, Any]:
    return {
        "number": attempt.number,
        "started_at": unix_time(attempt.started_at),
        "duration_ms": attempt.duration_ms,
        "response_status": attempt.response_status,
        "response_body": attempt.response_body[:RESPONSE_BODY_SHOWN],
        "error": attempt.error,
    }


def delivery_representation(delivery: WebhookDelivery) -> dict[str, Any]:
    entity, _, pk = delivery.entity_key.partition(":")
    return {
        "id": encode_id(delivery.pk),
        "event": delivery.event,
        "event_id": str(delivery.event_id),
        "entity": entity,
        "entity_id": encode_id(int(pk)) if pk.isdigit() else "",
        "idempotency_id": str(delivery.idempotency_id),
        "status": delivery.status,
        "attempts": [attempt_representation(a) for a in delivery.attempt_log.all()],
        "next_attempt_at": unix_time(delivery.next_attempt_at),
        "created_at": unix_time(delivery.created_at),
        "delivered_at": unix_time(delivery.delivered_at),
    }


# The serializers describe the schema; the functions above render.


class WebhookSerializer(serializers.Serializer[Webhook]):
    id = serializers.CharField()
    company_id = serializers.CharField()
    user_id = serializers.CharField()
    archived_at = serializers.IntegerField()
    updated_at = serializers.IntegerField()
    created_at = serializers.IntegerField()
    is_deleted = serializers.BooleanField()
    target_url = serializers.CharField()
    event_id = serializers.CharField(help_text="The client event's id (a string).")
    format = serializers.CharField()
    rest_method = serializers.CharField()
    headers = serializers.DictField(child=serializers.CharField())
    is_disabled = serializers.BooleanField(
        help_text="Disabled after failing deliveries; a PUT or restore enables it."
    )
    disabled_at = serializers.IntegerField()
    disabled_reason = serializers.CharField()


class CreatedWebhookSerializer(WebhookSerializer):
    secret = serializers.CharField(
        help_text=(
            "Signs every body (X-Webhook-Signature: sha256=<hex HMAC-SHA256>). "
            "Shown in this answer only: store it now."
        )
    )


class AttemptSerializer(serializers.Serializer[WebhookAttempt]):
    number = serializers.IntegerField()
    started_at = serializers.IntegerField()
    duration_ms = serializers.IntegerField()
    response_status = serializers.IntegerField(allow_null=True)
    response_body = serializers.CharField(
        help_text=f"The first {RESPONSE_BODY_SHOWN} characters of the answer."
    )
    error = serializers.CharField()


class DeliverySerializer(serializers.Serializer[WebhookDelivery]):
    id = serializers.CharField()
    event = serializers.CharField()
    event_id = serializers.CharField()
    entity = serializers.CharField()
    entity_id = serializers.CharField()
    idempotency_id = serializers.UUIDField(help_text="Sent as X-Webhook-Id.")
    status = serializers.ChoiceField(choices=("pending", "delivered", "failed"))
    attempts = AttemptSerializer(many=True)
    next_attempt_at = serializers.IntegerField()
    created_at = serializers.IntegerField()
    delivered_at = serializers.IntegerField()
