"""Query parameters of the clients list: filters, status and sort.

Every parameter is parsed and validated by its form field, so a malformed value is a
422 keyed by the parameter (through `ApiFilterBackend`) and the filter methods only
ever see clean values.
"""

import re
from datetime import UTC, datetime
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any, NamedTuple

import django_filters
from django import forms
from django.db.models import Exists, F, OrderBy, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from clients.models import Client, ClientQuerySet, ClientTag, GroupSetting, tag_key
from clients.services.tags import MAX_TAGS
from config.api.filters import (
    DIRECTIONS,
    ApiFilterSet,
    HashidFilter,
    Ordering,
    parse_sort,
)
from config.db import SoftStateQuerySet
from contacts.models import ClientContact

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

NULLABLE_SORT_FIELDS = {
    field
    for field in SORTABLE.values()
    if getattr(Client._meta.get_field(field), "null", False)
}


SEARCHED_CLIENT_FIELDS = (
    "name",
    "id_number",
    "number",
    "custom_value1",
    "custom_value2",
    "custom_value3",
    "custom_value4",
)
SEARCHED_CONTACT_FIELDS = ("first_name", "last_name", "email", "phone")

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


def _ordered(column: str, descending: bool) -> OrderBy:
    """Order by `column`; NULL sorts as the smallest value on every database."""
    if column in NULLABLE_SORT_FIELDS:
        if descending:
            return F(column).desc(nulls_last=True)
        return F(column).asc(nulls_first=True)
    return F(column).desc() if descending else F(column).asc()


def _tagged(keys: list[str]) -> Exists:
    """Whether the outer client has a tag of `keys` (its links hold only tags of
    its own company)."""
    return Exists(ClientTag.objects.filter(client_id=OuterRef("pk"), tag__key__in=keys))


def _live_contacts() -> QuerySet[ClientContact]:
    return ClientContact.objects.filter(client=OuterRef("pk"), is_deleted=False)


class ClientFilterSet(ApiFilterSet):
    """Filters, status and sort of `GET /api/v1/clients`; filters what it is given.

    The result is always ordered: by `sort` (ties broken by id in the same
    direction), else by id ascending.
    """

    status = StatusFilter(
        method="filter_status",
        help_text=(
            "Comma list of active, archived, deleted (OR-ed, any case). "
            "Without it, clients in every state are listed."
        ),
    )
    name = django_filters.CharFilter(
        method="filter_name",
        help_text=(
            "Case-insensitive substring of the name. Leading and trailing * are "
            "wildcards (`Bob*` is the same as `Bob`)."
        ),
    )
    filter = django_filters.CharFilter(
        method="filter_search",
        help_text=(
            "Case-insensitive substring of the name, id_number, number, "
            "custom_value1-4 or a contact's first_name, last_name, email or phone."
        ),
    )
    balance = BalanceFilter(
        method="filter_balance",
        help_text=(
            "An operator (lt, lte, gt, gte, eq) and a number separated by a colon: "
            "`gt:1000` or `1000:gt`."
        ),
    )
    between_balance = BalanceRangeFilter(
        method="filter_between_balance",
        help_text="`min:max`: balance between the two numbers, both included.",
    )
    email = django_filters.CharFilter(
        method="filter_email",
        help_text="Exact (case-insensitive) email of one of the client's contacts.",
    )
    id_number = django_filters.CharFilter(
        field_name="id_number", help_text="Exact id_number."
    )
    number = django_filters.CharFilter(field_name="number", help_text="Exact number.")
    client_id = HashidFilter(
        field_name="pk",
        help_text="Hashed client id; an undecodable id matches nothing.",
    )
    group = HashidFilter(
        field_name="group_settings_id",
        help_text="Hashed group id; an undecodable id matches nothing.",
    )
    created_at = SinceFilter(
        field_name="created_at",
        lookup_expr="gte",
        label="created at",
        help_text="Created at or after: a unix timestamp or an ISO-8601 date/time.",
    )
    updated_at = SinceFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label="updated at",
        help_text="Updated at or after: a unix timestamp or an ISO-8601 date/time.",
    )
    is_deleted = StrictBooleanFilter(
        field_name="is_deleted",
        label="is deleted",
        help_text="true/false/1/0: only deleted, or only not deleted, clients.",
    )
    custom_value1 = django_filters.CharFilter(
        field_name="custom_value1", help_text="Exact custom_value1."
    )
    custom_value2 = django_filters.CharFilter(
        field_name="custom_value2", help_text="Exact custom_value2."
    )
    custom_value3 = django_filters.CharFilter(
        field_name="custom_value3", help_text="Exact custom_value3."
    )
    custom_value4 = django_filters.CharFilter(
        field_name="custom_value4", help_text="Exact custom_value4."
    )
    tags = TagsFilter(
        method="filter_tags",
        help_text=("Comma list of tags (any case): clients having every one of them."),
    )
    tags_any = TagsFilter(
        method="filter_tags_any",
        label="tags any",
        help_text="Comma list of tags (any case): clients having at least one.",
    )
    sort = SortFilter(
        help_text=(
            "`column|direction` (asc or desc; `column` alone is asc). Columns: "
            f"{', '.join(SORTABLE)}. Ties are broken by id in the same direction; "
            "the default order is id|asc."
        ),
    )
    sort_dir = DirectionFilter(
        label="sort dir",
        help_text=(
            "asc or desc: the direction when `sort` names none (upstream examples "
            "send `sort=name&sort_dir=asc`)."
        ),
    )

    class Meta:
        model = Client
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[Client]) -> QuerySet[Client]:
        filtered: QuerySet[Client] = super().filter_queryset(queryset)
        return filtered.order_by(*self.ordering())

    def ordering(self) -> list[OrderBy]:
        """ORDER BY terms from valid `sort`/`sort_dir` values, else id ascending."""
        cleaned = getattr(self.form, "cleaned_data", {})
        sort: Ordering | None = cleaned.get("sort")
        column = SORTABLE[sort.column] if sort else "id"
        direction = (sort.direction if sort else None) or cleaned.get("sort_dir")
        descending = direction == "desc"
        terms = [_ordered(column, descending)]
        if column != "id":
            terms.append(_ordered("id", descending))
        return terms

    def filter_status(
        self, queryset: ClientQuerySet, name: str, value: set[str]
    ) -> Any:
        return queryset.with_states(value)

    def filter_name(self, queryset: QuerySet[Client], name: str, value: str) -> Any:
        text = value.strip("*")
        return queryset.filter(name__icontains=text) if text else queryset

    def filter_search(self, queryset: QuerySet[Client], name: str, value: str) -> Any:
        in_client = [
            Q(**{f"{field}__icontains": value}) for field in SEARCHED_CLIENT_FIELDS
        ]
        in_contacts = reduce(
            or_,
            [Q(**{f"{field}__icontains": value}) for field in SEARCHED_CONTACT_FIELDS],
        )
        return queryset.filter(
            reduce(or_, in_client) | Q(Exists(_live_contacts().filter(in_contacts)))
        )

    def filter_balance(
        self, queryset: QuerySet[Client], name: str, value: BalanceCondition
    ) -> Any:
        return queryset.filter(**{f"balance__{value.lookup}": value.amount})

    def filter_between_balance(
        self, queryset: QuerySet[Client], name: str, value: tuple[Decimal, Decimal]
    ) -> Any:
        return queryset.filter(balance__gte=value[0], balance__lte=value[1])

    def filter_email(self, queryset: QuerySet[Client], name: str, value: str) -> Any:
        return queryset.filter(Exists(_live_contacts().filter(email__iexact=value)))

    def filter_tags(
        self, queryset: QuerySet[Client], name: str, value: list[str]
    ) -> Any:
        for key in value:
            queryset = queryset.filter(_tagged([key]))
        return queryset

    def filter_tags_any(
        self, queryset: QuerySet[Client], name: str, value: list[str]
    ) -> Any:
        return queryset.filter(_tagged(value))


class GroupSettingFilterSet(django_filters.FilterSet):
    """`name` (case-insensitive substring) and `status` (as for clients)."""

    name = django_filters.CharFilter(
        field_name="name",
        lookup_expr="icontains",
        help_text="Case-insensitive substring of the name.",
    )
    status = StatusFilter(
        method="filter_status",
        help_text="Comma list of active, archived, deleted (OR-ed, any case).",
    )

    class Meta:
        model = GroupSetting
        fields: list[str] = []

    def filter_status(
        self, queryset: SoftStateQuerySet[GroupSetting], name: str, value: set[str]
    ) -> Any:
        return queryset.with_states(value)
