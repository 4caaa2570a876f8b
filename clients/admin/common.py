"""Admin helpers the client, group and log pages share."""

import json
from typing import Any, TypeVar

from django.contrib import admin
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Model
from django.http import HttpRequest
from django.utils.html import format_html

from clients.models import Activity
from config.admin import state_display

_Row = TypeVar("_Row", bound=Model)

ACTIVITY_LABELS = {
    Activity.CREATE_CLIENT: "created",
    Activity.ARCHIVE_CLIENT: "archived",
    Activity.DELETE_CLIENT: "deleted",
    Activity.RESTORE_CLIENT: "restored",
    Activity.UPDATE_CLIENT: "updated",
    Activity.MERGE_CLIENT: "merged",
    Activity.UPLOAD_DOCUMENT: "document uploaded",
}


def pretty_json(value: Any) -> str:
    """A JSON value, indented, for a read-only admin field."""
    return format_html("<pre>{}</pre>", json.dumps(value, indent=2, sort_keys=True))


def acting_user(request: HttpRequest) -> AbstractBaseUser | None:
    """The staff user, recorded on activities like an API user would be."""
    user = request.user
    return user if isinstance(user, AbstractBaseUser) else None


class CompanyRowAdmin(admin.ModelAdmin[_Row]):
    """A company's row with a state and settings (a client, a group): both shown
    read-only, and the company fixed once the row is saved."""

    @admin.display(description="state")
    def state_label(self, row: _Row) -> str:
        return state_display(row)

    @admin.display(description="settings")
    def settings_json(self, row: _Row) -> str:
        return pretty_json(getattr(row, "settings", None))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        return (*fields, "company") if obj is not None else fields
