"""THE contact field spec: every key of the contact object, declared once.

`CONTACT_SPEC` lists the keys in the order the API answers them (upstream's).
The representation and the schema's `Contact` (`contacts.representation`), the
input serializer (`contacts.validation`), the fields `contacts_sync` writes, the
admin inline and the CSV contact columns are derived from it. The password is
special everywhere (masked when shown, hashed when written), so its handling
stays in those modules.
"""

from config.api.field_spec import FieldSpec, Kind, edited, pinned_order, shown

UNIX_TIME = "Unix time"

CONTACT_SPEC: tuple[FieldSpec, ...] = (
    shown("id", Kind.HASHID, description="The contact's hashed id"),
    edited("first_name", Kind.TEXT, 255),
    edited("last_name", Kind.TEXT, 255),
    edited("email", Kind.TEXT, 255),
    shown("created_at", Kind.TIMESTAMP, description=UNIX_TIME),
    shown("updated_at", Kind.TIMESTAMP, description=UNIX_TIME),
    shown(
        "archived_at",
        Kind.TIMESTAMP,
        description=f"{UNIX_TIME}; 0 when not archived",
    ),
    edited("is_primary", Kind.FLAG, label="Primary"),
    edited("is_locked", Kind.FLAG, label="Locked"),
    edited("phone", Kind.TEXT, 255),
    edited("custom_value1", Kind.LONG_TEXT, admin=False),
    edited("custom_value2", Kind.LONG_TEXT, admin=False),
    edited("custom_value3", Kind.LONG_TEXT, admin=False),
    edited("custom_value4", Kind.LONG_TEXT, admin=False),
    shown("contact_key", Kind.TEXT, max_length=40),
    edited("send_email", Kind.FLAG),
    shown("last_login", Kind.TIMESTAMP, description=f"{UNIX_TIME}; 0 when never"),
    shown("password", Kind.COMPUTED),
    shown("link", Kind.COMPUTED),
)

# The CSV contact columns' and the admin inline's order, older than the spec; a
# field it does not name follows in spec order. Inputs take the text fields of
# this order, then its flags.
FORM_ORDER = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "is_primary",
    "send_email",
    "is_locked",
    "custom_value1",
    "custom_value2",
    "custom_value3",
    "custom_value4",
)

_WRITABLE = pinned_order(
    (field for field in CONTACT_SPEC if field.writable), FORM_ORDER
)
# What a contact write takes besides `id` and `password` (both special): its
# text fields, then its flags.
INPUT_FIELDS = tuple(field for field in _WRITABLE if field.kind is not Kind.FLAG) + (
    tuple(field for field in _WRITABLE if field.kind is Kind.FLAG)
)
STRING_FIELDS = tuple(
    field.key for field in INPUT_FIELDS if field.kind is not Kind.FLAG
)
BOOLEAN_FIELDS = tuple(field.key for field in INPUT_FIELDS if field.kind is Kind.FLAG)
# The CSV transfer's `contact_*` columns and the admin inline's columns.
CSV_FIELDS = pinned_order((field for field in CONTACT_SPEC if field.csv), FORM_ORDER)
ADMIN_FIELDS = pinned_order(
    (field for field in CONTACT_SPEC if field.admin), FORM_ORDER
)
