"""Query parameters of the group settings list: `name` and `status`."""

from typing import Any

import django_filters

from clients.filters import StatusFilter
from clients.models import GroupSetting
from config.db import SoftStateQuerySet


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
