"""The list's filters: upstream's `status` and a `target_url` substring, `event_id`."""

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from config.db import STATES
from webhooks.models import Webhook


class StatesField(forms.CharField):
    """A comma list of active, archived, deleted (any case)."""

    def clean(self, value: Any) -> set[str] | None:
        text = super().clean(value)
        if not text:
            return None
        states = {part.strip().lower() for part in text.split(",") if part.strip()}
        if not states <= set(STATES):
            raise forms.ValidationError(
                "The status must be a comma list of active, archived, deleted."
            )
        return states


class StatesFilter(django_filters.Filter):
    field_class = StatesField


class WebhookFilterSet(django_filters.FilterSet):
    status = StatesFilter(
        method="filter_status",
        help_text="Comma list of active, archived, deleted (OR-ed, any case).",
    )
    target_url = django_filters.CharFilter(
        lookup_expr="icontains", help_text="Case-insensitive substring of the URL."
    )
    event_id = django_filters.NumberFilter(help_text="One client event's id.")

    class Meta:
        model = Webhook
        fields: list[str] = []

    def filter_status(
        self, queryset: QuerySet[Webhook], name: str, value: set[str]
    ) -> QuerySet[Webhook]:
        condition = Q(pk__in=[])
        for state in value:
            condition |= STATES[state]
        return queryset.filter(condition)
