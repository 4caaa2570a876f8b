"""THE client field spec: every key of the client object, declared once.

`CLIENT_SPEC` lists the keys in the order the API answers them (upstream's
order; integrators diff it). Everything else is derived from it: the
representation and the schema's `Client` object (`clients.api.outputs`), the
input serializer (`clients.api.inputs`), the fields a write sets
(`clients.services.clients`), the admin form, the CSV columns and the bulk-update
columns. Adding a field is one entry here plus the model field and its migration.
"""

from config.api.field_spec import FieldSpec, Kind, edited, pinned_order, shown

CLASSIFICATION_HELP = (
    "individual, business, company, partnership, trust, charity, government or "
    'other; "" for none.'
)

# Each logo thumbnail fits a square of this many pixels, its aspect ratio kept (an
# image already smaller is not enlarged).
LOGO_THUMBNAIL_SIZES = {"large": 512, "medium": 256, "small": 64}
LOGO_HELP = (
    "The download URL of the logo's {what}, authenticated like a document's "
    '(`X-API-TOKEN`); `""` when the client has no logo.'
)

CLIENT_SPEC: tuple[FieldSpec, ...] = (
    shown("id", Kind.HASHID),
    shown("user_id", Kind.HASHID),
    FieldSpec(
        "assigned_user_id",
        Kind.HASHID,
        writable=True,
        source="assigned_user",
        admin=True,
    ),
    edited("name", Kind.TEXT, 255),
    edited("website", Kind.TEXT, 255),
    edited("private_notes", Kind.LONG_TEXT),
    edited("public_notes", Kind.LONG_TEXT, bulk=True),
    shown("balance", Kind.MONEY),
    shown("paid_to_date", Kind.MONEY),
    shown("credit_balance", Kind.MONEY),
    shown("payment_balance", Kind.MONEY),
    FieldSpec(
        "group_settings_id",
        Kind.HASHID,
        writable=True,
        source="group_settings",
        admin=True,
        label="Group",
    ),
    shown("last_login", Kind.TIMESTAMP),
    edited("size_id", Kind.ID, bulk=True, label="Size"),
    edited("industry_id", Kind.ID, bulk=True, label="Industry"),
    shown("client_hash", Kind.TEXT, max_length=40),
    edited("address1", Kind.TEXT, 255, label="Address line 1"),
    edited("address2", Kind.TEXT, 255, label="Address line 2"),
    edited("city", Kind.TEXT, 255),
    edited("state", Kind.TEXT, 255),
    edited("postal_code", Kind.TEXT, 255),
    edited("country_id", Kind.COUNTRY, bulk=True, label="Country"),
    edited("phone", Kind.TEXT, 255),
    edited("custom_value1", Kind.LONG_TEXT, bulk=True),
    edited("custom_value2", Kind.LONG_TEXT, bulk=True),
    edited("custom_value3", Kind.LONG_TEXT, bulk=True),
    edited("custom_value4", Kind.LONG_TEXT, bulk=True),
    edited("shipping_address1", Kind.TEXT, 255, label="Shipping address line 1"),
    edited("shipping_address2", Kind.TEXT, 255, label="Shipping address line 2"),
    edited("shipping_city", Kind.TEXT, 255),
    edited("shipping_state", Kind.TEXT, 255),
    edited("shipping_postal_code", Kind.TEXT, 255),
    edited("shipping_country_id", Kind.COUNTRY, label="Shipping country"),
    # Written (merged key by key); the CSV has it as a JSON column of its own, the
    # admin shows it read-only.
    FieldSpec("settings", Kind.SETTINGS, writable=True),
    shown("is_deleted", Kind.FLAG),
    edited("vat_number", Kind.TEXT, 255, label="VAT number"),
    edited("id_number", Kind.TEXT, 255, label="ID number"),
    edited("number", Kind.TEXT, 255),
    edited("classification", Kind.TEXT, 32, input_help=CLASSIFICATION_HELP),
    edited("is_tax_exempt", Kind.FLAG, label="Tax exempt"),
    edited("has_valid_vat_number", Kind.FLAG, label="Valid VAT number"),
    edited("routing_id", Kind.TEXT, 255, label="Routing ID"),
    shown("created_at", Kind.TIMESTAMP, saved_only=True),
    shown("updated_at", Kind.TIMESTAMP, saved_only=True),
    shown("archived_at", Kind.TIMESTAMP),
    shown("display_name", Kind.COMPUTED),
    shown("contacts", Kind.COMPUTED),
    shown("documents", Kind.COMPUTED),
    shown("gateway_tokens", Kind.COMPUTED),
    # The logo's authenticated download URLs ("" without a logo), Paymo's `image`
    # and `image_thumb_*`; set with `POST /clients/{id}/logo`.
    shown("logo", Kind.COMPUTED, description=LOGO_HELP.format(what="uploaded image")),
    *(
        shown(
            f"logo_thumb_{size}",
            Kind.COMPUTED,
            description=LOGO_HELP.format(what=f"{size} thumbnail ({box} px)"),
        )
        for size, box in LOGO_THUMBNAIL_SIZES.items()
    ),
    # Written as a whole set (like contacts) by the input's own field and
    # `POST /clients/{id}/tags`; always shown, `[]` when none.
    shown(
        "tags",
        Kind.COMPUTED,
        description=(
            "The client's tags, sorted case-insensitively; each of the company's "
            "vocabulary (unique in the company, case-insensitively)."
        ),
    ),
)

# Two orders older than the spec, kept because people and programs see them; a
# field they do not name follows them in spec order.
# The input serializer's: the request bodies' schema and the order of 422 messages.
INPUT_ORDER = (
    "name",
    "website",
    "private_notes",
    "public_notes",
    "industry_id",
    "size_id",
    "address1",
    "address2",
    "city",
    "state",
    "postal_code",
    "country_id",
    "phone",
    "custom_value1",
    "custom_value2",
    "custom_value3",
    "custom_value4",
    "shipping_address1",
    "shipping_address2",
    "shipping_city",
    "shipping_state",
    "shipping_postal_code",
    "shipping_country_id",
    "settings",
    "vat_number",
    "id_number",
    "number",
    "routing_id",
    "classification",
    "is_tax_exempt",
    "has_valid_vat_number",
)
# The CSV columns' and the admin form's: how a person reads a client.
FORM_ORDER = (
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
    "group_settings_id",
    "assigned_user_id",
)

FIELDS_BY_KEY = {field.key: field for field in CLIENT_SPEC}
# What a client write takes, in input order.
INPUT_FIELDS = pinned_order(
    (field for field in CLIENT_SPEC if field.writable), INPUT_ORDER
)
# Model fields a write sets to the validated value (settings are merged instead).
SET_AS_SENT = frozenset(
    field.source for field in INPUT_FIELDS if field.kind is not Kind.SETTINGS
)
# The CSV transfer's plain columns: the value as it is, under its key.
CSV_FIELDS = pinned_order((field for field in CLIENT_SPEC if field.csv), FORM_ORDER)
# The admin change form's editable fields (its field names are the `source`s).
ADMIN_FIELDS = pinned_order((field for field in CLIENT_SPEC if field.admin), FORM_ORDER)
# Columns `POST /clients/bulk` with `bulk_update` may set (the schema's enum too).
BULK_UPDATE_COLUMNS = tuple(field.key for field in INPUT_FIELDS if field.bulk)
