"""The OpenAPI documentation of the `/webhooks` operations."""

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers

from config.api.bulk import MAX_BULK_IDS
from webhooks.api.inputs import WebhookInputSerializer
from webhooks.api.outputs import (
    CreatedWebhookSerializer,
    DeliverySerializer,
    WebhookSerializer,
)

ADMINS = "Only the company's admins and owner may manage webhooks (else 403)."
UPDATE = (
    "Writes the fields sent (`target_url` checked again) and enables a subscription "
    "that was disabled for failing. Errors: 404 for an unknown id; 400 for a "
    "deleted subscription; 422 with the messages by input key."
)

WEBHOOK_OPERATIONS: dict[str, Any] = {
    "list": extend_schema(
        summary="List webhooks",
        description=(
            "A page of the company's subscriptions in id order, in any state "
            "unless `status` says which. The secret is never listed. " + ADMINS
        ),
        responses=WebhookSerializer(many=True),
    ),
    "retrieve": extend_schema(
        summary="Show a webhook",
        description=(
            "One subscription, also when archived, deleted or disabled (with the "
            "reason); never its secret. Errors: 404 `Webhook not found`."
        ),
        responses=WebhookSerializer,
    ),
    "create": extend_schema(
        summary="Subscribe to a client event",
        description=(
            "`target_url` must be http(s) on a public address (422 keyed "
            "`target_url` otherwise) and `event_id` a client event's id. The "
            "answer carries the `secret` that signs every body: it is shown in "
            "this answer only. " + ADMINS
        ),
        request=WebhookInputSerializer,
        responses=CreatedWebhookSerializer,
    ),
    "update": extend_schema(
        summary="Update a webhook",
        description=UPDATE,
        request=WebhookInputSerializer,
        responses=WebhookSerializer,
    ),
    "partial_update": extend_schema(
        summary="Update a webhook (PATCH)",
        description=f"The same as `PUT`. {UPDATE}",
        request=WebhookInputSerializer,
        responses=WebhookSerializer,
    ),
    "destroy": extend_schema(
        summary="Delete a webhook",
        description=(
            "Marks the subscription deleted (no more deliveries) and answers it; "
            "a bulk `restore` brings it back. Errors: 404 for an unknown id."
        ),
        responses=WebhookSerializer,
    ),
    "bulk": extend_schema(
        operation_id="webhooks_bulk",
        summary="Archive, restore or delete many webhooks",
        description=(
            f"Up to {MAX_BULK_IDS:,} ids. `restore` also enables subscriptions "
            "disabled for failing. Answers the subscriptions asked for in the "
            "list envelope. Errors: 422 and nothing changed when an id is not one "
            "of the company's webhooks or the action is unknown."
        ),
        request=inline_serializer(
            "WebhookBulk",
            {
                "action": serializers.ChoiceField(
                    choices=("archive", "restore", "delete"),
                    help_text="Also accepted in the query string.",
                ),
                "ids": serializers.ListField(
                    child=serializers.CharField(),
                    min_length=1,
                    max_length=MAX_BULK_IDS,
                    help_text="Hashed ids of the company's webhooks.",
                ),
            },
        ),
        responses=WebhookSerializer(many=True),
    ),
    "deliveries": extend_schema(
        operation_id="webhooks_deliveries",
        summary="List a webhook's deliveries",
        description=(
            "The subscription's deliveries, newest first, each with every attempt "
            "(time, duration, response code, the start of the answer, the error). "
            "Errors: 404 for an unknown id."
        ),
        filters=False,
        responses=DeliverySerializer(many=True),
    ),
}
