"""Read-only Django admin for the activity log and the ledger."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from clients.admin.common import ACTIVITY_LABELS
from clients.models import Activity, LedgerEntry
from config.admin import IdListFilter, ReadOnlyMixin, money


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin[Any]):
    """A log that staff may read but never change."""


def activity_label(type_id: int) -> str:
    return ACTIVITY_LABELS.get(type_id, f"type {type_id}")


class ActivityTypeListFilter(IdListFilter):
    """Activities by type, named; offers every type this server writes."""

    title = "activity"
    parameter_name = "type"
    field_name = "activity_type_id"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        return [(str(pk), label.capitalize()) for pk, label in ACTIVITY_LABELS.items()]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    """The activity log of every client (read-only)."""

    list_display = (
        "created_at",
        "client_link",
        "company",
        "activity",
        "notes",
        "user",
    )
    list_select_related = ("client", "company", "user")
    list_filter = (ActivityTypeListFilter,)
    search_fields = ("notes", "client__name", "client__number")
    ordering = ("-created_at", "-pk")
    fields = ("created_at", "client", "company", "activity", "notes", "user")
    readonly_fields = ("created_at", "activity")

    @admin.display(description="activity", ordering="activity_type_id")
    def activity(self, row: Activity) -> str:
        return activity_label(row.activity_type_id)

    # Not the plain foreign key column, which never wraps and pushed the row past
    # a 1,400 px window.
    @admin.display(description="client", ordering="client__name")
    def client_link(self, row: Activity) -> str:
        if row.client is None:
            return "-"
        url = reverse("admin:clients_client_change", args=[row.client_id])
        return format_html('<a href="{}">{}</a>', url, row.client)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    """Balance adjustments of every client (read-only)."""

    list_display = (
        "created_at",
        "client",
        "company",
        "adjustment_money",
        "balance_money",
        "notes",
    )
    list_select_related = ("client", "company")
    search_fields = ("notes", "client__name", "client__number")
    ordering = ("-created_at", "-pk")
    fields = list_display
    readonly_fields = ("created_at", "adjustment_money", "balance_money")

    @admin.display(description="adjustment", ordering="adjustment")
    def adjustment_money(self, entry: LedgerEntry) -> str:
        return money(entry.adjustment)

    @admin.display(description="balance", ordering="balance")
    def balance_money(self, entry: LedgerEntry) -> str:
        return money(entry.balance)
