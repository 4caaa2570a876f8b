"""Query parameters of `GET /api/v1/documents`: name, type, client and sort."""

from typing import Any, NamedTuple

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, OrderBy, QuerySet
from django.http import QueryDict

from clients.models import Client
from config.api.filters import HashidFilter
from documents.models import Document

SORTABLE = ("id", "name", "size", "type", "created_at")
DIRECTIONS = ("asc", "desc")


class Ordering(NamedTuple):
    """A parsed `sort=` value."""

    column: str
    descending: bool


class SortField(forms.CharField):
    """`column|direction` (`asc`/`desc`, any case); `column` or `column|` is asc."""

    def clean(self, value: Any) -> Ordering | None:
        text = str(super().clean(value) or "").strip()
        if not text:
            return None
        parts = [part.strip() for part in text.split("|")]
        if len(parts) > 2:
            raise forms.ValidationError(
                "The sort must be a column and a direction separated by |, "
                "e.g. name|desc."
            )
        column = parts[0].lower()
        if column not in SORTABLE:
            raise forms.ValidationError(
                f"The sort column `{parts[0]}` is not sortable; use one of "
                f"{', '.join(SORTABLE)}."
            )
        direction = parts[1].lower() if len(parts) == 2 and parts[1] else "asc"
        if direction not in DIRECTIONS:
            raise forms.ValidationError("The sort direction must be asc or desc.")
        return Ordering(column, direction == "desc")


class SortFilter(django_filters.CharFilter):
    """Validated by SortField; the FilterSet applies the order."""

    field_class = SortField


class ClientIdFilter(HashidFilter):
    """Documents of one client (hashid); an undecodable id matches nothing."""

    def filter(self, qs: QuerySet[Any], value: str) -> QuerySet[Any]:
        if value in ("", None):
            return qs
        narrowed: QuerySet[Any] = super().filter(qs, value)
        return narrowed.filter(owner_type=ContentType.objects.get_for_model(Client))


class DocumentFilterSet(django_filters.FilterSet):
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

    def __init__(
        self,
        data: QueryDict | dict[str, Any] | None = None,
        queryset: QuerySet[Document] | None = None,
        **kwargs: Any,
    ) -> None:
        # Bound even without parameters, so `qs` always carries the default order.
        super().__init__(
            data=QueryDict() if data is None else data, queryset=queryset, **kwargs
        )

    def filter_noop(self, queryset: QuerySet[Document], name: str, value: Any) -> Any:
        return queryset

    def filter_queryset(self, queryset: QuerySet[Document]) -> QuerySet[Document]:
        filtered: QuerySet[Document] = super().filter_queryset(queryset)
        return filtered.order_by(*self.ordering())

    def ordering(self) -> list[OrderBy]:
        """ORDER BY the valid `sort`, else id ascending; ties by id, same way."""
        sort: Ordering | None = getattr(self.form, "cleaned_data", {}).get("sort")
        column, descending = (sort.column, sort.descending) if sort else ("id", False)
        columns = [column] if column == "id" else [column, "id"]
        return [F(c).desc() if descending else F(c).asc() for c in columns]
