"""Client and group input validation, and their output (API.md §4, §6, §10).

Input serializers only validate; services write. Output is built by plain functions
(`client_representation`, `group_representation`) over prefetched instances, because
list pages render thousands of clients; the DRF output serializers below exist to
describe those objects in the OpenAPI schema.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.db.models import Q
from django.utils.html import strip_tags
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.fields import empty

from clients.fields import BULK_UPDATE_COLUMNS
from clients.models import Client, GroupSetting
from clients.reference import (
    as_country,
    country_id_for_code,
    currency_id_for_code,
    is_country_id,
    language_id_for_locale,
)
from clients.services.clients import ID_NUMBER_TAKEN, NUMBER_TAKEN
from clients.services.settings import SettingsInvalid, settings_clean
from companies.models import Company
from config.api.fields import HashidRelatedField
from contacts.validation import ContactInputSerializer, validate_contacts

User = get_user_model()

MAX_INTEGER = 2_147_483_647

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
