"""Contact input validation: one contact, and a client write's `contacts` array.

The plain fields are built from the field spec (`contacts.fields`); the id and
the password are special (an unknown id adds a contact, a masked password keeps
the stored one)."""

import re
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxLengthValidator, validate_email
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from config.api.field_copies import fields_once
from config.api.field_spec import AnyField, FieldSpec, Kind
from config.api.fields import FlagInputField, StringInputField
from config.api.hashids import decode_id, encode_id
from contacts.fields import BOOLEAN_FIELDS, INPUT_FIELDS

PASSWORD_MASK = "**********"
PASSWORD_MIN_LENGTH = 7

_MASKED = re.compile(r"\*+")
_PASSWORD_RULES = (re.compile(r"[a-z]"), re.compile(r"[A-Z]"), re.compile(r"[0-9]"))


def is_masked_password(value: object) -> bool:
    """True for the asterisks we print instead of a password: it means "unchanged"."""
    return isinstance(value, str) and _MASKED.fullmatch(value) is not None


@extend_schema_field(OpenApiTypes.STR)
class ContactIdField(serializers.Field[int | None, Any, str, Any]):
    """A contact's hashid; anything not one of ours reads as None (a new contact)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> int | None:
        return decode_id(data)

    def to_representation(self, value: int | None) -> str:
        return encode_id(value)


def input_field(field: FieldSpec) -> AnyField:
    """The input field of a plain contact field, by its kind."""
    if field.kind is Kind.FLAG:
        return FlagInputField()
    if field.kind in (Kind.TEXT, Kind.LONG_TEXT):
        return StringInputField(max_length=field.max_length)
    raise ValueError(f"{field.key!r}: no contact input for a {field.kind.value}")


@extend_schema_serializer(
    component_name="Contact",
    description=(
        "A contact in a client write. With the `id` of one of the client's "
        "contacts it updates that contact (keys left out keep their values); "
        "without one it adds a contact. New contacts get `send_email` true."
    ),
)
class ContactInputSerializer(serializers.Serializer[Any]):
    """A contact in a client write; keys left out keep their stored values."""

    # Only the keys that were sent reach validated_data; `id` is the decoded pk or
    # None, and `password` is there only when it is to change (plain text; the
    # service hashes it). Messages name the item's dotted key, given as
    # context["attribute"] (`contacts.0`), as upstream's do. The fields are `id`,
    # the spec's plain fields (`get_fields`), then `password`.

    id = ContactIdField(
        help_text="The contact's hashed id; a missing or unknown id adds a contact"
    )
    password = StringInputField(
        max_length=255,
        trim_whitespace=False,
        help_text=(
            "At least 7 characters with a lower-case letter, an upper-case letter "
            'and a digit; "", null or only asterisks leave the password unchanged'
        ),
    )

    def get_fields(self) -> dict[str, AnyField]:
        return fields_once(self, self._build_fields)

    def _build_fields(self) -> dict[str, AnyField]:
        declared = super().get_fields()
        built = {field.key: input_field(field) for field in INPUT_FIELDS}
        return {"id": declared.pop("id"), **built, **declared}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        prefix = self.context.get("attribute", "")
        self.error_messages["invalid"] = f"The {prefix or 'contact'} must be an object."
        for name, field in self.fields.items():
            attribute = f"{prefix}.{name}" if prefix else name
            field.error_messages.update(
                invalid=(
                    f"The {attribute} field must be true or false."
                    if name in BOOLEAN_FIELDS
                    else f"The {attribute} must be a string."
                ),
            )
            max_length = getattr(field, "max_length", None)
            if max_length is not None:
                # CharField builds its length validator (and message) in __init__.
                field.validators = [
                    *(
                        validator
                        for validator in field.validators
                        if not isinstance(validator, MaxLengthValidator)
                    ),
                    MaxLengthValidator(
                        max_length,
                        message=(
                            f"The {attribute} may not be greater than {max_length} "
                            "characters."
                        ),
                    ),
                ]

    def attribute(self, name: str) -> str:
        prefix = self.context.get("attribute", "")
        return f"{prefix}.{name}" if prefix else name

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if isinstance(data, dict) and is_masked_password(data.get("password")):
            data = {key: value for key, value in data.items() if key != "password"}
        result: dict[str, Any] = super().to_internal_value(data)
        return result

    def validate_email(self, value: str) -> str:
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                raise serializers.ValidationError(
                    f"The {self.attribute('email')} must be a valid email address."
                ) from None
        return value

    def validate_password(self, value: str) -> str:
        if not value:
            return value
        errors = []
        attribute = self.attribute("password")
        if len(value) < PASSWORD_MIN_LENGTH:
            errors.append(
                f"The {attribute} must be at least {PASSWORD_MIN_LENGTH} characters."
            )
        if not all(rule.search(value) for rule in _PASSWORD_RULES):
            errors.append(
                f"The {attribute} must contain a lower-case letter, an upper-case "
                "letter and a digit."
            )
        if errors:
            raise serializers.ValidationError(errors)
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("password"):
            attrs.pop("password", None)
        return attrs


def _email_key(item: object) -> str:
    if not isinstance(item, dict):
        return ""
    email = item.get("email")
    return email.strip().lower() if isinstance(email, str) else ""


def validate_contacts(raw: object) -> list[dict[str, Any]]:
    """Validate a request's `contacts` value into the list `contacts_sync` takes.

    Raises a DRF ValidationError nested as `{"contacts": [{...}, {"email": [...]}]}`,
    which the API's exception handler reports as `contacts.1.email`.
    """
    if not isinstance(raw, list):
        raise serializers.ValidationError(
            {"contacts": ["The contacts must be an array."]}
        )
    validated: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    seen_emails: set[str] = set()
    for index, item in enumerate(raw):
        attribute = f"contacts.{index}"
        serializer = ContactInputSerializer(data=item, context={"attribute": attribute})
        item_errors: dict[str, Any] = {}
        if serializer.is_valid():
            validated.append(dict(serializer.validated_data))
        else:
            item_errors = dict(serializer.errors)
        email = _email_key(item)
        if email and email in seen_emails and "email" not in item_errors:
            item_errors["email"] = [
                f"The {attribute}.email field has a duplicate value."
            ]
        seen_emails.add(email)
        errors.append(item_errors)
    if any(errors):
        raise serializers.ValidationError({"contacts": errors})
    return validated
