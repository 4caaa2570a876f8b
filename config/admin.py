"""Admin pieces shared by the apps: the active/archived/deleted state filter."""

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from config.db import SoftStateQuerySet

STATES = (("active", "Active"), ("archived", "Archived"), ("deleted", "Deleted"))


class StateListFilter(admin.SimpleListFilter):
    """Filter rows of a `SoftStateModel` by state (active, archived, deleted)."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        return STATES

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        value = self.value()
        if value not in dict(STATES):
            return queryset
        assert isinstance(queryset, SoftStateQuerySet)
        return queryset.with_states({str(value)})


@admin.display(description="state")
def state_display(obj: Model) -> str:
    """The row's state: `active`, `archived` or `deleted`.

    Named `state` only here: a client's `state` field is the state of its address.
    """
    if getattr(obj, "is_deleted", False):
        return "deleted"
    return "archived" if getattr(obj, "archived_at", None) else "active"
