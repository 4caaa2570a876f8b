"""Group writes: create, rename and merge settings, archive/restore/delete."""

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet

from clients.models import GroupSetting
from clients.services.activities import _user_id
from clients.services.clients import DELETED_CLIENT_MESSAGE
from clients.services.settings import settings_merge
from companies.models import Company
from config.api.errors import ApiError

# ---------------------------------------------------------------------------
# Group settings


@transaction.atomic
def group_setting_create(
    *, company: Company, user: AbstractBaseUser | None, data: Mapping[str, Any]
) -> GroupSetting:
    """Create a group from validated input (`name` required, typed `settings`)."""
    group: GroupSetting = GroupSetting.objects.create(
        company=company,
        user_id=_user_id(user),
        name=data["name"],
        settings=settings_merge({}, data.get("settings") or {}),
    )
    return group


@transaction.atomic
def group_setting_update(
    *, group: GroupSetting, user: AbstractBaseUser | None, data: Mapping[str, Any]
) -> GroupSetting:
    """Rename a group and/or merge settings into it."""
    locked: GroupSetting = GroupSetting.objects.select_for_update().get(pk=group.pk)
    if locked.is_deleted:
        raise ApiError(DELETED_CLIENT_MESSAGE, 400)
    if "name" in data:
        locked.name = data["name"]
    if "settings" in data:
        locked.settings = settings_merge(locked.settings, data["settings"] or {})
    locked.save()
    return locked


@transaction.atomic
def group_settings_change_state(
    *, groups_queryset: QuerySet[GroupSetting], action: str
) -> int:
    """Archive, restore or delete a set of groups (set-based)."""
    pks = list(groups_queryset.order_by().values_list("pk", flat=True))
    groups = GroupSetting.objects.filter(pk__in=pks)
    if action == "archive":
        changed: int = groups.archive()
    elif action == "restore":
        changed = groups.restore()
    elif action == "delete":
        changed = groups.soft_delete()
    else:
        raise ValueError(f"Unknown group action {action}")
    return changed
