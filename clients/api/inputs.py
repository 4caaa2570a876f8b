"""Client, bulk and group input validation: serializers only validate, services
write. The client's plain fields are built from the field spec
(`clients.fields.CLIENT_SPEC`), one input field per kind."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils.html import strip_tags
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from clients.api.input_fields import (
    CompanyRelatedField,
    ContactsField,
    DocumentsField,
    SettingsField,
    TagsField,
    TextField,
    input_field,
    required_text,
    string_field,
)
from clients.fields import BULK_UPDATE_COLUMNS, FIELDS_BY_KEY, INPUT_FIELDS
from clients.models import Client, GroupSetting
from clients.reference import (
    as_country,
    country_id_for_code,
    currency_id_for_code,
    language_id_for_locale,
)
from clients.services.clients import ID_NUMBER_TAKEN, NUMBER_TAKEN
from clients.services.groups import group_name_clean
from clients.services.verbs import INVALID_OWNER, INVALID_STATUS, STATUSES
from companies.models import Company
from config.api.field_copies import fields_once
from config.api.field_spec import AnyField, Kind
from config.api.hashids import decode_id

User = get_user_model()

# Relations need their queryset and company lookup, so the serializer declares
# their fields itself; the other writable fields of the spec are built.
BUILT_INPUT_FIELDS = tuple(
    field for field in INPUT_FIELDS if field.kind is not Kind.HASHID
)


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
    """The writable client fields; everything else is ignored.

    The spec's plain fields come first (`get_fields`), then the ones declared
    here: relations, contacts, documents and the `*_code` conveniences. Only keys
    that were sent end up in `validated_data` (so an update leaves the rest
    alone), with model field names: `group_settings_id` → `group_settings`,
    `assigned_user_id` → `assigned_user`. `country_code`, `shipping_country_code`,
    `currency_code` and `language_code` are resolved here into `country_id`,
    `shipping_country_id` and `settings`. Context: `company`, optionally `client`
    (the one being updated) and `request`.
    """

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
    tags = TagsField(
        help_text=(
            "The whole set of tags (strings, 1-100 characters each, at most 100; "
            "repeats in any case are dropped): `[]` clears them. Left out or "
            "null: tags unchanged."
        )
    )
    active = serializers.BooleanField(
        required=False,
        error_messages={"invalid": "The active field must be true or false."},
        help_text=(
            "Paymo's state switch: false archives the client, true restores it "
            "(as the bulk archive and restore do)."
        ),
    )
    documents = DocumentsField(
        help_text="Ignored (an array when sent); files go to `/clients/{id}/upload`."
    )
    country_code = string_field(None)
    shipping_country_code = string_field(None)
    currency_code = string_field(None)
    language_code = string_field(None)

    def get_fields(self) -> dict[str, AnyField]:
        return fields_once(self, self._build_fields)

    def _build_fields(self) -> dict[str, AnyField]:
        built = {field.key: input_field(field) for field in BUILT_INPUT_FIELDS}
        return {**built, **super().get_fields()}

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

    ACTIONS = (
        "archive",
        "restore",
        "delete",
        "assign_group",
        "bulk_update",
        "add_tags",
        "remove_tags",
    )

    action = serializers.CharField()
    group_settings_id = CompanyRelatedField(
        source="group_settings", queryset=GroupSetting.objects.all()
    )
    column = serializers.CharField(required=False, allow_blank=True)
    new_value = serializers.JSONField(required=False, allow_null=True)
    tags = TagsField()

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
        if action in ("add_tags", "remove_tags") and not attrs.get("tags"):
            raise serializers.ValidationError({"tags": ["The tags field is required."]})
        return attrs

    def _bulk_value(self, attrs: dict[str, Any]) -> Any:
        column = attrs.get("column") or ""
        if column not in BULK_UPDATE_COLUMNS:
            raise serializers.ValidationError(
                {"column": ["The selected column is invalid."]}
            )
        value = attrs.get("new_value")
        spec = FIELDS_BY_KEY[column]
        field = input_field(spec)
        field.bind("new_value", self)
        try:
            result = field.run_validation(value)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"new_value": exc.detail}) from None
        if spec.kind is Kind.COUNTRY and result is None:
            company: Company = self.context["company"]
            result = as_country(company.setting("country_id"))
        return result


@extend_schema_serializer(component_name="ClientTags")
class ClientTagsInputSerializer(serializers.Serializer[Any]):
    """`POST /clients/{id}/tags`: the whole set."""

    tags = TagsField(
        required=True,
        allow_null=False,
        error_messages={
            "required": "The tags field is required.",
            "null": "The tags field is required.",
        },
        help_text="The client's tags from now on; `[]` clears them.",
    )


@extend_schema_serializer(component_name="ClientOwner")
class ClientOwnerInputSerializer(serializers.Serializer[Any]):
    """`POST /clients/{id}/owner`: the contact that becomes the primary one."""

    contact_id = required_text(
        "contact id",
        error_messages={"invalid": INVALID_OWNER},
        help_text="The hashed id of one of this client's live contacts.",
    )

    def validate_contact_id(self, value: str) -> int:
        pk = decode_id(value)
        if pk is None:
            raise serializers.ValidationError(INVALID_OWNER)
        return pk


@extend_schema_serializer(component_name="ClientStatus")
class ClientStatusInputSerializer(serializers.Serializer[Any]):
    """`POST /clients/{id}/status`: `active` or `archived`."""

    status = required_text(
        "status",
        help_text="`active` restores an archived client, `archived` archives it.",
    )

    def validate_status(self, value: str) -> str:
        status = value.strip().lower()
        if status not in STATUSES:
            raise serializers.ValidationError(INVALID_STATUS)
        return status


@extend_schema_serializer(
    component_name="GroupSetting",
    description="A group's writable fields: `name` (needed on create), `settings`.",
)
class GroupSettingInputSerializer(serializers.Serializer[GroupSetting]):
    """Writable group fields: `name` (required on create) and `settings`."""

    name = TextField(max_length=255)
    settings = SettingsField()

    def validate_name(self, value: str) -> str:
        try:
            return group_name_clean(
                company=self.context["company"],
                name=value,
                group=self.context.get("group"),
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict["name"]) from None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.context.get("group") is None and "name" not in attrs:
            raise serializers.ValidationError({"name": ["The name field is required."]})
        return attrs
