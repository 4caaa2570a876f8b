"""Query parameters of the clients list: filters, status and sort.

Every parameter is parsed and validated by its form field, so a malformed value is a
422 keyed by the parameter (through `ApiFilterBackend`) and the filter methods only
ever see clean values.
"""

from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

import django_filters
from django.db.models import Exists, F, OrderBy, Q, QuerySet

from clients.api.conditions import column_is, contact_email_is, live_contacts, tagged
from clients.api.filter_fields import (
    SORTABLE,
    BalanceCondition,
    BalanceFilter,
    BalanceRangeFilter,
    DirectionFilter,
    SinceFilter,
    SortFilter,
    StatusFilter,
    StrictBooleanFilter,
    TagsFilter,
)
from clients.api.where import WHERE_HELP, WhereFilter
from clients.models import Client, ClientQuerySet, GroupSetting
from config.api.filters import (
    ApiFilterSet,
    HashidFilter,
    Ordering,
)
from config.db import SoftStateQuerySet

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


def _ordered(column: str, descending: bool) -> OrderBy:
    """Order by `column`; NULL sorts as the smallest value on every database."""
    if column in NULLABLE_SORT_FIELDS:
        if descending:
            return F(column).desc(nulls_last=True)
        return F(column).asc(nulls_first=True)
    return F(column).desc() if descending else F(column).asc()


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
    where = WhereFilter(help_text=WHERE_HELP)
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
            reduce(or_, in_client) | Q(Exists(live_contacts().filter(in_contacts)))
        )

    def filter_balance(
        self, queryset: QuerySet[Client], name: str, value: BalanceCondition
    ) -> Any:
        return queryset.filter(column_is("balance", value.lookup, value.amount))

    def filter_between_balance(
        self, queryset: QuerySet[Client], name: str, value: tuple[Decimal, Decimal]
    ) -> Any:
        return queryset.filter(balance__gte=value[0], balance__lte=value[1])

    def filter_email(self, queryset: QuerySet[Client], name: str, value: str) -> Any:
        return queryset.filter(contact_email_is("iexact", value))

    def filter_tags(
        self, queryset: QuerySet[Client], name: str, value: list[str]
    ) -> Any:
        for key in value:
            queryset = queryset.filter(tagged([key]))
        return queryset

    def filter_tags_any(
        self, queryset: QuerySet[Client], name: str, value: list[str]
    ) -> Any:
        return queryset.filter(tagged(value))


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
