"""Subscriptions, the outbox of deliveries they get, and the log of each attempt.

A delivery row is written in the same transaction as the client change that
caused it (with the task row that sends it), so a change that commits always has
its deliveries and one that rolls back has none.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from companies.models import Company
from config.db import SoftStateModel


def new_webhook_secret() -> str:
    return secrets.token_hex(32)


class Webhook(SoftStateModel):
    """A company's subscription: one event sent to one URL."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="webhooks"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    event_id = models.PositiveSmallIntegerField()
    target_url = models.CharField(max_length=2000)
    format = models.CharField(max_length=10, default="JSON")
    rest_method = models.CharField(max_length=10, default="post")
    # Sent with every delivery: {"X-Name": "value"}.
    headers = models.JSONField(default=dict, blank=True)
    # Signs every body (HMAC-SHA256); the API shows it once, at creation.
    secret = models.CharField(max_length=64, default=new_webhook_secret)
    # Set when deliveries kept failing; a PUT or restore that re-enables clears it.
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=255, blank=True, default="")
    consecutive_failures = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["company", "event_id"])]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.target_url}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


class WebhookDelivery(models.Model):
    """One event for one subscription: the outbox row the worker sends and retries."""

    webhook = models.ForeignKey(
        Webhook, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.PositiveSmallIntegerField()
    event = models.CharField(max_length=40)
    # The deliveries of one entity ("client:42") go out in the order of their ids.
    entity_key = models.CharField(max_length=64)
    # The exact bytes sent (and signed), the same on every attempt.
    body = models.TextField()
    idempotency_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # A worker holds a delivery while it sends it; a worker that dies lets it lapse.
    lease_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "webhook deliveries"
        indexes = [
            models.Index(fields=["webhook", "entity_key", "status", "id"]),
            models.Index(fields=["status", "next_attempt_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.event} #{self.pk} ({self.status})"


class WebhookAttempt(models.Model):
    """One try at sending a delivery: what the receiver answered, or why it failed."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(default=0)
    # None when no answer came (refused, timed out, blocked address).
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True, default="")
    error = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"attempt {self.number} of {self.delivery_id}"
