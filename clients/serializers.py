"""Client and group input validation, and their output (API.md §4, §6, §10).

Input serializers only validate; services write. Output is built by plain functions
(`client_representation`, `group_representation`) over prefetched instances, because
list pages render thousands of clients; the DRF output serializers below exist to
describe those objects in the OpenAPI schema.
"""

from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.db.models import Q
from django.http import HttpRequest
from django.utils.html import strip_tags
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.request import Request

from clients.models import Activity, Client, GroupSetting, LedgerEntry
from clients.queries import (
    ACTIVITIES_ATTR,
    CONTACTS_ATTR,
    DOCUMENTS_ATTR,
    LEDGER_ATTR,
)
from clients.reference import (
    country_id_for_code,
    currency_id_for_code,
    is_country_id,
    language_id_for_locale,
)
from clients.settings_rules import SettingsInvalid, settings_clean
from companies.models import Company
from config.api.fields import HashidRelatedField, unix_time
from config.api.hashids import encode_id
from contacts.serializers import (
    ContactInputSerializer,
    ContactSerializer,
    contact_representation,
    validate_contacts,
)
from documents.serializers import DocumentSerializer, document_representation

User = get_user_model()

MAX_INTEGER = 2_147_483_647
NO_CONTACT = "No Contact Set"
# Client fields a write sets as they are (the API's input names); the CSV transfer
# and the admin form list them in this order.
PLAIN_CLIENT_FIELDS = (
    "name",
    "number",
    "id_number",
    "vat_number",
    "classification",
    "website",
    "phone",
    "address1",
    "address2",
    "city",
    "state",
    "postal_code",
    "country_id",
    "shipping_address1",
    "shipping_address2",
    "shipping_city",
    "shipping_state",
    "shipping_postal_code",
    "shipping_country_id",
    "industry_id",
    "size_id",
    "routing_id",
    "is_tax_exempt",
    "has_valid_vat_number",
    "private_notes",
    "public_notes",
    "custom_value1",
    "custom_value2",
    "custom_value3",
    "custom_value4",
)

BULK_UPDATE_COLUMNS = (
    "public_notes",
    "industry_id",
    "size_id",
    "country_id",
    "custom_value1",
    "custom_value2",
    "custom_value3",
    "custom_value4",
)

# ---------------------------------------------------------------------------
# Input fields


def _label(field: serializers.Field) -> str:
    return (field.field_name or "value").replace("_", " ")


class TextField(serializers.CharField):
    """A string; null means `""` (strings are never null in this API)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def bind(self, field_name: str, parent: Any) -> None:
        super().bind(field_name, parent)
        label = _label(self)
        self.error_messages["invalid"] = f"The {label} must be a string."
        self.error_messages["max_length"] = (
            f"The {label} may not be greater than {{max_length}} characters."
        )
        self.error_messages["null_characters_not_allowed"] = (
            f"The {label} may not contain null characters."
        )
        if self.max_length is not None:
            # CharField builds its length validator (and message) in __init__.
            self.validators = [
                *(v for v in self.validators if not isinstance(v, MaxLengthValidator)),
                MaxLengthValidator(
                    self.max_length,
                    message=self.error_messages["max_length"].format(
                        max_length=self.max_length
                    ),
                ),
            ]

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if data is None:
            return True, ""
        return super().validate_empty_values(data)


class OptionalIntegerField(serializers.IntegerField):
    """A non-negative integer id; `""` and null mean none."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def bind(self, field_name: str, parent: Any) -> None:
        super().bind(field_name, parent)
        message = f"The {_label(self)} must be an integer."
        for code in ("invalid", "max_string_length", "min_value", "max_value"):
            self.error_messages[code] = message
        self.validators = [
            validator
            for validator in self.validators
            if not isinstance(validator, MinValueValidator | MaxValueValidator)
        ]

    def run_validation(self, data: Any = empty) -> Any:
        value = super().run_validation(data)
        if value is not None and not (0 <= value <= MAX_INTEGER):
            self.fail("invalid")
        return value

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if data == "":
            data = None
        return super().validate_empty_values(data)

    def to_internal_value(self, data: Any) -> int:
        # `int("٣")` is 3: ids are ASCII digits only.
        if isinstance(data, bool) or (isinstance(data, str) and not data.isascii()):
            self.fail("invalid")
        value: int = super().to_internal_value(data)
        return value


class CountryIdField(OptionalIntegerField):
    """A country id from the reference table; `""` and null mean none."""

    def to_internal_value(self, data: Any) -> int:
        value = super().to_internal_value(data)
        if not is_country_id(value):
            raise serializers.ValidationError(
                f"The selected {_label(self)} is invalid."
            )
        return value


class FlagField(serializers.BooleanField):
    """A boolean that also takes form spellings; `""` and null are false."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def bind(self, field_name: str, parent: Any) -> None:
        super().bind(field_name, parent)
        message = f"The {_label(self)} field must be true or false."
        self.error_messages["invalid"] = message

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if data is None or data == "":
            return True, False
        return super().validate_empty_values(data)


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": True,
        "description": (
            "Settings keys, merged key by key into the stored settings. Integer "
            "keys (`currency_id`, `language_id`, `payment_terms`…) are stored as "
            'strings ("2"); null and "" values are dropped; unknown keys are kept.'
        ),
    }
)
class SettingsField(serializers.Field):
    """Client or group settings, typed by `settings_clean` (API.md §6)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if data is None:
            return True, {}
        return super().validate_empty_values(data)

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        try:
            return settings_clean(data)
        except SettingsInvalid as exc:
            raise serializers.ValidationError(exc.messages) from None

    def to_representation(self, value: Any) -> Any:
        return value


@extend_schema_field(ContactInputSerializer(many=True))
class ContactsField(serializers.Field):
    """The whole `contacts` array, validated by the contacts app; null = not sent."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[dict[str, Any]]:
        try:
            return validate_contacts(data)
        except serializers.ValidationError as exc:
            detail = exc.detail
            if isinstance(detail, dict) and "contacts" in detail:
                raise serializers.ValidationError(detail["contacts"]) from None
            raise

    def to_representation(self, value: Any) -> Any:
        return value


@extend_schema_field({"type": "array", "items": {}})
class DocumentsField(serializers.Field):
    """`documents` in a JSON body must be an array; uploads go to /upload."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if data is None:  # `null` too must be an array (upstream answers 422)
            self.to_internal_value(data)
            return True, None
        return super().validate_empty_values(data)

    def to_internal_value(self, data: Any) -> None:
        request = self.context.get("request")
        is_json = "json" in str(getattr(request, "content_type", "") or "")
        if is_json and not isinstance(data, list):
            raise serializers.ValidationError("The documents must be an array.")
        return None

    def to_representation(self, value: Any) -> Any:
        return value


@extend_schema_field(OpenApiTypes.STR)
class CompanyRelatedField(HashidRelatedField):
    """A hashed id of a row in the request's company, with upstream's message."""

    def bind(self, field_name: str, parent: Any) -> None:
        super().bind(field_name, parent)
        self.error_messages["invalid"] = f"The selected {_label(self)} is invalid."
        self.error_messages["does_not_exist"] = self.error_messages["invalid"]
        self.error_messages["incorrect_type"] = self.error_messages["invalid"]


def _string(max_length: int | None = 255, **kwargs: Any) -> TextField:
    return TextField(max_length=max_length, **kwargs)


@extend_schema_serializer(
    component_name="Client",
    description=(
        "The writable fields of a client; keys left out keep their values, and "
        "read-only keys of the client object (`id`, `balance`, timestamps…) are "
        "ignored, so a client as answered can be sent back. `country_code`, "
        "`shipping_country_code` (ISO alpha-2 or alpha-3), `currency_code` and "
        "`language_code` set `country_id`, `shipping_country_id`, "
        "`settings.currency_id` and `settings.language_id`."
    ),
)
class ClientInputSerializer(serializers.Serializer[Client]):
    """The writable client fields (API.md §6); everything else is ignored.

    Only keys that were sent end up in `validated_data` (so an update leaves the
    rest alone), with model field names: `group_settings_id` → `group_settings`,
    `assigned_user_id` → `assigned_user`. `country_code`, `shipping_country_code`,
    `currency_code` and `language_code` are resolved here into `country_id`,
    `shipping_country_id` and `settings`. Context: `company`, optionally `client`
    (the one being updated) and `request`.
    """

    name = _string()
    website = _string()
    private_notes = _string(None)
    public_notes = _string(None)
    industry_id = OptionalIntegerField()
    size_id = OptionalIntegerField()
    address1 = _string()
    address2 = _string()
    city = _string()
    state = _string()
    postal_code = _string()
    country_id = CountryIdField()
    phone = _string()
    custom_value1 = _string(None)
    custom_value2 = _string(None)
    custom_value3 = _string(None)
    custom_value4 = _string(None)
    shipping_address1 = _string()
    shipping_address2 = _string()
    shipping_city = _string()
    shipping_state = _string()
    shipping_postal_code = _string()
    shipping_country_id = CountryIdField()
    settings = SettingsField()
    vat_number = _string()
    id_number = _string()
    number = _string()
    routing_id = _string()
    classification = _string(
        32,
        help_text=(
            "individual, business, company, partnership, trust, charity, "
            'government or other; "" for none.'
        ),
    )
    is_tax_exempt = FlagField()
    has_valid_vat_number = FlagField()
    group_settings_id = CompanyRelatedField(
        source="group_settings",
        queryset=GroupSetting.objects.all(),
        help_text='The hashed id of one of the company\'s groups; "" or null: none.',
    )
    assigned_user_id = CompanyRelatedField(
        source="assigned_user",
        queryset=User.objects.all(),
        company_lookup="memberships__company",
        help_text='The hashed id of a member of the company; "" or null: none.',
    )
    contacts = ContactsField(
        help_text=(
            "The whole set of contacts: matched by `id`, those left out are "
            "deleted, those without a known `id` are added. The first one marked "
            "`is_primary` (else the first) becomes the primary contact. Left out: "
            "contacts unchanged (on create, one blank contact)."
        )
    )
    documents = DocumentsField(
        help_text="Ignored (an array when sent); files go to `/clients/{id}/upload`."
    )
    country_code = _string(None)
    shipping_country_code = _string(None)
    currency_code = _string(None)
    language_code = _string(None)

    @property
    def company(self) -> Company:
        company: Company = self.context["company"]
        return company

    def validate_name(self, value: str) -> str:
        return strip_tags(value).strip()

    def validate_classification(self, value: str) -> str:
        if value and value not in Client.CLASSIFICATIONS:
            raise serializers.ValidationError("The selected classification is invalid.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs.pop("documents", None)
        self._resolve_codes(attrs)
        self._check_unique(attrs)
        return attrs

    def _resolve_codes(self, attrs: dict[str, Any]) -> None:
        """The `*_code` conveniences of upstream's client requests."""
        company_country = as_country(self.company.setting("country_id"))
        for code_key, id_key in (
            ("country_code", "country_id"),
            ("shipping_country_code", "shipping_country_id"),
        ):
            code = attrs.pop(code_key, "")
            if code:
                attrs[id_key] = country_id_for_code(code) or company_country
        currency_code = attrs.pop("currency_code", "")
        language_code = attrs.pop("language_code", "")
        if currency_code:
            currency_id = currency_id_for_code(currency_code)
            settings_in = attrs.setdefault("settings", {})
            settings_in["currency_id"] = str(
                currency_id or self.company.setting("currency_id")
            )
        if language_code:
            language_id = language_id_for_locale(language_code)
            if language_id is not None:
                attrs.setdefault("settings", {})["language_id"] = str(language_id)

    def _check_unique(self, attrs: dict[str, Any]) -> None:
        """`number` and `id_number` are unique in the company, deleted clients too."""
        wanted = {key: attrs[key] for key in ("number", "id_number") if attrs.get(key)}
        if not wanted:
            return
        condition = Q()
        for key, value in wanted.items():
            # The `!= ""` term is the partial unique index's condition: with it the
            # index serves the lookup instead of a scan of the company's clients.
            condition |= Q(**{key: value}) & ~Q(**{key: ""})
        others = Client.objects.filter(company=self.company).filter(condition)
        client = self.context.get("client")
        if client is not None and client.pk is not None:
            others = others.exclude(pk=client.pk)
        errors: dict[str, list[str]] = {}
        for number, id_number in others.values_list("number", "id_number")[:10]:
            if "number" in wanted and number == wanted["number"]:
                errors["number"] = [NUMBER_TAKEN]
            if "id_number" in wanted and id_number == wanted["id_number"]:
                errors["id_number"] = [ID_NUMBER_TAKEN]
        if errors:
            raise serializers.ValidationError(errors)


NUMBER_TAKEN = "The number has already been taken."
ID_NUMBER_TAKEN = "The id number has already been taken."


def as_country(value: object) -> int | None:
    """A stored country setting (`"840"`) as a known country id, else None."""
    try:
        number = int(str(value))
    except ValueError:
        return None
    return number if is_country_id(number) else None


class BulkActionSerializer(serializers.Serializer[Any]):
    """`POST /clients/bulk`: the action and its extra keys (the ids are checked
    by the view, against the company's clients)."""

    ACTIONS = ("archive", "restore", "delete", "assign_group", "bulk_update")

    action = serializers.CharField()
    group_settings_id = CompanyRelatedField(
        source="group_settings", queryset=GroupSetting.objects.all()
    )
    column = serializers.CharField(required=False, allow_blank=True)
    new_value = serializers.JSONField(required=False, allow_null=True)

    def validate_action(self, value: str) -> str:
        action = value.strip().lower()
        if action not in self.ACTIONS:
            raise serializers.ValidationError("The selected action is invalid.")
        return action

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        action = attrs["action"]
        if action == "assign_group" and attrs.get("group_settings") is None:
            raise serializers.ValidationError(
                {"group_settings_id": ["The group settings id field is required."]}
            )
        if action == "bulk_update":
            attrs["new_value"] = self._bulk_value(attrs)
        return attrs

    def _bulk_value(self, attrs: dict[str, Any]) -> Any:
        column = attrs.get("column") or ""
        if column not in BULK_UPDATE_COLUMNS:
            raise serializers.ValidationError(
                {"column": ["The selected column is invalid."]}
            )
        value = attrs.get("new_value")
        field: serializers.Field
        if column == "country_id":
            field = CountryIdField()
        elif column in ("industry_id", "size_id"):
            field = OptionalIntegerField()
        else:
            field = _string(None)
        field.bind("new_value", self)
        try:
            result = field.run_validation(value)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"new_value": exc.detail}) from None
        if column == "country_id" and result is None:
            company: Company = self.context["company"]
            result = as_country(company.setting("country_id"))
        return result


@extend_schema_serializer(
    component_name="GroupSetting",
    description="A group's writable fields: `name` (needed on create), `settings`.",
)
class GroupSettingInputSerializer(serializers.Serializer[GroupSetting]):
    """Writable group fields: `name` (required on create) and `settings`."""

    name = TextField(max_length=255)
    settings = SettingsField()

    def validate_name(self, value: str) -> str:
        name = strip_tags(value).strip()
        if not name:
            raise serializers.ValidationError("The name field is required.")
        company: Company = self.context["company"]
        others = GroupSetting.objects.filter(company=company, name=name)
        group = self.context.get("group")
        if group is not None:
            others = others.exclude(pk=group.pk)
        if others.exists():
            raise serializers.ValidationError("The name has already been taken.")
        return name

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.context.get("group") is None and "name" not in attrs:
            raise serializers.ValidationError({"name": ["The name field is required."]})
        return attrs


# ---------------------------------------------------------------------------
# Output

AnyRequest = HttpRequest | Request | None


def _text(value: object) -> str:
    return "" if value is None else str(value)


def display_name(client: Client, contacts: list[Any]) -> str:
    """The name when longer than one character, else the first contact's name or
    email, else "No Contact Set" (API.md §4)."""
    if len(client.name or "") > 1:
        return client.name
    if contacts:
        contact = contacts[0]
        full = f"{contact.first_name} {contact.last_name}".strip()
        if contact.first_name or contact.last_name:
            return full
        if (contact.email or "").strip():
            return str(contact.email)
    return NO_CONTACT


def group_representation(group: GroupSetting) -> dict[str, Any]:
    """The group settings object (API.md §10)."""
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


def _prefetched(client: Client, attr: str) -> list[Any] | None:
    rows = getattr(client, attr, None)
    return rows if isinstance(rows, list) else None


def live_contacts(client: Client) -> list[Any]:
    """The client's non-deleted contacts, primary first (prefetched or read now)."""
    if client.pk is None:
        return []
    rows = _prefetched(client, CONTACTS_ATTR)
    if rows is None:
        rows = list(
            client.contacts.filter(is_deleted=False).order_by("-is_primary", "id")
        )
    return rows


def client_documents(client: Client) -> list[Any]:
    """The client's documents by id (prefetched or read now)."""
    if client.pk is None:
        return []
    rows = _prefetched(client, DOCUMENTS_ATTR)
    if rows is None:
        rows = list(client.documents.order_by("id"))
    return rows


def recent_activities(client: Client) -> list[Activity]:
    """The 50 newest activities (prefetched by `client_queryset`, else read now)."""
    if client.pk is None:
        return []
    rows = _prefetched(client, ACTIVITIES_ATTR)
    if rows is None:
        rows = list(client.activities.order_by("-created_at", "-id")[:50])
    return rows


def ledger_newest_first(client: Client) -> list[LedgerEntry]:
    """The client's ledger, newest first (prefetched or read now)."""
    if client.pk is None:
        return []
    rows = _prefetched(client, LEDGER_ATTR)
    if rows is None:
        rows = list(client.ledger.order_by("-created_at", "-id"))
    return rows


hashid = encode_id


def client_representation(
    client: Client, request: AnyRequest, includes: Collection[str] = ()
) -> dict[str, Any]:
    """The client object of API.md §4, from an instance of `client_queryset`.

    Contacts (non-deleted, primary first) and documents come from the prefetch;
    `includes` adds `activities`, `group_settings`, `ledger` and `system_logs`.
    """
    saved = client.pk is not None
    contacts = live_contacts(client)
    documents = client_documents(client)
    app_url = settings.APP_URL
    data: dict[str, Any] = {
        "id": hashid(client.pk),
        "user_id": hashid(client.user_id),
        "assigned_user_id": hashid(client.assigned_user_id),
        "name": client.name,
        "website": client.website,
        "private_notes": client.private_notes,
        "public_notes": client.public_notes,
        "balance": float(client.balance),
        "paid_to_date": float(client.paid_to_date),
        "credit_balance": float(client.credit_balance),
        "payment_balance": float(client.payment_balance),
        "group_settings_id": hashid(client.group_settings_id),
        "last_login": unix_time(client.last_login),
        "size_id": _text(client.size_id),
        "industry_id": _text(client.industry_id),
        "client_hash": client.client_hash,
        "address1": client.address1,
        "address2": client.address2,
        "city": client.city,
        "state": client.state,
        "postal_code": client.postal_code,
        "country_id": _text(client.country_id),
        "phone": client.phone,
        "custom_value1": client.custom_value1,
        "custom_value2": client.custom_value2,
        "custom_value3": client.custom_value3,
        "custom_value4": client.custom_value4,
        "shipping_address1": client.shipping_address1,
        "shipping_address2": client.shipping_address2,
        "shipping_city": client.shipping_city,
        "shipping_state": client.shipping_state,
        "shipping_postal_code": client.shipping_postal_code,
        "shipping_country_id": _text(client.shipping_country_id),
        "settings": client.settings if isinstance(client.settings, dict) else {},
        "is_deleted": client.is_deleted,
        "vat_number": client.vat_number,
        "id_number": client.id_number,
        "number": client.number,
        "classification": client.classification,
        "is_tax_exempt": client.is_tax_exempt,
        "has_valid_vat_number": client.has_valid_vat_number,
        "routing_id": client.routing_id,
        "created_at": unix_time(client.created_at) if saved else 0,
        "updated_at": unix_time(client.updated_at) if saved else 0,
        "archived_at": unix_time(client.archived_at),
        "display_name": display_name(client, contacts),
        "contacts": [contact_representation(contact, app_url) for contact in contacts],
        "documents": [document_representation(doc, request) for doc in documents],
        "gateway_tokens": [],
    }
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
    """The client object of API.md §4, for the OpenAPI schema (rendered by
    `client_representation`)."""

    id = serializers.CharField(read_only=True)
    user_id = serializers.CharField(read_only=True)
    assigned_user_id = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    website = serializers.CharField(read_only=True)
    private_notes = serializers.CharField(read_only=True)
    public_notes = serializers.CharField(read_only=True)
    balance = serializers.FloatField(read_only=True)
    paid_to_date = serializers.FloatField(read_only=True)
    credit_balance = serializers.FloatField(read_only=True)
    payment_balance = serializers.FloatField(read_only=True)
    group_settings_id = serializers.CharField(read_only=True)
    last_login = serializers.IntegerField(read_only=True)
    size_id = serializers.CharField(read_only=True)
    industry_id = serializers.CharField(read_only=True)
    client_hash = serializers.CharField(read_only=True)
    address1 = serializers.CharField(read_only=True)
    address2 = serializers.CharField(read_only=True)
    city = serializers.CharField(read_only=True)
    state = serializers.CharField(read_only=True)
    postal_code = serializers.CharField(read_only=True)
    country_id = serializers.CharField(read_only=True)
    phone = serializers.CharField(read_only=True)
    custom_value1 = serializers.CharField(read_only=True)
    custom_value2 = serializers.CharField(read_only=True)
    custom_value3 = serializers.CharField(read_only=True)
    custom_value4 = serializers.CharField(read_only=True)
    shipping_address1 = serializers.CharField(read_only=True)
    shipping_address2 = serializers.CharField(read_only=True)
    shipping_city = serializers.CharField(read_only=True)
    shipping_state = serializers.CharField(read_only=True)
    shipping_postal_code = serializers.CharField(read_only=True)
    shipping_country_id = serializers.CharField(read_only=True)
    settings = serializers.DictField(read_only=True)
    is_deleted = serializers.BooleanField(read_only=True)
    vat_number = serializers.CharField(read_only=True)
    id_number = serializers.CharField(read_only=True)
    number = serializers.CharField(read_only=True)
    classification = serializers.CharField(read_only=True)
    is_tax_exempt = serializers.BooleanField(read_only=True)
    has_valid_vat_number = serializers.BooleanField(read_only=True)
    routing_id = serializers.CharField(read_only=True)
    created_at = serializers.IntegerField(read_only=True)
    updated_at = serializers.IntegerField(read_only=True)
    archived_at = serializers.IntegerField(read_only=True)
    display_name = serializers.CharField(read_only=True)
    contacts = ContactSerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    gateway_tokens = serializers.ListField(
        read_only=True, child=serializers.DictField()
    )
    group_settings = GroupSettingSerializer(
        read_only=True, required=False, help_text="With include=group_settings."
    )

    def to_representation(self, instance: Client) -> dict[str, Any]:
        return client_representation(
            instance, self.context.get("request"), self.context.get("includes", ())
        )
