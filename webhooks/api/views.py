"""`/api/v1/webhooks`: subscriptions to client events, and their delivery log.

Only a company's admins and owner manage webhooks: a subscription receives every
client of the company, whatever its creator may see.
"""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_view
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.bulk import BulkMixin, BulkRun, BulkService
from config.api.mixins import (
    CreateMixin,
    DestroyMixin,
    ListMixin,
    PatchMixin,
    RetrieveMixin,
)
from config.api.pagination import queryset_page
from config.api.permissions import request_membership
from webhooks.api.filters import WebhookFilterSet
from webhooks.api.inputs import WebhookInputSerializer
from webhooks.api.openapi import WEBHOOK_OPERATIONS
from webhooks.api.outputs import (
    WebhookSerializer,
    delivery_representation,
    webhook_representation,
)
from webhooks.models import Webhook, WebhookDelivery
from webhooks.services import (
    webhook_create,
    webhook_update,
    webhooks_change_state,
)

WEBHOOK_NOT_FOUND = "Webhook not found"
DELETED_WEBHOOK_MESSAGE = (
    "Record is deleted and cannot be edited. Restore the record to enable editing"
)


class AdminsOnly(BasePermission):
    message = "Only the company's admins and owner may manage webhooks."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return request_membership(request).is_admin_or_owner


def _change_state(name: str) -> BulkService:
    def change(rows: QuerySet[Any], run: BulkRun) -> int:
        return webhooks_change_state(webhooks_queryset=rows, action=name)

    return change


@extend_schema_view(**WEBHOOK_OPERATIONS)
class WebhookViewSet(
    ListMixin, RetrieveMixin, CreateMixin, PatchMixin, DestroyMixin, BulkMixin
):
    """`/api/v1/webhooks`: subscriptions to client events."""

    model = Webhook
    permission_classes = [IsAuthenticated, AdminsOnly]
    permission_entity = "webhook"
    not_found_message = WEBHOOK_NOT_FOUND
    deleted_message = DELETED_WEBHOOK_MESSAGE
    serializer_class = WebhookSerializer
    filterset_class = WebhookFilterSet
    input_serializer_class = WebhookInputSerializer
    bulk_services = {
        name: _change_state(name) for name in ("archive", "restore", "delete")
    }
    bulk_description = (
        "archive, restore (and enable again) or delete subscriptions; ids outside "
        "the company → 422."
    )

    def get_queryset(self) -> QuerySet[Webhook]:
        if getattr(self, "swagger_fake_view", False):
            return Webhook.objects.none()
        return Webhook.objects.filter(company=self.company).order_by("id")

    def represent(self, row: Webhook) -> dict[str, Any]:
        return webhook_representation(row)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        webhook = self.perform_create(self.validated_input())
        # The one answer that shows the secret.
        return Response({"data": {**self.represent(webhook), "secret": webhook.secret}})

    def perform_create(self, data: dict[str, Any]) -> Webhook:
        return webhook_create(company=self.company, user=self.user, data=data)

    def perform_update(self, row: Webhook, data: dict[str, Any]) -> Webhook:
        return webhook_update(webhook=row, data=data)

    def perform_destroy(self, row: Webhook) -> None:
        webhooks_change_state(
            webhooks_queryset=Webhook.objects.filter(pk=row.pk), action="delete"
        )
        row.refresh_from_db()

    def editable_rows(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows

    @action(detail=True, methods=["get"], url_path="deliveries")
    def deliveries(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The subscription's deliveries, newest first, each with its attempts."""
        webhook = self.get_object()
        rows = (
            WebhookDelivery.objects.filter(webhook_id=webhook.pk)
            .prefetch_related("attempt_log")
            .order_by("-id")
        )
        page = queryset_page(rows, self.paginator.window(request))
        return self.paginator.respond(
            page, [delivery_representation(row) for row in page.rows]
        )
