"""The field specs (`clients.fields`, `contacts.fields`) and everything built from
them agree: the objects the API answers, the OpenAPI schema, the input
serializers, the services' writable fields, the admin and the CSV columns."""

import io

import pytest
from django.db import models
from django.urls import reverse
from rest_framework import serializers

from clients.admin.client_form import EDITABLE_FIELDS
from clients.admin.clients import ClientAdmin
from clients.api.inputs import ClientInputSerializer
from clients.csv import CLIENT_COLUMNS, CONTACT_COLUMNS, clients_export_csv
from clients.fields import (
    ADMIN_FIELDS,
    BULK_UPDATE_COLUMNS,
    CLIENT_SPEC,
    CSV_FIELDS,
    FORM_ORDER,
    INPUT_FIELDS,
    INPUT_ORDER,
    SET_AS_SENT,
)
from clients.models import Client
from clients.services.clients import CLIENT_FIELDS
from config.api.field_spec import FieldSpec, Kind
from contacts import fields as contact_fields
from contacts.admin import INLINE_FIELDS
from contacts.fields import CONTACT_SPEC
from contacts.models import ClientContact
from contacts.services import WRITABLE_FIELDS
from contacts.validation import ContactInputSerializer
from tests.clients.support import client_url
from tests.factories import ClientFactory, ContactFactory, GroupSettingFactory

# Input keys that are no field of the client object: the contacts set, the
# documents (ignored) and the `*_code` conveniences.
CLIENT_INPUT_SPECIALS = (
    "contacts",
    "tags",
    "active",
    "documents",
    "country_code",
    "shipping_country_code",
    "currency_code",
    "language_code",
)
# Keys the client object has only when asked for (`include=`), and the ones the
# schema documents.
INCLUDES = ("activities", "ledger", "system_logs", "group_settings")
SCHEMA_INCLUDES = ("group_settings",)
CONTACT_INPUT_SPECIALS = ("id", "password")

SCHEMA_TYPE = {
    Kind.TEXT: "string",
    Kind.LONG_TEXT: "string",
    Kind.ID: "string",
    Kind.COUNTRY: "string",
    Kind.HASHID: "string",
    Kind.FLAG: "boolean",
    Kind.MONEY: "number",
    Kind.TIMESTAMP: "integer",
    Kind.SETTINGS: "object",
}
JSON_TYPE = {
    "string": str,
    "boolean": bool,
    "number": float,
    "integer": int,
    "object": dict,
}


def keys(spec: tuple[FieldSpec, ...]) -> list[str]:
    return [field.key for field in spec]


def plain(spec: tuple[FieldSpec, ...]) -> list[FieldSpec]:
    return [field for field in spec if field.kind is not Kind.COMPUTED]


@pytest.fixture(scope="module")
def components(django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    return schema["components"]["schemas"]


@pytest.fixture
def shown(api, company):
    """A saved client with a group and a contact with a password, as answered."""
    client = ClientFactory.create(
        company=company,
        group_settings=GroupSettingFactory.create(company=company),
        country_id=840,
        size_id=2,
    )
    ContactFactory.create(client=client, password="hashed")
    response = api.get(client_url(client.pk), {"include": ",".join(INCLUDES)})
    assert response.status_code == 200
    return response.json()["data"]


# -- the objects, the schema and the spec ----------------------------------------


def test_the_client_object_has_the_spec_keys_in_spec_order(shown):
    assert list(shown) == [*keys(CLIENT_SPEC), *INCLUDES]


def test_the_contact_object_has_the_spec_keys_in_spec_order(shown):
    assert [list(contact) for contact in shown["contacts"]] == [keys(CONTACT_SPEC)]


def test_the_client_schema_has_the_spec_keys_in_spec_order(components):
    properties = components["Client"]["properties"]
    assert list(properties) == [*keys(CLIENT_SPEC), *SCHEMA_INCLUDES]
    assert properties["contacts"]["items"] == {"$ref": "#/components/schemas/Contact"}


def test_the_contact_schema_has_the_spec_keys_in_spec_order(components):
    assert list(components["Contact"]["properties"]) == keys(CONTACT_SPEC)


@pytest.mark.parametrize(
    ("component", "spec", "object_of"),
    [
        ("Client", CLIENT_SPEC, lambda data: data),
        ("Contact", CONTACT_SPEC, lambda data: data["contacts"][0]),
    ],
)
def test_each_plain_key_has_its_kinds_type_in_the_schema_and_the_answer(
    components, shown, component, spec, object_of
):
    properties = components[component]["properties"]
    answered = object_of(shown)
    for field in plain(spec):
        expected = SCHEMA_TYPE[field.kind]
        assert properties[field.key]["type"] == expected, field.key
        assert properties[field.key]["readOnly"] is True, field.key
        value = answered[field.key]
        assert type(value) is JSON_TYPE[expected], (field.key, value)


def test_ids_are_strings_and_hashids_not_numbers(shown):
    assert (shown["country_id"], shown["size_id"], shown["industry_id"]) == (
        "840",
        "2",
        "",
    )
    hashids = [field.key for field in CLIENT_SPEC if field.kind is Kind.HASHID]
    assert shown["group_settings_id"] and not shown["group_settings_id"].isdigit()
    assert {"id", "user_id", "assigned_user_id", "group_settings_id"} == set(hashids)


# -- the inputs ------------------------------------------------------------------


def test_the_client_input_is_the_writable_spec_fields_then_the_specials():
    fields = ClientInputSerializer().fields
    writable = [field for field in CLIENT_SPEC if field.writable]
    assert sorted(fields) == sorted([*keys(tuple(writable)), *CLIENT_INPUT_SPECIALS])
    for field in writable:
        assert (fields[field.key].source or field.key) == field.source, field.key
    # The relations are declared by hand after the built fields; the specials last.
    assert list(fields) == [
        *(field.key for field in INPUT_FIELDS if field.kind is not Kind.HASHID),
        "group_settings_id",
        "assigned_user_id",
        *CLIENT_INPUT_SPECIALS,
    ]


def test_the_client_request_schema_is_the_input_serializer(components):
    fields = list(ClientInputSerializer().fields)
    assert list(components["ClientRequest"]["properties"]) == fields
    assert list(components["PatchedClientRequest"]["properties"]) == fields


def test_text_inputs_have_the_spec_and_model_max_length():
    fields = ClientInputSerializer().fields
    for field in INPUT_FIELDS:
        if field.kind in (Kind.TEXT, Kind.LONG_TEXT):
            text = fields[field.key]
            assert isinstance(text, serializers.CharField), field.key
            assert text.max_length == field.max_length, field.key


@pytest.mark.parametrize(
    ("model", "spec"), [(Client, CLIENT_SPEC), (ClientContact, CONTACT_SPEC)]
)
def test_the_spec_agrees_with_the_model(model, spec):
    for field in plain(spec):
        model_field = model._meta.get_field(field.attribute)
        if field.kind is Kind.TEXT:
            assert isinstance(model_field, models.CharField), field.key
            assert model_field.max_length == field.max_length, field.key
        elif field.kind is Kind.LONG_TEXT:
            assert isinstance(model_field, models.TextField), field.key
        elif field.kind is Kind.FLAG:
            assert isinstance(model_field, models.BooleanField), field.key
        elif field.kind is Kind.TIMESTAMP:
            assert isinstance(model_field, models.DateTimeField), field.key
        elif field.kind is Kind.MONEY:
            assert isinstance(model_field, models.DecimalField), field.key
        if field.writable:
            written = model._meta.get_field(field.source)
            assert written.editable, field.key


def test_the_contact_input_is_id_the_writable_spec_fields_and_password(components):
    fields = list(ContactInputSerializer().fields)
    writable = keys(tuple(field for field in CONTACT_SPEC if field.writable))
    assert sorted(fields) == sorted([*writable, *CONTACT_INPUT_SPECIALS])
    assert fields == ["id", *keys(contact_fields.INPUT_FIELDS), "password"]
    assert list(components["ContactRequest"]["properties"]) == fields


def test_contacts_sync_writes_the_writable_contact_fields():
    writable = {field.key for field in CONTACT_SPEC if field.writable}
    assert set(WRITABLE_FIELDS) == writable
    assert len(WRITABLE_FIELDS) == len(writable)


def test_client_writes_set_the_writable_fields_and_merge_the_settings():
    writable = {field.source for field in CLIENT_SPEC if field.writable}
    assert writable - SET_AS_SENT == {"settings"}
    assert CLIENT_FIELDS == SET_AS_SENT


def test_bulk_update_columns_are_writable_spec_fields():
    by_key = {field.key: field for field in CLIENT_SPEC}
    assert BULK_UPDATE_COLUMNS
    assert all(by_key[column].writable for column in BULK_UPDATE_COLUMNS)


# -- the orders kept from before the spec ------------------------------------------


@pytest.mark.parametrize(
    ("pinned", "spec", "flag"),
    [
        (INPUT_ORDER, CLIENT_SPEC, "writable"),
        (FORM_ORDER, CLIENT_SPEC, "admin"),
        (contact_fields.FORM_ORDER, CONTACT_SPEC, "csv"),
    ],
)
def test_pinned_orders_name_each_field_once_and_only_fields_they_order(
    pinned, spec, flag
):
    by_key = {field.key: field for field in spec}
    assert len(set(pinned)) == len(pinned)
    assert all(getattr(by_key[key], flag) for key in pinned)


def test_every_field_of_the_spec_has_one_key():
    for spec in (CLIENT_SPEC, CONTACT_SPEC):
        assert len(set(keys(spec))) == len(spec)


# -- the admin and the CSV ---------------------------------------------------------


def test_the_admin_form_edits_the_admin_spec_fields(admin_client):
    response = admin_client.get(reverse("admin:clients_client_add"))
    assert response.status_code == 200
    form = response.context["adminform"].form
    # The form's fields come in the layout's order.
    assert set(form.fields) == {"company", *EDITABLE_FIELDS}
    assert list(EDITABLE_FIELDS) == [field.source for field in ADMIN_FIELDS]
    shown_fields = {
        name
        for fieldset in response.context["adminform"]
        for line in fieldset
        for name in line.fields
    }
    assert set(EDITABLE_FIELDS) <= shown_fields
    labels = {field.source: field.label for field in ADMIN_FIELDS if field.label}
    for name, label in labels.items():
        assert form.fields[name].label == label, name


def test_the_admin_layout_places_every_editable_field(rf, admin_user):
    from django.contrib import admin

    model_admin = ClientAdmin(Client, admin.site)
    request = rf.get("/")
    request.user = admin_user
    placed = [
        name
        for _, options in model_admin.get_fieldsets(request, None)
        for entry in options["fields"]
        for name in (entry if isinstance(entry, tuple) else (entry,))
    ]
    assert set(EDITABLE_FIELDS) <= set(placed)


def test_the_contact_inline_shows_the_admin_contact_fields():
    assert list(INLINE_FIELDS) == keys(contact_fields.ADMIN_FIELDS)


def test_the_csv_header_is_the_csv_spec_fields(company):
    ClientFactory.create(company=company)
    out = io.StringIO()
    clients_export_csv(company=company, out=out)
    header = out.getvalue().splitlines()[0].split(",")
    plain_columns = [field.key for field in CSV_FIELDS]
    assert header == [*CLIENT_COLUMNS, *CONTACT_COLUMNS]
    assert list(CLIENT_COLUMNS) == [
        "client_key",
        *plain_columns,
        "group",
        "assigned_user",
        "archived",
        "settings",
        "tags",
    ]
    contact_columns = [f"contact_{field.key}" for field in contact_fields.CSV_FIELDS]
    assert list(CONTACT_COLUMNS) == contact_columns
