"""django-filter pieces shared by every FilterSet of the API."""

from typing import Any, NamedTuple

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from config.api.hashids import decode_id


class HashidFilter(django_filters.CharFilter):
    """Filter on a hashed id; an undecodable value matches nothing."""

    def filter(self, qs: QuerySet[Any], value: str) -> QuerySet[Any]:
        if value in ("", None):
            return qs
        pk = decode_id(value)
        if pk is None:
            return qs.none()
        return qs.filter(**{self.field_name: pk})


def filters_sent(request: Request, filterset_class: Any) -> bool:
    """Whether the query string names any filter of the FilterSet (a list without
    any can skip building and validating the FilterSet's form, a large share of a
    list request)."""
    return any(name in request.query_params for name in filterset_class.base_filters)


class ApiFilterBackend(django_filters.rest_framework.DjangoFilterBackend):
    """Invalid filter values answer 422 keyed by the query parameter."""

    def filter_queryset(
        self, request: Request, queryset: QuerySet[Any], view: Any
    ) -> QuerySet[Any]:
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise ValidationError(
                {
                    key: [str(message) for message in messages]
                    for key, messages in filterset.errors.items()
                }
            )
        rows: QuerySet[Any] = filterset.qs
        return rows


DIRECTIONS = ("asc", "desc")


class Ordering(NamedTuple):
    """A parsed `sort=` value; `direction` is None when the value names none."""

    column: str
    direction: str | None


def parse_sort(text: str, sortable: Any) -> Ordering:
    """Read `column|direction` (`asc`/`desc`, any case); `column` or `column|` names
    no direction. Another column, direction or shape fails with a clear message."""
    parts = [part.strip() for part in text.split("|")]
    if len(parts) > 2:
        raise forms.ValidationError(
            "The sort must be a column and a direction separated by |, e.g. name|desc."
        )
    column = parts[0].lower()
    if column not in sortable:
        raise forms.ValidationError(
            f"The sort column `{parts[0]}` is not sortable; use one of "
            f"{', '.join(sortable)}."
        )
    direction = parts[1].lower() if len(parts) == 2 and parts[1] else None
    if direction is not None and direction not in DIRECTIONS:
        raise forms.ValidationError("The sort direction must be asc or desc.")
    return Ordering(column, direction)


class ApiFilterSet(django_filters.FilterSet):
    """A FilterSet that is bound even without parameters, so `qs` always carries
    the default order."""

    def __init__(
        self,
        data: QueryDict | dict[str, Any] | None = None,
        queryset: QuerySet[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            data=QueryDict() if data is None else data, queryset=queryset, **kwargs
        )
