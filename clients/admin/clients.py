"""Clients, groups, activities and ledger in Django admin, for staff.

Every write goes through the services the API uses: the change form validates
with `ClientInputSerializer` and saves with `client_create` / `client_update`
(contacts included, through `contacts_sync`); the archive, restore and delete
actions call the bulk services; merge and purge call `client_merge` and
`clients_purge`. So a client changed by staff obeys exactly the API's rules and
leaves the same activity trail.
"""

import json
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import ngettext

from clients.api.inputs import ClientInputSerializer
from clients.fields import ADMIN_FIELDS, FIELDS_BY_KEY
from clients.models import Activity, Client
from clients.reference import COUNTRIES, INDUSTRIES, SIZES
from clients.services.bulk import clients_archive, clients_delete, clients_restore
from clients.services.clients import (
    DELETED_CLIENT_MESSAGE,
    client_create,
    client_update,
)
from clients.services.merge import client_merge
from clients.services.purge import clients_purge
from companies.required import missing_required
from config.admin import StateListFilter, in_staff_words, money, state_display
from config.api.exceptions import flatten_errors
from config.api.field_spec import Kind
from config.api.hashids import encode_id
from config.errors import Refusal
from contacts.admin import ContactInline, ContactInlineFormSet
from documents.admin import ClientDocumentInline

if TYPE_CHECKING:
    from django.contrib.admin.options import _FieldsetSpec

COUNTRY_NAMES = {int(row["id"]): row["name"] for row in COUNTRIES}
EMPTY_CHOICE = ("", "---------")

# The form's fields are the model fields the spec's admin fields write.
EDITABLE_FIELDS = tuple(field.source for field in ADMIN_FIELDS)
# API input key → admin form field, where they differ.
FORM_FIELD_BY_INPUT = {
    field.key: field.source for field in ADMIN_FIELDS if field.source != field.key
}
COMPUTED = "Computed (read-only)"
# How many names a purge message lists before "and N more".
PURGED_NAMES_SHOWN = 10
ACTIVITY_LABELS = {
    Activity.CREATE_CLIENT: "created",
    Activity.ARCHIVE_CLIENT: "archived",
    Activity.DELETE_CLIENT: "deleted",
    Activity.RESTORE_CLIENT: "restored",
    Activity.UPDATE_CLIENT: "updated",
    Activity.MERGE_CLIENT: "merged",
    Activity.UPLOAD_DOCUMENT: "document uploaded",
}


def _choices(rows: list[dict[str, str]]) -> list[tuple[Any, str]]:
    named = sorted(((int(row["id"]), row["name"]) for row in rows), key=lambda c: c[1])
    return [EMPTY_CHOICE, *named]


def _id_choice(rows: list[dict[str, str]], key: str) -> forms.TypedChoiceField:
    """A reference-table id as a choice of names, labelled as the spec says."""
    return forms.TypedChoiceField(
        choices=_choices(rows),
        coerce=int,
        empty_value=None,
        required=False,
        label=FIELDS_BY_KEY[key].label,
    )


def pretty_json(value: Any) -> str:
    """A JSON value, indented, for a read-only admin field."""
    return format_html("<pre>{}</pre>", json.dumps(value, indent=2, sort_keys=True))


def acting_user(request: HttpRequest) -> AbstractBaseUser | None:
    """The staff user, recorded on activities like an API user would be."""
    user = request.user
    return user if isinstance(user, AbstractBaseUser) else None


def mark_formsets_saved_elsewhere(formsets: list[Any]) -> None:
    """The admin's change message reads what each formset saved; ours save none."""
    for formset in formsets:
        if isinstance(formset, ContactInlineFormSet):
            formset.mark_saved_elsewhere()
        else:
            formset.new_objects, formset.changed_objects = [], []
            formset.deleted_objects = []


def with_unplaced_fields(fieldsets: "_FieldsetSpec") -> "_FieldsetSpec":
    """`fieldsets` with the editable fields it does not place (one just added to
    the spec) at the end of its first section, so that they show."""
    placed = set(flatten_fieldsets(fieldsets))
    unplaced = tuple(name for name in EDITABLE_FIELDS if name not in placed)
    if not unplaced:
        return fieldsets
    sections = list(fieldsets)
    title, options = sections[0]
    sections[0] = (title, {**options, "fields": (*options["fields"], *unplaced)})
    return sections


class ClientAdminForm(forms.ModelForm[Client]):
    """The editable client fields, checked by the API's `ClientInputSerializer`."""

    country_id = _id_choice(COUNTRIES, "country_id")
    shipping_country_id = _id_choice(COUNTRIES, "shipping_country_id")
    industry_id = _id_choice(INDUSTRIES, "industry_id")
    size_id = _id_choice(SIZES, "size_id")
    classification = forms.ChoiceField(
        choices=[EMPTY_CHOICE, *((c, c.title()) for c in Client.CLASSIFICATIONS)],
        required=False,
    )

    class Meta:
        model = Client
        fields = ("company", *EDITABLE_FIELDS)
        labels = {field.source: field.label for field in ADMIN_FIELDS if field.label}

    service_data: dict[str, Any] | None = None

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if self.instance.pk is not None:
            if self.instance.is_deleted:
                raise forms.ValidationError(
                    f"{DELETED_CLIENT_MESSAGE} (use the Restore action)."
                )
            company = self.instance.company
        else:
            company = cleaned.get("company")
        if company is None:
            return cleaned
        payload: dict[str, Any] = {}
        for spec in ADMIN_FIELDS:
            if spec.source not in cleaned:
                continue
            value = cleaned[spec.source]
            if spec.kind is Kind.HASHID:
                payload[spec.key] = encode_id(value.pk) if value else ""
            else:
                payload[spec.key] = "" if value is None else value
        serializer = ClientInputSerializer(
            data=payload,
            context={
                "company": company,
                "client": self.instance if self.instance.pk else None,
            },
        )
        if serializer.is_valid():
            self.service_data = dict(serializer.validated_data)
            missing = missing_required(
                self.service_data,
                company.required_labels("client"),
                only_sent=self.instance.pk is not None,
            )
            for key, texts in missing.items():
                field = FORM_FIELD_BY_INPUT.get(key, key)
                self.add_error(field if field in self.fields else None, texts)
            return cleaned
        for key, texts in flatten_errors(serializer.errors).items():
            field = FORM_FIELD_BY_INPUT.get(key, key)
            known = field in self.fields and field in self.cleaned_data
            for text in texts:
                if known:
                    label = str(self[field].label)
                    self.add_error(field, in_staff_words(text, key, label))
                else:
                    self.add_error(None, text)
        return cleaned


class CountryListFilter(admin.SimpleListFilter):
    """Clients by country; offers only the countries that clients have."""

    title = "country"
    parameter_name = "country"

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

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        value = self.value()
        if value is None:
            return queryset
        if not (str(value).isascii() and str(value).isdigit()):
            return queryset.none()
        return queryset.filter(country_id=int(value))


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin[Client]):
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

    @admin.display(description="state")
    def state_label(self, client: Client) -> str:
        return state_display(client)

    @admin.display(description="settings")
    def settings_json(self, client: Client) -> str:
        return pretty_json(client.settings)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        return (*fields, "company") if obj is not None else fields

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

    def has_purge_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("clients.delete_client")

    def has_merge_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("clients.change_client") and request.user.has_perm(
            "clients.delete_client"
        )

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

    # -- actions ----------------------------------------------------------------

    @admin.action(description="Archive selected clients", permissions=["change"])
    def archive_clients(self, request: HttpRequest, queryset: QuerySet[Client]) -> None:
        count = clients_archive(clients_queryset=queryset, user=acting_user(request))
        text = ngettext("Archived %d client.", "Archived %d clients.", count)
        self.message_user(request, text % count, messages.SUCCESS)

    @admin.action(description="Restore selected clients", permissions=["change"])
    def restore_clients(self, request: HttpRequest, queryset: QuerySet[Client]) -> None:
        count = clients_restore(clients_queryset=queryset, user=acting_user(request))
        text = ngettext("Restored %d client.", "Restored %d clients.", count)
        self.message_user(request, text % count, messages.SUCCESS)

    @admin.action(
        description="Delete selected clients (soft, can be restored)",
        permissions=["change"],
    )
    def delete_clients(self, request: HttpRequest, queryset: QuerySet[Client]) -> None:
        count = clients_delete(clients_queryset=queryset, user=acting_user(request))
        text = ngettext("Deleted %d client.", "Deleted %d clients.", count)
        self.message_user(request, text % count, messages.SUCCESS)

    def _with_counts(self, queryset: QuerySet[Client]) -> QuerySet[Client]:
        return (
            queryset.select_related("company")
            .annotate(
                live_contacts=Count(
                    "contacts", filter=Q(contacts__is_deleted=False), distinct=True
                ),
                document_count=Count("documents", distinct=True),
            )
            .order_by("pk")
        )

    def _rows(
        self, queryset: QuerySet[Client], limit: int | None = None
    ) -> list[Client]:
        clients = list(self._with_counts(queryset)[:limit])
        for client in clients:
            client.state_label = state_display(client)  # type: ignore[attr-defined]
            client.balance_label = money(client.balance)  # type: ignore[attr-defined]
            client.paid_label = money(client.paid_to_date)  # type: ignore[attr-defined]
        return clients

    def _confirmation(
        self,
        request: HttpRequest,
        template: str,
        title: str,
        action: str,
        clients: list[Client],
        **extra: Any,
    ) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "clients": clients,
            "action": action,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            **extra,
        }
        return TemplateResponse(request, f"admin/clients/client/{template}", context)

    @admin.action(description="Merge two clients…", permissions=["merge"])
    def merge_clients(
        self, request: HttpRequest, queryset: QuerySet[Client]
    ) -> HttpResponse | None:
        clients = self._rows(queryset, limit=3)
        if len(clients) != 2:
            self.message_user(
                request, "Select exactly two clients to merge.", messages.ERROR
            )
            return None
        if clients[0].company_id != clients[1].company_id:
            self.message_user(
                request,
                "Only clients of the same company can be merged.",
                messages.ERROR,
            )
            return None
        if request.POST.get("post") == "yes":
            chosen = request.POST.get("primary", "")
            by_pk = {str(client.pk): client for client in clients}
            if chosen not in by_pk:
                self.message_user(
                    request, "Choose which client to keep.", messages.ERROR
                )
            else:
                primary = by_pk.pop(chosen)
                merged = next(iter(by_pk.values()))
                merged_label = str(merged)
                try:
                    client_merge(
                        primary=primary, merged=merged, user=acting_user(request)
                    )
                except Refusal as exc:
                    self.message_user(request, exc.message, messages.ERROR)
                    return None
                self.message_user(
                    request,
                    f"Merged “{merged_label}” into “{primary}”.",
                    messages.SUCCESS,
                )
                return None
        return self._confirmation(
            request,
            "merge_confirmation.html",
            "Merge two clients",
            "merge_clients",
            clients,
        )

    @admin.action(
        description="Purge selected clients (permanent)…", permissions=["purge"]
    )
    def purge_clients(
        self, request: HttpRequest, queryset: QuerySet[Client]
    ) -> HttpResponse | None:
        clients = self._rows(queryset)
        if request.POST.get("post") == "yes":
            user = acting_user(request)
            names = [str(client) for client in clients]
            clients_purge(
                clients_queryset=Client.objects.filter(pk__in=[c.pk for c in clients]),
                user=user,
            )
            self.message_user(request, purged_message(names), messages.SUCCESS)
            return None
        return self._confirmation(
            request,
            "purge_confirmation.html",
            "Purge clients",
            "purge_clients",
            clients,
        )


def purged_message(names: list[str]) -> str:
    """`Purged 2 clients: “Acme Co.”, “Beta”`: quoted, so a name's own full stop
    is not doubled, and cut short for a long selection."""
    shown = ", ".join(f"“{name}”" for name in names[:PURGED_NAMES_SHOWN])
    if len(names) > PURGED_NAMES_SHOWN:
        shown += f" and {len(names) - PURGED_NAMES_SHOWN} more"
    text = ngettext(
        "Purged %(count)d client: %(names)s",
        "Purged %(count)d clients: %(names)s",
        len(names),
    )
    return text % {"count": len(names), "names": shown}
