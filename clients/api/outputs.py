"""The client and group objects as the API answers them, built by plain functions
over prefetched instances (list pages render thousands of clients); the DRF
serializers at the end only describe them in the OpenAPI schema."""

from collections.abc import Callable, Collection
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request

from clients.fields import CLIENT_SPEC, FIELDS_BY_KEY
from clients.models import Activity, Client, GroupSetting, LedgerEntry, display_name
from clients.selectors import (
    ACTIVITIES_ATTR,
    CONTACTS_ATTR,
    DOCUMENTS_ATTR,
    LEDGER_ATTR,
    TAGS_ATTR,
)
from config.api.field_spec import AnyField, compile_representation, schema_fields
from config.api.fields import unix_time
from config.api.hashids import encode_id
from contacts.representation import ContactSerializer, contact_representation
from documents.api.serializers import DocumentSerializer
from documents.representation import document_representation

AnyRequest = HttpRequest | Request | None


def group_representation(group: GroupSetting) -> dict[str, Any]:
    """The group settings object."""
    return {
        "id": encode_id(group.pk),
        "name": group.name,
        "settings": group.settings if isinstance(group.settings, dict) else {},
        "created_at": unix_time(group.created_at) if group.pk else 0,
        "updated_at": unix_time(group.updated_at) if group.pk else 0,
        "archived_at": unix_time(group.archived_at),
        "is_deleted": group.is_deleted,
    }


def activity_representation(activity: Activity) -> dict[str, Any]:
    return {
        "id": encode_id(activity.pk),
        "activity_type_id": str(activity.activity_type_id),
        "client_id": encode_id(activity.client_id),
        "user_id": encode_id(activity.user_id),
        "notes": activity.notes,
        "created_at": unix_time(activity.created_at),
        "updated_at": unix_time(activity.updated_at),
    }


def ledger_representation(entry: LedgerEntry) -> dict[str, Any]:
    return {
        "id": encode_id(entry.pk),
        "notes": entry.notes,
        "adjustment": float(entry.adjustment),
        "balance": float(entry.balance),
        "created_at": unix_time(entry.created_at),
        "updated_at": unix_time(entry.updated_at),
    }


def _related(client: Client, attr: str, read: Callable[[], QuerySet[Any]]) -> list[Any]:
    """The rows the selector attached under `attr`, or `read()` now; none for an
    unsaved client."""
    if client.pk is None:
        return []
    rows = getattr(client, attr, None)
    return rows if isinstance(rows, list) else list(read())


def live_contacts(client: Client) -> list[Any]:
    """The client's non-deleted contacts, primary first (prefetched or read now)."""
    return _related(
        client,
        CONTACTS_ATTR,
        lambda: client.contacts.filter(is_deleted=False).order_by("-is_primary", "id"),
    )


def client_documents(client: Client) -> list[Any]:
    """The client's documents by id (prefetched or read now)."""
    return _related(client, DOCUMENTS_ATTR, lambda: client.documents.order_by("id"))


def client_tags(client: Client) -> list[str]:
    """The client's tag names, sorted (attached by the selector, else read now)."""
    if client.pk is None:
        return []
    names = getattr(client, TAGS_ATTR, None)
    if not isinstance(names, list):
        names = list(
            client.tag_links.order_by("tag__key", "tag__name").values_list(
                "tag__name", flat=True
            )
        )
    return names


def recent_activities(client: Client) -> list[Activity]:
    """The 50 newest activities (read by `clients.selectors`, else read now)."""
    return _related(
        client,
        ACTIVITIES_ATTR,
        lambda: client.activities.order_by("-created_at", "-id")[:50],
    )


def ledger_newest_first(client: Client) -> list[LedgerEntry]:
    """The client's ledger, newest first (prefetched or read now)."""
    return _related(
        client, LEDGER_ATTR, lambda: client.ledger.order_by("-created_at", "-id")
    )


LOGO_DOWNLOAD_PATH = "/api/v1/clients/{id}/logo"
NO_LOGO = ("", "", "", "")


def logo_urls(client: Client, request: AnyRequest) -> tuple[str, str, str, str]:
    """The download URLs of the logo and its large, medium and small thumbnails
    (`GET /clients/{id}/logo[?size=...]`), all `""` without a logo."""
    if not client.logo_path or client.pk is None:
        return NO_LOGO
    path = LOGO_DOWNLOAD_PATH.format(id=encode_id(client.pk))
    url = (
        request.build_absolute_uri(path)
        if request is not None
        else f"{settings.APP_URL}{path}"
    )
    return (
        url,
        f"{url}?size=large" if client.logo_large_path else "",
        f"{url}?size=medium" if client.logo_medium_path else "",
        f"{url}?size=small" if client.logo_small_path else "",
    )


tags_spec = FIELDS_BY_KEY["tags"]

# Written out from the spec at import: list pages render up to 5,000 clients.
_client_object = compile_representation(CLIENT_SPEC, "client_object")


def client_representation(
    client: Client, request: AnyRequest, includes: Collection[str] = ()
) -> dict[str, Any]:
    """The client object, as `clients.selectors` reads it: the keys of
    `CLIENT_SPEC`, then what `includes` asks for.

    Contacts (non-deleted, primary first) and documents are attached by the selector;
    `includes` adds `activities`, `group_settings`, `ledger` and `system_logs`.
    """
    contacts = live_contacts(client)
    documents = client_documents(client)
    app_url = settings.APP_URL
    data = _client_object(
        client,
        display_name(client, contacts),
        [contact_representation(contact, app_url) for contact in contacts],
        [document_representation(doc, request) for doc in documents],
        [],  # gateway_tokens
        *logo_urls(client, request),
        client_tags(client),
    )
    if "activities" in includes:
        data["activities"] = [
            activity_representation(activity) for activity in recent_activities(client)
        ]
    if "ledger" in includes:
        data["ledger"] = [
            ledger_representation(entry) for entry in ledger_newest_first(client)
        ]
    if "system_logs" in includes:
        data["system_logs"] = []
    if "group_settings" in includes and client.group_settings_id is not None:
        group = client.group_settings
        if group is not None:
            data["group_settings"] = group_representation(group)
    return data


@extend_schema_serializer(
    description="A group of clients sharing settings (client → group → company)."
)
class GroupSettingSerializer(serializers.Serializer[GroupSetting]):
    """The group settings object (rendered by `group_representation`)."""

    id = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    settings = serializers.DictField(read_only=True)
    created_at = serializers.IntegerField(read_only=True)
    updated_at = serializers.IntegerField(read_only=True)
    archived_at = serializers.IntegerField(read_only=True)
    is_deleted = serializers.BooleanField(read_only=True)

    def to_representation(self, instance: GroupSetting) -> dict[str, Any]:
        return group_representation(instance)


@extend_schema_serializer(
    description=(
        "A client, in any state: active (`archived_at` 0), archived (`archived_at` "
        "set) or deleted (`is_deleted`). Numeric ids are strings, empty ids are "
        '`""`, timestamps are unix seconds (0 when unset); contacts come primary '
        "first."
    )
)
class ClientSerializer(serializers.Serializer[Client]):
    """The client object, for the OpenAPI schema: the keys of `CLIENT_SPEC`, then
    the includes (rendered by `client_representation`)."""

    def get_fields(self) -> dict[str, AnyField]:
        fields = schema_fields(
            CLIENT_SPEC,
            computed={
                "display_name": serializers.CharField(read_only=True),
                "contacts": ContactSerializer(many=True, read_only=True),
                "documents": DocumentSerializer(many=True, read_only=True),
                "gateway_tokens": serializers.ListField(
                    read_only=True, child=serializers.DictField()
                ),
                **{
                    field.key: serializers.CharField(
                        read_only=True, help_text=field.description
                    )
                    for field in CLIENT_SPEC
                    if field.key.startswith("logo")
                },
                "tags": serializers.ListField(
                    read_only=True,
                    child=serializers.CharField(),
                    help_text=tags_spec.description,
                ),
            },
        )
        fields["group_settings"] = GroupSettingSerializer(
            read_only=True, required=False, help_text="With include=group_settings."
        )
        return fields

    def to_representation(self, instance: Client) -> dict[str, Any]:
        return client_representation(
            instance, self.context.get("request"), self.context.get("includes", ())
        )
