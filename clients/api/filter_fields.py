"""The query parameters of the clients list, one form field each: how a value is
parsed, and the message a malformed one gets (a 422 keyed by the parameter)."""

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, NamedTuple

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from clients.models import tag_key
from clients.services.tags import MAX_TAGS
from config.api.filters import DIRECTIONS, Ordering, parse_sort

STATES = ("active", "archived", "deleted")

BALANCE_OPERATORS = {"lt": "lt", "lte": "lte", "gt": "gt", "gte": "gte", "eq": "exact"}

# Query column → model field. `number` sorts by its numeric-aware key.
SORTABLE = {
    "id": "id",
    "name": "name",
    "display_name": "name",
    "number": "number_sort",
    "id_number": "id_number",
    "balance": "balance",
    "paid_to_date": "paid_to_date",
    "credit_balance": "credit_balance",
    "created_at": "created_at",
    "updated_at": "updated_at",
    "archived_at": "archived_at",
    "city": "city",
    "state": "state",
    "postal_code": "postal_code",
    "country_id": "country_id",
    "website": "website",
    "phone": "phone",
    "custom_value1": "custom_value1",
    "custom_value2": "custom_value2",
    "custom_value3": "custom_value3",
    "custom_value4": "custom_value4",
}


_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_TIMESTAMP = re.compile(r"\d+(?:\.\d+)?")
# Longer numbers than this are far outside the money columns (20 digits, 6 decimals).
_MAX_NUMBER_LENGTH = 40


class BalanceCondition(NamedTuple):
    """A parsed `balance=` value: a Django lookup and the number to compare with."""

    lookup: str
    amount: Decimal


def _label(field: forms.Field) -> str:
    return str(field.label or "value")


def _parse_number(text: str) -> Decimal | None:
    text = text.strip()
    if len(text) > _MAX_NUMBER_LENGTH or not _NUMBER.fullmatch(text):
        return None
    return Decimal(text)


class _TextField(forms.CharField):
    """A CharField whose parse step sees the stripped text, or nothing when empty."""

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        return self.parse(text)

    def parse(self, text: str) -> Any:
        return text


class StatusField(_TextField):
    """`active,archived,deleted` in any case and order → a set; empty items ignored."""

    def parse(self, text: str) -> set[str] | None:
        states = {item.strip().lower() for item in text.split(",")} - {""}
        unknown = sorted(states - set(STATES))
        if unknown:
            raise forms.ValidationError(
                f"The selected status `{unknown[0]}` is invalid; "
                "use active, archived or deleted."
            )
        # Only empty items: the same as no status at all.
        return states or None


class BalanceField(_TextField):
    """`gt:1000` (the published form) or `1000:gt` (upstream's code)."""

    def parse(self, text: str) -> BalanceCondition:
        parts = [part.strip() for part in text.split(":")]
        if len(parts) == 2:
            for operator, number in (parts, parts[::-1]):
                lookup = BALANCE_OPERATORS.get(operator.lower())
                amount = _parse_number(number)
                if lookup is not None and amount is not None:
                    return BalanceCondition(lookup, amount)
        raise forms.ValidationError(
            "The balance must be an operator (lt, lte, gt, gte or eq) and a number "
            "separated by a colon, e.g. gt:1000."
        )


class BalanceRangeField(_TextField):
    """`min:max`, both numbers, min not above max."""

    def parse(self, text: str) -> tuple[Decimal, Decimal]:
        parts = text.split(":")
        bounds = [_parse_number(part) for part in parts]
        if len(bounds) != 2 or bounds[0] is None or bounds[1] is None:
            raise forms.ValidationError(
                "The between balance must be two numbers separated by a colon, "
                "e.g. 10:100."
            )
        low, high = bounds[0], bounds[1]
        if low > high:
            raise forms.ValidationError(
                "The between balance minimum must not be greater than its maximum."
            )
        return low, high


class SinceField(_TextField):
    """A unix timestamp or an ISO-8601 date/date-time; naive values are in UTC."""

    def parse(self, text: str) -> datetime:
        moment: datetime | None = None
        try:
            if _TIMESTAMP.fullmatch(text):
                moment = datetime.fromtimestamp(float(text), tz=UTC)
            else:
                moment = parse_datetime(text)
        except (ValueError, OverflowError, OSError):
            moment = None
        if moment is None:
            raise forms.ValidationError(
                f"The {_label(self)} must be a unix timestamp or an ISO-8601 date, "
                "e.g. 1700000000 or 2024-01-31."
            )
        if timezone.is_naive(moment):
            moment = moment.replace(tzinfo=UTC)
        return moment


class StrictBooleanField(_TextField):
    """`true/false/1/0` in any case; anything else is an error, not ignored."""

    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def parse(self, text: str) -> bool:
        value = self.VALUES.get(text.lower())
        if value is None:
            raise forms.ValidationError(
                f"The {_label(self)} field must be true or false."
            )
        return value


class DirectionField(_TextField):
    """`asc` or `desc` in any case."""

    def parse(self, text: str) -> str:
        direction = text.lower()
        if direction not in DIRECTIONS:
            raise forms.ValidationError(f"The {_label(self)} must be asc or desc.")
        return direction


class SortField(_TextField):
    """`column|direction`; `column` or `column|` means no direction was named."""

    def parse(self, text: str) -> Ordering:
        return parse_sort(text, SORTABLE)


class TagListField(_TextField):
    """`a,b`: tag names (compared case-insensitively), at most `MAX_TAGS`."""

    def parse(self, text: str) -> list[str]:
        keys = {tag_key(item.strip()) for item in text.split(",")} - {""}
        if len(keys) > MAX_TAGS:
            raise forms.ValidationError(
                f"The {_label(self)} may name at most {MAX_TAGS} tags."
            )
        return sorted(keys)


class StatusFilter(django_filters.CharFilter):
    field_class = StatusField


class BalanceFilter(django_filters.CharFilter):
    field_class = BalanceField


class BalanceRangeFilter(django_filters.CharFilter):
    field_class = BalanceRangeField


class SinceFilter(django_filters.CharFilter):
    field_class = SinceField


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class _OrderingInput(django_filters.CharFilter):
    """A validated parameter that orders rather than filters (see `ordering()`)."""

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        return qs


class TagsFilter(django_filters.CharFilter):
    field_class = TagListField


class SortFilter(_OrderingInput):
    field_class = SortField


class DirectionFilter(_OrderingInput):
    field_class = DirectionField
