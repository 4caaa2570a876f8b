"""Group writes and the rules of a group's input, for every caller.

The API's group input and the admin's group form both check a name with
`group_name_clean`; settings are typed by `settings_clean`, as a client's are. A
name taken meanwhile by a concurrent write ends in the database's unique
constraint, which the services answer with the same message.
"""

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.html import strip_tags

from clients.models import GROUP_NAME_TAKEN, GroupSetting
from clients.services.activities import user_id_of
from clients.services.clients import DELETED_CLIENT_MESSAGE
from clients.services.settings import settings_merge
from companies.models import Company
from config.db import SoftStateQuerySet
from config.errors import Refusal

GROUP_NAME_REQUIRED = "The name field is required."
GROUP_NAME_MAX_LENGTH = 255

GROUP_STATE_CHANGES: dict[str, Callable[[SoftStateQuerySet[Any]], int]] = {
    "archive": SoftStateQuerySet.archive,
    "restore": SoftStateQuerySet.restore,
    "delete": SoftStateQuerySet.soft_delete,
}


def group_name_clean(
    *, company: Company, name: str, group: GroupSetting | None = None
) -> str:
    """A group name as stored: HTML tags stripped, trimmed, required, at most 255
    characters, and unique in the company (compared exactly, deleted groups too;
    `group` is the one being renamed). Raises ValidationError keyed `name`."""
    clean = strip_tags(name).strip()
    if not clean:
        raise ValidationError({"name": [GROUP_NAME_REQUIRED]})
    if len(clean) > GROUP_NAME_MAX_LENGTH:
        raise ValidationError(
            {
                "name": [
                    f"The name may not be greater than {GROUP_NAME_MAX_LENGTH} "
                    "characters."
                ]
            }
        )
    others = GroupSetting.objects.filter(company=company, name=clean)
    if group is not None and group.pk is not None:
        others = others.exclude(pk=group.pk)
    if others.exists():
        raise ValidationError({"name": [GROUP_NAME_TAKEN]})
    return clean


def _save(group: GroupSetting) -> None:
    """Save; the unique name constraint's refusal is a ValidationError, not a 500."""
    try:
        group.save()
    except IntegrityError as exc:
        if "name" in str(exc):
            raise ValidationError({"name": [GROUP_NAME_TAKEN]}) from exc
        raise


@transaction.atomic
def group_setting_create(
    *, company: Company, user: AbstractBaseUser | None, data: Mapping[str, Any]
) -> GroupSetting:
    """Create a group from checked input (`name` from `group_name_clean`, typed
    `settings`)."""
    group = GroupSetting(
        company=company,
        user_id=user_id_of(user),
        name=data["name"],
        settings=settings_merge({}, data.get("settings") or {}),
    )
    _save(group)
    return group


@transaction.atomic
def group_setting_update(
    *, group: GroupSetting, user: AbstractBaseUser | None, data: Mapping[str, Any]
) -> GroupSetting:
    """Rename a group and/or merge settings into it; a deleted one is refused (400)."""
    locked: GroupSetting = GroupSetting.objects.select_for_update().get(pk=group.pk)
    if locked.is_deleted:
        raise Refusal(DELETED_CLIENT_MESSAGE, 400)
    if "name" in data:
        locked.name = data["name"]
    if "settings" in data:
        locked.settings = settings_merge(locked.settings, data["settings"] or {})
    _save(locked)
    return locked


@transaction.atomic
def group_settings_change_state(
    *, groups_queryset: QuerySet[GroupSetting], action: str
) -> int:
    """Archive, restore or delete a set of groups (set-based)."""
    change = GROUP_STATE_CHANGES.get(action)
    if change is None:
        raise ValueError(f"Unknown group action {action}")
    pks = list(groups_queryset.order_by().values_list("pk", flat=True))
    return change(GroupSetting.objects.filter(pk__in=pks))
