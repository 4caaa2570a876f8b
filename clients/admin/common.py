"""Admin helpers the client, group and log pages share."""

import json
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from django.utils.html import format_html

from clients.models import Activity

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
