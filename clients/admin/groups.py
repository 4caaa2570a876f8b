"""Django admin for groups of clients (their settings and their state)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import ngettext

from clients.admin.common import CompanyRowAdmin, acting_user
from clients.models import GroupSetting
from clients.services.clients import DELETED_CLIENT_MESSAGE
from clients.services.groups import (
    group_name_clean,
    group_setting_create,
    group_setting_update,
    group_settings_change_state,
)
from config.admin import StateListFilter

GROUP_ACTION_MESSAGES = {
    "archive": ("Archived %d group.", "Archived %d groups."),
    "restore": ("Restored %d group.", "Restored %d groups."),
    "delete": ("Deleted %d group.", "Deleted %d groups."),
}


class GroupSettingAdminForm(forms.ModelForm[GroupSetting]):
    """A group's name, checked by the rules the API applies (`group_name_clean`);
    settings are edited through the API, with its typing rules."""

    class Meta:
        model = GroupSetting
        fields = ("company", "name")

    def clean_name(self) -> str:
        name = str(self.cleaned_data.get("name") or "")
        if self.instance.pk is not None:
            company = self.instance.company
        else:
            company = self.cleaned_data.get("company")
        if company is None:
            return name
        try:
            return group_name_clean(company=company, name=name, group=self.instance)
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["name"]) from exc

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if self.instance.pk is not None and self.instance.is_deleted:
            raise forms.ValidationError(
                f"{DELETED_CLIENT_MESSAGE} (use the Restore action)."
            )
        return cleaned


@admin.register(GroupSetting)
class GroupSettingAdmin(CompanyRowAdmin[GroupSetting]):
    """Client groups; written through the group services like the API does."""

    form = GroupSettingAdminForm
    list_display = ("name", "company", "state_label", "client_count", "updated_at")
    list_select_related = ("company",)
    list_filter = (StateListFilter,)
    search_fields = ("name", "company__name")
    # Also the order of the client form's group autocomplete, which pages.
    ordering = ("name", "pk")
    autocomplete_fields = ("company",)
    readonly_fields = (
        "settings_json",
        "user",
        "created_at",
        "updated_at",
        "archived_at",
        "is_deleted",
    )
    actions = ("archive_groups", "restore_groups", "delete_groups")

    def get_queryset(self, request: HttpRequest) -> QuerySet[GroupSetting]:
        groups: QuerySet[GroupSetting] = super().get_queryset(request)
        return groups.annotate(clients_total=Count("clients"))

    @admin.display(description="clients", ordering="clients_total")
    def client_count(self, group: GroupSetting) -> int:
        return int(getattr(group, "clients_total", 0))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: GroupSetting, form: Any, change: bool
    ) -> None:
        data = {"name": form.cleaned_data["name"]}
        user = acting_user(request)
        if change:
            saved = group_setting_update(group=obj, user=user, data=data)
        else:
            saved = group_setting_create(
                company=form.cleaned_data["company"], user=user, data=data
            )
        obj.pk = saved.pk
        obj._state.adding = False
        obj.refresh_from_db()

    def _change_state(
        self, request: HttpRequest, queryset: QuerySet[GroupSetting], action: str
    ) -> None:
        count = group_settings_change_state(groups_queryset=queryset, action=action)
        singular, plural = GROUP_ACTION_MESSAGES[action]
        self.message_user(request, ngettext(singular, plural, count) % count)

    @admin.action(description="Archive selected groups", permissions=["change"])
    def archive_groups(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._change_state(request, queryset, "archive")

    @admin.action(description="Restore selected groups", permissions=["change"])
    def restore_groups(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._change_state(request, queryset, "restore")

    @admin.action(description="Delete selected groups (soft)", permissions=["change"])
    def delete_groups(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._change_state(request, queryset, "delete")
