"""Clients in Django admin, for staff: the list, the change page and the actions.

Every write goes through the services the API uses: the change form validates
with `ClientInputSerializer` and saves with `client_create` / `client_update`
(contacts included, through `contacts_sync`); the archive, restore and delete
actions call the bulk services; merge and purge call `client_merge` and
`clients_purge`. So a client changed by staff obeys exactly the API's rules and
leaves the same activity trail.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from clients.admin.actions import ClientActionsAdmin
from clients.admin.client_form import ClientAdminForm, with_unplaced_fields
from clients.admin.common import acting_user
from clients.models import Client
from clients.reference import COUNTRIES
from clients.services.clients import (
    client_create,
    client_update,
)
from config.admin import IdListFilter, StateListFilter, money
from config.api.hashids import encode_id
from contacts.admin import ContactInline, ContactInlineFormSet
from documents.admin import ClientDocumentInline

COUNTRY_NAMES = {int(row["id"]): row["name"] for row in COUNTRIES}
COMPUTED = "Computed (read-only)"


def mark_formsets_saved_elsewhere(formsets: list[Any]) -> None:
    """The admin's change message reads what each formset saved; ours save none."""
    for formset in formsets:
        if isinstance(formset, ContactInlineFormSet):
            formset.mark_saved_elsewhere()
        else:
            formset.new_objects, formset.changed_objects = [], []
            formset.deleted_objects = []


class CountryListFilter(IdListFilter):
    """Clients by country; offers only the countries that clients have."""

    title = "country"
    parameter_name = "country"
    field_name = "country_id"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        ids = (
            Client.objects.order_by()
            .values_list("country_id", flat=True)
            .distinct()
            .exclude(country_id=None)
        )
        return sorted(
            ((str(pk), COUNTRY_NAMES.get(pk, str(pk))) for pk in ids if pk is not None),
            key=lambda choice: choice[1],
        )


@admin.register(Client)
class ClientAdmin(ClientActionsAdmin):
    """Clients of every company: search, filters, the API's bulk actions, merge and
    purge. Nothing is hard-deleted except by the purge action."""

    form = ClientAdminForm
    list_display = (
        "name",
        "number",
        "company",
        "balance_money",
        "state_label",
        "group_settings",
        "updated_at",
    )
    list_select_related = ("company", "group_settings")
    # No unfiltered COUNT(*) over every client on each page view.
    show_full_result_count = False
    list_filter = (
        "company",
        StateListFilter,
        CountryListFilter,
        ("group_settings", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("name", "number", "id_number", "contacts__email")
    ordering = ("-updated_at", "-pk")
    autocomplete_fields = ("company", "group_settings", "assigned_user")
    inlines = (ContactInline, ClientDocumentInline)
    actions = (
        "archive_clients",
        "restore_clients",
        "delete_clients",
        "merge_clients",
        "purge_clients",
    )
    computed_fields = (
        "hashed_id",
        "state_label",
        "balance_money",
        "paid_to_date_money",
        "credit_balance_money",
        "payment_balance_money",
        "client_hash",
        "settings_json",
        "user",
        "created_at",
        "updated_at",
        "archived_at",
    )
    readonly_fields = computed_fields
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "company",
                    "name",
                    ("number", "id_number", "vat_number"),
                    ("classification", "industry_id", "size_id"),
                    ("website", "phone"),
                    ("group_settings", "assigned_user"),
                )
            },
        ),
        (
            "Address",
            {
                "fields": (
                    ("address1", "address2"),
                    ("city", "state", "postal_code"),
                    "country_id",
                )
            },
        ),
        (
            "Shipping address",
            {
                "classes": ("collapse",),
                "fields": (
                    ("shipping_address1", "shipping_address2"),
                    ("shipping_city", "shipping_state", "shipping_postal_code"),
                    "shipping_country_id",
                ),
            },
        ),
        (
            "Notes and custom values",
            {
                "classes": ("collapse",),
                "fields": (
                    "private_notes",
                    "public_notes",
                    ("custom_value1", "custom_value2"),
                    ("custom_value3", "custom_value4"),
                    ("routing_id", "is_tax_exempt", "has_valid_vat_number"),
                ),
            },
        ),
        (COMPUTED, {"fields": computed_fields}),
    )

    @admin.display(description="API id")
    def hashed_id(self, client: Client) -> str:
        return encode_id(client.pk)

    @admin.display(description="balance", ordering="balance")
    def balance_money(self, client: Client) -> str:
        return money(client.balance)

    @admin.display(description="paid to date")
    def paid_to_date_money(self, client: Client) -> str:
        return money(client.paid_to_date)

    @admin.display(description="credit balance")
    def credit_balance_money(self, client: Client) -> str:
        return money(client.credit_balance)

    @admin.display(description="payment balance")
    def payment_balance_money(self, client: Client) -> str:
        return money(client.payment_balance)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        # A new client has nothing computed yet; its unsaved instance would show a
        # made-up hash and creation time that the saved client does not get.
        fieldsets = with_unplaced_fields(super().get_fieldsets(request, obj))
        if obj is None:
            return [(name, options) for name, options in fieldsets if name != COMPUTED]
        return fieldsets

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> Any:
        # Documents are uploaded through the API, so a new client has none.
        return self.inlines if obj is not None else (ContactInline,)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Hard deletes only through the purge action, which removes stored files.
        return False

    # -- saving through the services -------------------------------------------

    def save_model(
        self, request: HttpRequest, obj: Client, form: Any, change: bool
    ) -> None:
        # Written in save_related, where the contacts are known, in one service call.
        return None

    def save_related(
        self, request: HttpRequest, form: Any, formsets: Any, change: bool
    ) -> None:
        data = dict(form.service_data or {})
        for formset in formsets:
            if isinstance(formset, ContactInlineFormSet):
                data["contacts"] = formset.contacts_for_sync or []
        mark_formsets_saved_elsewhere(list(formsets))
        user = acting_user(request)
        if change:
            client = client_update(client=form.instance, user=user, data=data)
        else:
            client = client_create(
                company=form.cleaned_data["company"], user=user, data=data
            )
        form.instance.pk = client.pk
        form.instance._state.adding = False
        form.instance.refresh_from_db()
