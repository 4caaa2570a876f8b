"""Webhooks in Django admin: subscriptions, and their deliveries with each attempt.

Subscriptions are saved through the same services as the API (the URL and headers
checked the same way); the secret is shown once, in the message after creation.
Deliveries and attempts are a log: read only.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from config.admin import ReadOnlyMixin, state_display
from config.db import STATES
from webhooks.events import CLIENT_EVENTS, EVENTS_BY_ID
from webhooks.headers import HeadersRefused, checked_headers
from webhooks.models import Webhook, WebhookAttempt, WebhookDelivery
from webhooks.services import webhook_create, webhook_update, webhooks_change_state
from webhooks.targets import TargetRefused, resolve_target

EVENT_CHOICES = [(event.id, f"{event.name} ({event.id})") for event in CLIENT_EVENTS]


def event_name(event_id: int) -> str:
    event = EVENTS_BY_ID.get(event_id)
    return event.name if event else str(event_id)


class WebhookStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        return [
            *((name, name.capitalize()) for name in STATES),
            ("disabled", "Disabled"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        value = self.value()
        if value == "disabled":
            return queryset.filter(disabled_at__isnull=False)
        if value in STATES:
            return queryset.filter(STATES[str(value)])
        return queryset


class WebhookForm(forms.ModelForm[Webhook]):
    event_id = forms.TypedChoiceField(choices=EVENT_CHOICES, coerce=int)
    rest_method = forms.ChoiceField(choices=[("post", "post"), ("put", "put")])

    class Meta:
        model = Webhook
        fields = ("company", "event_id", "target_url", "rest_method", "headers")

    def clean_target_url(self) -> str:
        url = str(self.cleaned_data["target_url"]).strip()
        try:
            resolve_target(url)
        except TargetRefused as refused:
            raise ValidationError(str(refused)) from refused
        return url

    def clean_headers(self) -> dict[str, str]:
        try:
            return checked_headers(self.cleaned_data["headers"])
        except HeadersRefused as refused:
            raise ValidationError(str(refused)) from refused


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin[Webhook]):
    form = WebhookForm
    list_display = (
        "id",
        "company",
        "event",
        "target_url",
        state_display,
        "enabled",
        "disabled_reason",
        "consecutive_failures",
    )
    list_filter = (WebhookStateFilter, "event_id")
    search_fields = ("target_url", "company__name")
    list_select_related = ("company",)
    readonly_fields = ("disabled_at", "disabled_reason", "consecutive_failures")
    actions = ("archive_webhooks", "restore_webhooks", "delete_webhooks")

    @admin.display(description="event", ordering="event_id")
    def event(self, webhook: Webhook) -> str:
        return event_name(webhook.event_id)

    @admin.display(description="enabled", boolean=True)
    def enabled(self, webhook: Webhook) -> bool:
        return webhook.disabled_at is None

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        return ("company", *fields) if obj is not None else fields

    def save_model(
        self, request: HttpRequest, obj: Webhook, form: Any, change: bool
    ) -> None:
        data = {key: form.cleaned_data[key] for key in WebhookForm.Meta.fields[1:]}
        user = request.user if isinstance(request.user, AbstractBaseUser) else None
        if change:
            saved = webhook_update(webhook=obj, data=data)
        else:
            saved = webhook_create(
                company=form.cleaned_data["company"], user=user, data=data
            )
        obj.pk = saved.pk
        if not change:
            messages.warning(
                request,
                f"The signing secret, shown this once: {saved.secret}",
            )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting is the soft delete of the actions (the log stays).
        return False

    def _change_state(
        self, request: HttpRequest, rows: QuerySet[Webhook], name: str
    ) -> None:
        count = webhooks_change_state(webhooks_queryset=rows, action=name)
        self.message_user(request, f"{count} webhook(s): {name}d.")

    @admin.action(description="Archive selected webhooks")
    def archive_webhooks(self, request: HttpRequest, rows: QuerySet[Webhook]) -> None:
        self._change_state(request, rows, "archive")

    @admin.action(description="Restore (and enable) selected webhooks")
    def restore_webhooks(self, request: HttpRequest, rows: QuerySet[Webhook]) -> None:
        self._change_state(request, rows, "restore")

    @admin.action(description="Delete selected webhooks")
    def delete_webhooks(self, request: HttpRequest, rows: QuerySet[Webhook]) -> None:
        self._change_state(request, rows, "delete")


class AttemptInline(
    ReadOnlyMixin, admin.TabularInline[WebhookAttempt, WebhookDelivery]
):
    model = WebhookAttempt
    fields = (
        "number",
        "started_at",
        "duration_ms",
        "response_status",
        "response_body",
        "error",
    )
    readonly_fields = fields
    extra = 0


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyMixin, admin.ModelAdmin[WebhookDelivery]):
    list_display = (
        "id",
        "webhook",
        "event",
        "entity_key",
        "status",
        "attempts",
        "created_at",
        "next_attempt_at",
        "delivered_at",
    )
    list_filter = ("status", "event")
    search_fields = ("entity_key", "idempotency_id", "webhook__target_url")
    list_select_related = ("webhook",)
    inlines = (AttemptInline,)
    readonly_fields = (
        "webhook",
        "event_id",
        "event",
        "entity_key",
        "idempotency_id",
        "status",
        "attempts",
        "next_attempt_at",
        "lease_until",
        "created_at",
        "delivered_at",
        "body",
    )
    fields = readonly_fields
