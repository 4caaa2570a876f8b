"""The input fields of client writes: one per kind of the field spec
(`input_field`), and the special ones (settings, contacts, documents, relations).

Strings are never null in this API (null reads as `""`), ids are ASCII digits,
and each message names the field the way upstream's do.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
)
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from clients.reference import is_country_id
from clients.services.settings import SettingsInvalid, settings_clean
from clients.services.tags import MAX_TAGS, tag_names_clean
from config.api.field_spec import AnyField, FieldSpec, Kind
from config.api.fields import FlagInputField, HashidRelatedField, StringInputField
from contacts.validation import ContactInputSerializer, validate_contacts

MAX_INTEGER = 2_147_483_647


def _label(field: AnyField) -> str:
    return (field.field_name or "value").replace("_", " ")


class TextField(StringInputField):
    """A string; null means `""`. Its messages name the field."""

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


class NumericIdFieldExtension(OpenApiSerializerFieldExtension):
    """Integer ids in bodies (`country_id`, `size_id`, `industry_id`…).

    Answers show them as strings (`"840"`), and a client's own JSON must be
    accepted back, so the request schema takes a string of digits (the canonical
    form) or an integer.
    """

    target_class = OptionalIntegerField
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        if isinstance(self.target, CountryIdField):
            meaning = 'A country id (`countries` of `GET /statics`), e.g. "840"; '
            meaning += "empty or null means the company's country."
        else:
            meaning = 'A numeric id, e.g. "2"; empty or null means none.'
        return {
            "oneOf": [
                {"type": "string", "pattern": "^[0-9]*$"},
                {"type": "integer", "minimum": 0, "maximum": MAX_INTEGER},
            ],
            "description": (
                f"{meaning} A string of digits, as answers show it; an integer "
                "is accepted too."
            ),
        }


class FlagField(FlagInputField):
    """A boolean that also takes form spellings; `""` and null are false. Its
    message names the field."""

    def bind(self, field_name: str, parent: Any) -> None:
        super().bind(field_name, parent)
        message = f"The {_label(self)} field must be true or false."
        self.error_messages["invalid"] = message


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
class SettingsField(serializers.Field[dict[str, Any], Any, Any, Any]):
    """Client or group settings, typed by `settings_clean`."""

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
class ContactsField(serializers.Field[list[dict[str, Any]], Any, Any, Any]):
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
class DocumentsField(serializers.Field[None, Any, Any, Any]):
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


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "string", "minLength": 1, "maxLength": 100},
        "maxItems": MAX_TAGS,
    }
)
class TagsField(serializers.Field[list[str], Any, Any, Any]):
    """A whole set of tag names (`tags[0]=a&tags[1]=b` in a form; a comma string
    too), cleaned by the tags service; null = not sent."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def run_validation(self, data: Any = empty) -> Any:
        if data is None and self.allow_null:  # null: unchanged, like no key
            raise serializers.SkipField()
        return super().run_validation(data)

    def to_internal_value(self, data: Any) -> list[str]:
        try:
            return tag_names_clean(data, key=self.field_name or "tags")
        except DjangoValidationError as exc:
            messages = exc.message_dict.get(self.field_name or "tags", exc.messages)
            raise serializers.ValidationError(messages) from None

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


def string_field(max_length: int | None = 255, **kwargs: Any) -> TextField:
    return TextField(max_length=max_length, **kwargs)


def required_text(label: str, **kwargs: Any) -> serializers.CharField:
    """A string the body must have: missing, blank or null all get upstream's
    `The <label> field is required.`"""
    message = f"The {label} field is required."
    messages = {"required": message, "blank": message, "null": message}
    return serializers.CharField(
        error_messages={**messages, **kwargs.pop("error_messages", {})}, **kwargs
    )


def input_field(field: FieldSpec) -> AnyField:
    """The input field of a plain client field, by its kind."""
    options: dict[str, Any] = (
        {"help_text": field.input_help} if field.input_help else {}
    )
    if field.kind in (Kind.TEXT, Kind.LONG_TEXT):
        return TextField(max_length=field.max_length, **options)
    if field.kind is Kind.ID:
        return OptionalIntegerField(**options)
    if field.kind is Kind.COUNTRY:
        return CountryIdField(**options)
    if field.kind is Kind.FLAG:
        return FlagField(**options)
    if field.kind is Kind.SETTINGS:
        return SettingsField(**options)
    raise ValueError(f"{field.key!r}: a {field.kind.value} is declared by hand")
