"""django-filter pieces shared by every FilterSet of the API."""

import copy
from typing import Any, ClassVar, NamedTuple

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
    the default order.

    Only the filters the query string names are copied, validated and applied
    (the others would filter nothing): django-filter deep-copies every filter
    and builds a form class on each request, most of a filtered list's Python
    time with 25 filters of which a request sends two. The form class for each
    set of names is built once per process.
    """

    _form_classes: ClassVar[dict[tuple[type, frozenset[str]], type[forms.Form]]] = {}

    def __init__(
        self,
        data: QueryDict | dict[str, Any] | None = None,
        queryset: QuerySet[Any] | None = None,
        *,
        request: Any = None,
        prefix: str | None = None,
    ) -> None:
        # django-filter's own __init__, but for the filters it copies.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = True
        self.data = QueryDict() if data is None else data
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {
            name: copy.deepcopy(filter_)
            for name, filter_ in self.base_filters.items()
            if name in self.data
        }
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self

    def get_form_class(self) -> type[forms.Form]:
        key = (type(self), frozenset(self.filters))
        form_class = self._form_classes.get(key)
        if form_class is None:
            form_class = super().get_form_class()
            self._form_classes[key] = form_class
        return form_class
