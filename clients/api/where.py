"""`GET /api/v1/clients?where=...`: the `where=` fields of the clients list.

`parse_where` (config.api.where) reads the syntax; `WHERE_FIELDS` says what each
field is and how it filters. Every condition compiles to a `Q` built by
`clients.api.conditions`, the builders the list's own filters use, and the
conditions are AND-ed onto the list's queryset like one more filter: no SQL of
its own, and the company scope of the queryset is never left.

A field is one entry in `WHERE_FIELDS`.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from functools import partial, reduce
from operator import or_
from typing import Any

import django_filters
from django import forms
from django.db.models import Q

from clients.api.conditions import (
    column_is,
    contact_email_is,
    is_active,
    tags_condition,
)
from clients.api.filter_fields import SinceField
from config.api.hashids import decode_id
from config.api.where import Condition, Value, parse_where, problem

MAX_LENGTH = 1000
MAX_CONDITIONS = 20
MAX_LISTED_VALUES = 100
MAX_LIKE_ANY = 3
MAX_COUNTRY_ID = 2**31 - 1


class ValueType(Enum):
    TEXT = "a quoted string"
    NUMBER = "a number"
    MOMENT = "a unix timestamp or a quoted ISO-8601 date"
    COUNTRY = "a country id (a number)"
    HASHID = "a quoted hashed id"
    FLAG = "true or false"


MEMBERSHIP = ("=", "!=", "in", "not in")
ORDERED = (*MEMBERSHIP, "<", "<=", ">", ">=")
TEXT = (*MEMBERSHIP, "like", "not like")
FLAG = ("=", "!=")

LOOKUPS = {"=": "exact", "<": "lt", "<=": "lte", ">": "gt", ">=": "gte", "in": "in"}
NEGATED = {"!=": "=", "not in": "in", "not like": "like"}

# (lookup, value) → the condition on a client.
Builder = Callable[[str, Any], Q]


@dataclass(frozen=True)
class WhereField:
    type: ValueType
    operators: tuple[str, ...]
    condition: Builder
    # `=` and `in` ignore case (as the list's email filter does).
    ignores_case: bool = False


def _column(name: str) -> Builder:
    return partial(column_is, name)


def _state(lookup: str, value: bool) -> Q:
    return is_active(value)


def _text(column: str) -> WhereField:
    return WhereField(ValueType.TEXT, TEXT, _column(column))


WHERE_FIELDS: dict[str, WhereField] = {
    "name": _text("name"),
    "number": _text("number"),
    "id_number": _text("id_number"),
    "custom_value1": _text("custom_value1"),
    "custom_value2": _text("custom_value2"),
    "custom_value3": _text("custom_value3"),
    "custom_value4": _text("custom_value4"),
    "email": WhereField(ValueType.TEXT, TEXT, contact_email_is, ignores_case=True),
    "balance": WhereField(ValueType.NUMBER, ORDERED, _column("balance")),
    "paid_to_date": WhereField(ValueType.NUMBER, ORDERED, _column("paid_to_date")),
    "created_at": WhereField(ValueType.MOMENT, ORDERED, _column("created_at")),
    "updated_at": WhereField(ValueType.MOMENT, ORDERED, _column("updated_at")),
    "country_id": WhereField(ValueType.COUNTRY, MEMBERSHIP, _column("country_id")),
    "group": WhereField(ValueType.HASHID, MEMBERSHIP, _column("group_settings_id")),
    "active": WhereField(ValueType.FLAG, FLAG, _state),
    "is_deleted": WhereField(ValueType.FLAG, FLAG, _column("is_deleted")),
    "tags": WhereField(ValueType.TEXT, MEMBERSHIP, tags_condition),
}

# Matches no row: what an undecodable hashed id selects, as in the `group` filter.
NOTHING = Q(pk__in=[])


def _moment(text: str) -> Any:
    # The list's `created_at=` parsing.
    return SinceField().parse(text)


def _typed(field: str, spec: WhereField, item: Value) -> Any:
    """The value as the column compares it, or a problem at its position."""
    raw, wanted = item.value, spec.type
    try:
        if wanted is ValueType.TEXT and not isinstance(raw, bool):
            return str(raw)
        if wanted is ValueType.NUMBER and isinstance(raw, Decimal):
            return raw
        if wanted is ValueType.MOMENT and not isinstance(raw, bool):
            return _moment(str(raw))
        if wanted is ValueType.FLAG and isinstance(raw, bool):
            return raw
        if wanted is ValueType.HASHID and isinstance(raw, str):
            return decode_id(raw)
        if wanted is ValueType.COUNTRY and not isinstance(raw, bool):
            text = str(raw)
            if text.isascii() and text.isdigit() and int(text) <= MAX_COUNTRY_ID:
                return int(text)
    except forms.ValidationError:
        pass
    raise problem(
        f"The where value of {field} must be {wanted.value}, not {item.kind} `{raw}`",
        item.position,
    )


def _like_pattern(field: str, item: Value, pattern: str) -> str:
    """The pattern with runs of `%` made one; at most `MAX_LIKE_ANY` of them
    (LIKE matching retries the rest of the text at every inner `%`)."""
    pattern = re.sub("%+", "%", pattern)
    if pattern.count("%") > MAX_LIKE_ANY:
        raise problem(
            f"The where like pattern of {field} may have at most {MAX_LIKE_ANY} %",
            item.position,
        )
    return pattern


def _positive(field: str, spec: WhereField, condition: Condition) -> Q:
    """The condition with its operator made positive (`!=` → `=`...)."""
    operator = NEGATED.get(condition.operator, condition.operator)
    values = [_typed(field, spec, item) for item in condition.values]
    if operator == "like":
        pattern = _like_pattern(field, condition.values[0], values[0])
        return spec.condition("like", pattern)
    if spec.type is ValueType.HASHID:
        values = [value for value in values if value is not None]
        if not values:
            return NOTHING
    if operator == "in":
        if spec.ignores_case:
            return reduce(or_, (spec.condition("iexact", value) for value in values))
        return spec.condition("in", values)
    lookup = LOOKUPS[operator]
    if spec.ignores_case and lookup == "exact":
        lookup = "iexact"
    return spec.condition(lookup, values[0])


def compile_condition(condition: Condition) -> Q:
    """One parsed condition as a `Q` on clients, or a problem at its position."""
    field = condition.field.lower()
    spec = WHERE_FIELDS.get(field)
    if spec is None:
        raise problem(
            f"The where field `{condition.field}` is unknown; use one of "
            f"{', '.join(WHERE_FIELDS)}",
            condition.field_position,
        )
    operator = condition.operator
    if operator not in spec.operators:
        raise problem(
            f"The where operator `{operator}` does not apply to {field}; use "
            f"{', '.join(spec.operators)}",
            condition.operator_position,
        )
    listing = operator in ("in", "not in")
    if listing != condition.listed:
        wanted = "a list of values in parentheses" if listing else "one value"
        raise problem(
            f"The where {field} {operator} takes {wanted}",
            condition.values[0].position,
        )
    if len(condition.values) > MAX_LISTED_VALUES:
        raise problem(
            f"The where {operator} list may have at most {MAX_LISTED_VALUES} values",
            condition.values[MAX_LISTED_VALUES].position,
        )
    positive = _positive(field, spec, condition)
    return ~positive if operator in NEGATED else positive


class WhereFormField(forms.CharField):
    """`where=` → the list of `Q` conditions it compiles to (None when empty)."""

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        if "\x00" in text:
            # The database refuses it in a string; the validator that catches it
            # in other parameters would only see the compiled conditions here.
            raise problem(
                "The where may not contain a null character", text.index("\x00") + 1
            )
        conditions = parse_where(
            text, max_length=MAX_LENGTH, max_conditions=MAX_CONDITIONS
        )
        return [compile_condition(condition) for condition in conditions]


class WhereFilter(django_filters.CharFilter):
    field_class = WhereFormField

    def filter(self, qs: Any, value: list[Q] | None) -> Any:
        return qs.filter(*value) if value else qs


WHERE_HELP = (
    'Paymo-style conditions joined by `and`: `name like "%Inc%" and '
    "balance>100 and active=true`. Operators `=`, `!=`, `<`, `<=`, `>`, `>=`, "
    "`like`, `not like` (`%` any text, `_` one character, case ignored), `in (…)`, "
    "`not in (…)`; values are quoted strings, numbers, true/false. Fields: "
    f"{', '.join(WHERE_FIELDS)}. At most {MAX_LENGTH} characters, "
    f"{MAX_CONDITIONS} conditions, {MAX_LISTED_VALUES} values in a list and "
    f"{MAX_LIKE_ANY} `%` in a like pattern; a "
    "problem is a 422 keyed `where` naming its character. Combines with every "
    "other parameter."
)
