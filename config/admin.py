"""Admin pieces shared by the apps: the site's names, the state, yes/no and id
filters, read-only permissions, money as staff read it, and API messages in the
admin's words.

The apps' admin modules import this one, so the names below are set whenever
the admin is loaded.
"""

from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from config.db import SoftStateQuerySet

admin.site.site_header = "Clients API administration"
admin.site.site_title = "Clients API admin"

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


class FlagListFilter(admin.SimpleListFilter):
    """A boolean field as two named choices under a staff title (`By status:
    Active, Revoked`, where Django's own filter says `By is revoked: Yes, No`)."""

    field_name = ""
    # (parameter value, label, field value)
    flags: tuple[tuple[str, str, bool], ...] = ()

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        return [(value, label) for value, label, _ in self.flags]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        for value, _, flag in self.flags:
            if self.value() == value:
                return queryset.filter(**{self.field_name: flag})
        return queryset


class IdListFilter(admin.SimpleListFilter):
    """Rows whose integer `field_name` is the chosen id; an id that is not a
    number matches nothing (rather than a 500 from the database)."""

    field_name = ""

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        value = self.value()
        if value is None:
            return queryset
        if not (str(value).isascii() and str(value).isdigit()):
            return queryset.none()
        return queryset.filter(**{self.field_name: int(value)})


class ReadOnlyMixin:
    """For an admin or inline that staff may read but never change."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.display(description="state")
def state_display(obj: Model) -> str:
    """The row's state: `active`, `archived` or `deleted`.

    Named `state` only here: a client's `state` field is the state of its address.
    """
    if getattr(obj, "is_deleted", False):
        return "deleted"
    return "archived" if getattr(obj, "archived_at", None) else "active"


def money(amount: Decimal | int) -> str:
    """An amount with thousands separators and two decimals: `26,343.85`.

    Amounts are stored with six decimals; a third or later one is shown when it is
    not zero, so staff never see a rounded figure.
    """
    value = Decimal(amount)
    exponent = value.normalize().as_tuple().exponent
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    return f"{value:,.{places}f}"


def in_staff_words(message: str, api_name: str, label: str, subject: str = "") -> str:
    """An API validation message with the API's name of a value replaced by the
    admin's label: `The contacts.0.email must be …` → `Contact 1: email must be …`
    (with `subject`), `The selected group settings id is invalid.` → `The selected
    group is invalid.`. Messages of another shape are returned unchanged."""
    label = label if label[:2].isupper() else label[:1].lower() + label[1:]
    for name in dict.fromkeys((api_name, api_name.replace("_", " "))):
        for opening in ("The selected ", "The "):
            if message.startswith(f"{opening}{name} "):
                rest = message[len(opening) + len(name) + 1 :]
                if subject:
                    return f"{subject}: {label} {rest.removeprefix('field ')}"
                return f"{opening}{label} {rest}"
    return message
