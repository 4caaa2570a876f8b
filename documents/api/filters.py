"""Query parameters of `GET /api/v1/documents`: name, type, client and sort."""

from typing import Any

import django_filters
from django import forms
from django.db.models import F, OrderBy, QuerySet

from clients.selectors import client_type_id
from config.api.filters import ApiFilterSet, HashidFilter, Ordering, parse_sort
from documents.models import Document

SORTABLE = ("id", "name", "size", "type", "created_at")


class SortField(forms.CharField):
    """`column|direction` (`asc`/`desc`, any case); `column` or `column|` is asc."""

    def clean(self, value: Any) -> Ordering | None:
        text = str(super().clean(value) or "").strip()
        return parse_sort(text, SORTABLE) if text else None


class SortFilter(django_filters.CharFilter):
    """Validated by SortField; the FilterSet applies the order."""

    field_class = SortField


class ClientIdFilter(HashidFilter):
    """Documents of one client (hashid); an undecodable id matches nothing."""

    def filter(self, qs: QuerySet[Any], value: str) -> QuerySet[Any]:
        if value in ("", None):
            return qs
        narrowed: QuerySet[Any] = super().filter(qs, value)
        return narrowed.filter(owner_type_id=client_type_id())


class DocumentFilterSet(ApiFilterSet):
    """Filters and sort of the documents list; always ordered, ties broken by id."""

    name = django_filters.CharFilter(
        lookup_expr="icontains", help_text="Case-insensitive substring of the name."
    )
    type = django_filters.CharFilter(
        lookup_expr="iexact", help_text="File type (extension), e.g. pdf."
    )
    client_id = ClientIdFilter(
        field_name="owner_id", help_text="Hashed id of the client owning documents."
    )
    sort = SortFilter(
        method="filter_noop",
        help_text=(
            f"column|direction, column one of {', '.join(SORTABLE)}, direction asc "
            "or desc (default id|asc)."
        ),
    )

    class Meta:
        model = Document
        fields: list[str] = []

    def filter_noop(self, queryset: QuerySet[Document], name: str, value: Any) -> Any:
        return queryset

    def filter_queryset(self, queryset: QuerySet[Document]) -> QuerySet[Document]:
        filtered: QuerySet[Document] = super().filter_queryset(queryset)
        return filtered.order_by(*self.ordering())

    def ordering(self) -> list[OrderBy]:
        """ORDER BY the valid `sort`, else id ascending; ties by id, same way."""
        sort: Ordering | None = getattr(self.form, "cleaned_data", {}).get("sort")
        column, descending = (
            (sort.column, sort.direction == "desc") if sort else ("id", False)
        )
        columns = [column] if column == "id" else [column, "id"]
        return [F(c).desc() if descending else F(c).asc() for c in columns]
