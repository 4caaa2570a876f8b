"""Subscription writes: create, update, archive, restore, delete.

Input arrives checked (the API's input serializer, the admin's form); the URL
and headers are checked again here, so no path stores what they refuse. A PUT
and a restore re-enable a subscription that was disabled for failing: saving it
is how its owner says the receiver is fixed.
"""

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from companies.models import Company
from config.db import ACTIVE, NOT_ACTIVE, NOT_DELETED
from webhooks.headers import HeadersRefused, checked_headers
from webhooks.models import Webhook
from webhooks.targets import TargetRefused, resolve_target

WRITABLE = ("target_url", "event_id", "format", "rest_method", "headers")
ENABLED = {"disabled_at": None, "disabled_reason": "", "consecutive_failures": 0}


def _check_target(url: str) -> None:
    try:
        resolve_target(url)
    except TargetRefused as refused:
        raise ValidationError({"target_url": [str(refused)]}) from refused


def _apply(webhook: Webhook, data: Mapping[str, Any]) -> None:
    if "target_url" in data:
        _check_target(data["target_url"])
    if "headers" in data:
        try:
            checked_headers(data["headers"])
        except HeadersRefused as refused:
            raise ValidationError({"headers": [str(refused)]}) from refused
    for key in WRITABLE:
        if key in data:
            setattr(webhook, key, data[key])


@transaction.atomic
def webhook_create(
    *, company: Company, user: AbstractBaseUser | None, data: Mapping[str, Any]
) -> Webhook:
    """A new subscription; its secret is generated here and shown once."""
    webhook = Webhook(company=company, user_id=getattr(user, "pk", None))
    _apply(webhook, data)
    webhook.save()
    return webhook


@transaction.atomic
def webhook_update(*, webhook: Webhook, data: Mapping[str, Any]) -> Webhook:
    """Change the fields sent, and enable the subscription again."""
    locked = Webhook.objects.select_for_update().get(pk=webhook.pk)
    _apply(locked, data)
    for key, value in ENABLED.items():
        setattr(locked, key, value)
    locked.save()
    return locked


@transaction.atomic
def webhooks_change_state(*, webhooks_queryset: QuerySet[Webhook], action: str) -> int:
    """Archive, restore (and re-enable) or soft-delete the set; how many changed."""
    now = timezone.now()
    rows = webhooks_queryset.order_by()
    if action == "archive":
        return rows.filter(ACTIVE).update(archived_at=now, updated_at=now)
    if action == "restore":
        return rows.filter(NOT_ACTIVE).update(
            archived_at=None, is_deleted=False, updated_at=now, **ENABLED
        )
    if action == "delete":
        return rows.filter(NOT_DELETED).update(
            is_deleted=True, archived_at=now, updated_at=now
        )
    raise ValueError(f"unknown action {action}")
