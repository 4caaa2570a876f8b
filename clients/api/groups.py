"""`/api/v1/group_settings`: groups of clients sharing settings."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers

from clients.api import examples
from clients.api.filters import GroupSettingFilterSet
from clients.api.inputs import GroupSettingInputSerializer
from clients.api.openapi import ERRORS_422
from clients.api.outputs import GroupSettingSerializer, group_representation
from clients.models import GroupSetting
from clients.services.clients import DELETED_CLIENT_MESSAGE
from clients.services.groups import (
    group_setting_create,
    group_setting_update,
    group_settings_change_state,
)
from config.api.bulk import MAX_BULK_IDS, BulkMixin, BulkRun, BulkService
from config.api.mixins import (
    CreateMixin,
    DestroyMixin,
    ListMixin,
    PatchMixin,
    RetrieveMixin,
)

GROUP_UPDATE_DESCRIPTION = (
    "Writes `name` and/or `settings` (merged key by key). Errors: 404 for an "
    f"unknown id; 400 for a deleted group; {ERRORS_422}."
)


def _change_state(name: str) -> BulkService:
    """The bulk service of one state change (`archive`, `restore`, `delete`)."""

    def change(rows: QuerySet[Any], run: BulkRun) -> int:
        return group_settings_change_state(groups_queryset=rows, action=name)

    return change


@extend_schema_view(
    list=extend_schema(
        summary="List groups",
        description=(
            "A page of the company's groups in id order, in any state unless "
            "`status` says which; `name` filters by a substring. Errors: "
            f"{ERRORS_422} for a malformed `status`."
        ),
        responses=GroupSettingSerializer(many=True),
    ),
    retrieve=extend_schema(
        summary="Show a group",
        description=(
            "One group, also when archived or deleted. Errors: 404 `Group not "
            "found` for an unknown id."
        ),
        responses=GroupSettingSerializer,
    ),
    create=extend_schema(
        summary="Create a group",
        description=(
            "Answers 200 with the group. `name` is required and unique in the "
            "company; `settings` are typed as a client's are, and its clients "
            f"inherit them. Errors: {ERRORS_422} (`name` missing or taken, a "
            "mistyped setting)."
        ),
        request=GroupSettingInputSerializer,
        responses=GroupSettingSerializer,
        examples=examples.GROUP_CREATE,
    ),
    update=extend_schema(
        summary="Update a group",
        description=GROUP_UPDATE_DESCRIPTION,
        request=GroupSettingInputSerializer,
        responses=GroupSettingSerializer,
    ),
    partial_update=extend_schema(
        summary="Update a group (PATCH)",
        description=f"The same as `PUT`. {GROUP_UPDATE_DESCRIPTION}",
        request=GroupSettingInputSerializer,
        responses=GroupSettingSerializer,
    ),
    destroy=extend_schema(
        summary="Delete a group",
        description=(
            "Marks the group deleted and answers it; a bulk `restore` brings it "
            "back. Errors: 404 for an unknown id."
        ),
        responses=GroupSettingSerializer,
    ),
    bulk=extend_schema(
        operation_id="group_settings_bulk",
        summary="Archive, restore or delete many groups",
        description=(
            f"Up to {MAX_BULK_IDS:,} ids; groups the user may not edit are "
            "skipped. Answers the groups asked for in the list envelope. Errors: "
            "422 and nothing changed when an id is not one of the company's "
            "groups or the action is unknown."
        ),
        request=inline_serializer(
            "GroupSettingBulk",
            {
                "action": serializers.ChoiceField(
                    choices=("archive", "restore", "delete"),
                    help_text="Also accepted in the query string.",
                ),
                "ids": serializers.ListField(
                    child=serializers.CharField(),
                    min_length=1,
                    max_length=MAX_BULK_IDS,
                    help_text="Hashed ids of the company's groups.",
                ),
            },
        ),
        responses=GroupSettingSerializer(many=True),
        examples=examples.GROUP_BULK,
    ),
)
class GroupSettingViewSet(
    ListMixin, RetrieveMixin, CreateMixin, PatchMixin, DestroyMixin, BulkMixin
):
    """`/api/v1/group_settings`: groups of clients sharing settings."""

    model = GroupSetting
    permission_entity = "group_settings"
    not_found_message = "Group not found"
    deleted_message = DELETED_CLIENT_MESSAGE
    serializer_class = GroupSettingSerializer
    filterset_class = GroupSettingFilterSet
    input_serializer_class = GroupSettingInputSerializer
    bulk_services = {
        name: _change_state(name) for name in ("archive", "restore", "delete")
    }
    bulk_description = (
        "archive, restore or delete groups; ids outside the company → 422."
    )

    def get_queryset(self) -> QuerySet[GroupSetting]:
        """The company's groups the member sees: all with `view_group_settings`,
        else the ones they made."""
        if getattr(self, "swagger_fake_view", False):
            return GroupSetting.objects.none()
        queryset: QuerySet[GroupSetting] = GroupSetting.objects.filter(
            company=self.company
        )
        if not self.membership.can("view", self.permission_entity):
            queryset = queryset.filter(user_id=self.membership.user_id)
        return queryset.order_by("id")

    def represent(self, row: GroupSetting) -> dict[str, Any]:
        return group_representation(row)

    def input_context(self, row: Any) -> dict[str, Any]:
        return {"company": self.company, "group": row}

    def perform_create(self, data: dict[str, Any]) -> GroupSetting:
        return group_setting_create(company=self.company, user=self.user, data=data)

    def perform_update(self, row: GroupSetting, data: dict[str, Any]) -> GroupSetting:
        return group_setting_update(group=row, user=self.user, data=data)

    def perform_destroy(self, row: GroupSetting) -> None:
        group_settings_change_state(
            groups_queryset=GroupSetting.objects.filter(pk=row.pk), action="delete"
        )
        row.refresh_from_db()

    def editable_rows(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        """All with `edit_group_settings`, else the ones the member made."""
        if self.membership.can("edit", self.permission_entity):
            return rows
        return rows.filter(user_id=self.membership.user_id)
