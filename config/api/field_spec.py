"""The vocabulary of the field specs (`clients.fields`, `contacts.fields`).

A spec is one declaration per key of an API object, in the order the object has
them: what kind of value it is, which model attribute it shows, and where else
the field appears (input, CSV, admin, bulk update). The representations, the
input serializers, the OpenAPI schema, the admin and the CSV transfer are built
from the spec, so a field is declared once.
"""

import enum
import linecache
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from rest_framework import serializers

from config.api.fields import unix_time
from config.api.hashids import encode_id

AnyField = serializers.Field[Any, Any, Any, Any]


class Kind(enum.Enum):
    """What a field holds, which fixes how the API shows it and reads it."""

    TEXT = "text"  # a string of at most `max_length` characters
    LONG_TEXT = "long text"  # a string without a length limit
    ID = "id"  # an optional integer id, shown as a string ("" for none)
    COUNTRY = "country id"  # an ID of the country reference table
    FLAG = "flag"  # a boolean
    MONEY = "money"  # a decimal amount, shown as a float
    TIMESTAMP = "timestamp"  # a datetime, shown as unix seconds (0 when unset)
    HASHID = "hashid"  # a primary or foreign key, shown as a hashid ("" for none)
    SETTINGS = "settings"  # a settings object (a JSON object)
    COMPUTED = "computed"  # made by the representation, not read from the model


@dataclass(frozen=True)
class FieldSpec:
    """One key of an API object.

    `attribute` is the model attribute the output shows (default: `key`);
    `source` the model field a write sets, when it is not `key`
    (`group_settings_id` sets `group_settings`). `writable` puts the key in the
    input serializer; `csv`, `admin` and `bulk` in the CSV transfer's plain
    columns, the admin form and the bulk-update columns. `saved_only`
    timestamps show 0 until the row is saved. `label` is the admin's when the
    name reads wrong; `description` and `input_help` document the key in the
    schema's output and request bodies.
    """

    key: str
    kind: Kind
    attribute: str = ""
    max_length: int | None = None
    writable: bool = False
    source: str = ""
    csv: bool = False
    admin: bool = False
    bulk: bool = False
    saved_only: bool = False
    label: str = ""
    description: str = ""
    input_help: str = ""

    def __post_init__(self) -> None:
        if not self.attribute:
            object.__setattr__(self, "attribute", self.key)
        if not self.source:
            object.__setattr__(self, "source", self.key)
        if not (self.key.isidentifier() and self.attribute.isidentifier()):
            raise ValueError(f"{self.key!r}: keys and attributes are identifiers")
        if self.kind is Kind.COMPUTED and (self.writable or self.csv or self.admin):
            raise ValueError(f"{self.key!r}: a computed field is only shown")
        if (self.kind is Kind.TEXT) != (self.max_length is not None):
            raise ValueError(f"{self.key!r}: text, and only text, has a max_length")


def shown(
    key: str,
    kind: Kind,
    *,
    attribute: str = "",
    max_length: int | None = None,
    saved_only: bool = False,
    description: str = "",
) -> FieldSpec:
    """A key the API only shows."""
    return FieldSpec(
        key,
        kind,
        attribute=attribute,
        max_length=max_length,
        saved_only=saved_only,
        description=description,
    )


def edited(
    key: str,
    kind: Kind,
    max_length: int | None = None,
    *,
    admin: bool = True,
    bulk: bool = False,
    label: str = "",
    input_help: str = "",
) -> FieldSpec:
    """A key people write: in the input, the CSV transfer and (unless `admin` is
    false) the admin form."""
    return FieldSpec(
        key,
        kind,
        max_length=max_length,
        writable=True,
        csv=True,
        admin=admin,
        bulk=bulk,
        label=label,
        input_help=input_help,
    )


def pinned_order(
    fields: Iterable[FieldSpec], pinned: Sequence[str]
) -> tuple[FieldSpec, ...]:
    """`fields` with the keys of `pinned` first, in its order, then the others in
    spec order (a field added later goes after the pinned ones)."""
    rank = {key: position for position, key in enumerate(pinned)}
    return tuple(sorted(fields, key=lambda field: rank.get(field.key, len(rank))))


def keys(fields: Iterable[FieldSpec]) -> tuple[str, ...]:
    return tuple(field.key for field in fields)


def text_or_empty(value: object) -> str:
    """An optional id as the API shows it: `"840"`, or `""` for none."""
    return "" if value is None else str(value)


# How each kind is shown: an expression over `{value}`, the model attribute.
_SHOWN_AS = {
    Kind.TEXT: "{value}",
    Kind.LONG_TEXT: "{value}",
    Kind.FLAG: "{value}",
    Kind.ID: "text_or_empty({value})",
    Kind.COUNTRY: "text_or_empty({value})",
    Kind.MONEY: "float({value})",
    Kind.TIMESTAMP: "unix_time({value})",
    Kind.HASHID: "hashid({value})",
    Kind.SETTINGS: "{value} if isinstance({value}, dict) else {{}}",
}
_CONVERTERS: dict[str, Any] = {
    "hashid": encode_id,
    "unix_time": unix_time,
    "text_or_empty": text_or_empty,
}


def compile_representation(
    spec: Sequence[FieldSpec], name: str
) -> Callable[..., dict[str, Any]]:
    """`name(instance, *computed)`: the API object of a model instance, its keys
    in spec order; the computed keys' values are passed in spec order.

    The function is written out from the spec once, at import, as the single dict
    display a person would write (as `dataclasses` writes `__init__`): list pages
    render thousands of objects, and a loop over per-field getters costs about a
    tenth more. Pass the computed values by position: CPython 3.11 inlines such a
    call, not a call with keywords. Its source is in `linecache`, so tracebacks
    show the line.
    """
    computed = [field.key for field in spec if field.kind is Kind.COMPUTED]
    parameters = ", ".join(["obj", *computed])
    lines = [f"def {name}({parameters}):"]
    if any(field.saved_only for field in spec):
        lines.append("    saved = obj.pk is not None")
    lines.append("    return {")
    for field in spec:
        if field.kind is Kind.COMPUTED:
            expression = field.key
        else:
            expression = _SHOWN_AS[field.kind].format(value=f"obj.{field.attribute}")
            if field.saved_only:
                expression = f"{expression} if saved else 0"
        lines.append(f"        {field.key!r}: {expression},")
    lines.append("    }")
    source = "\n".join(lines) + "\n"
    filename = f"<field spec: {name}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = dict(_CONVERTERS)
    # Safe: the source is made of the spec's constants (keys are identifiers).
    exec(compile(source, filename, "exec"), namespace)
    return cast(Callable[..., dict[str, Any]], namespace[name])


def schema_field(field: FieldSpec) -> AnyField:
    """The read-only serializer field that describes `field` in the schema."""
    options: dict[str, Any] = {"read_only": True}
    if field.description:
        options["help_text"] = field.description
    if field.kind is Kind.FLAG:
        return serializers.BooleanField(**options)
    if field.kind is Kind.MONEY:
        return serializers.FloatField(**options)
    if field.kind is Kind.TIMESTAMP:
        return serializers.IntegerField(**options)
    if field.kind is Kind.SETTINGS:
        return serializers.DictField(**options)
    return serializers.CharField(**options)


def schema_fields(
    spec: Sequence[FieldSpec], computed: Mapping[str, AnyField]
) -> dict[str, AnyField]:
    """The fields of a schema-only output serializer, in spec order: one per
    key, the computed keys' from `computed` (which must name exactly those)."""
    wanted = {field.key for field in spec if field.kind is Kind.COMPUTED}
    if wanted != set(computed):
        raise ValueError(f"computed fields {sorted(wanted)}, given {sorted(computed)}")
    return {
        field.key: computed[field.key]
        if field.kind is Kind.COMPUTED
        else schema_field(field)
        for field in spec
    }
