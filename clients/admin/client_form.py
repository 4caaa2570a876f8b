"""The client change form: the spec's admin fields, checked by the API's
`ClientInputSerializer`, so staff edits obey exactly the API's rules."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.admin.utils import flatten_fieldsets

from clients.api.inputs import ClientInputSerializer
from clients.fields import ADMIN_FIELDS, FIELDS_BY_KEY
from clients.models import Client
from clients.reference import COUNTRIES, INDUSTRIES, SIZES
from clients.services.clients import DELETED_CLIENT_MESSAGE
from config.admin import in_staff_words
from config.api.exceptions import flatten_errors
from config.api.field_spec import Kind
from config.api.hashids import encode_id

if TYPE_CHECKING:
    from django.contrib.admin.options import _FieldsetSpec

EMPTY_CHOICE = ("", "---------")

# The form's fields are the model fields the spec's admin fields write.
EDITABLE_FIELDS = tuple(field.source for field in ADMIN_FIELDS)
# API input key → admin form field, where they differ.
FORM_FIELD_BY_INPUT = {
    field.key: field.source for field in ADMIN_FIELDS if field.source != field.key
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
