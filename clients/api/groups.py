"""`/api/v1/group_settings`: groups of clients sharing settings."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from drf_spectacular.utils import (
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from clients.api.filters import GroupSettingFilterSet
from clients.api.inputs import GroupSettingInputSerializer
from clients.api.outputs import GroupSettingSerializer, group_representation
from clients.api.views import ERRORS_422
from clients.models import GroupSetting
from clients.services.clients import DELETED_CLIENT_MESSAGE
from clients.services.groups import (
    group_setting_create,
    group_setting_update,
    group_settings_change_state,
)
from config.api import examples
from config.api.bulk import MAX_BULK_IDS, _merge_errors, company_ids
from config.api.errors import ApiError
from config.api.viewsets import CompanyScopedViewSet

GROUP_UPDATE_DESCRIPTION = (
    "Writes `name` and/or `settings` (merged key by key). Errors: 404 for an "
    f"unknown id; 400 for a deleted group; {ERRORS_422}."
)


class GroupSettingViewSet(CompanyScopedViewSet):
    """`/api/v1/group_settings`: groups of clients sharing settings."""

    permission_entity = "group_settings"
    permission_action: str | None = None
    not_found_message = "Group not found"
    serializer_class = GroupSettingSerializer
    filterset_class = GroupSettingFilterSet

    def get_queryset(self) -> QuerySet[GroupSetting]:
        if getattr(self, "swagger_fake_view", False):
            return GroupSetting.objects.none()
        queryset: QuerySet[GroupSetting] = GroupSetting.objects.filter(
            company=self.company
        )
        if not self.membership.can("view", self.permission_entity):
            queryset = queryset.filter(user_id=self.membership.user_id)
        return queryset.order_by("id")

    @property
    def user(self) -> AbstractBaseUser:
        user = self.request.user
        assert isinstance(user, AbstractBaseUser)
        return user

    def respond(self, group: GroupSetting) -> Response:
        return Response({"data": group_representation(group)})

    def input_data(self, group: GroupSetting | None = None) -> dict[str, Any]:
        serializer = GroupSettingInputSerializer(
            data=self.request.data,
            partial=group is not None,
            context={"company": self.company, "group": group},
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(
        summary="List groups",
        description=(
            "A page of the company's groups in id order, in any state unless "
            "`status` says which; `name` filters by a substring. Errors: "
            f"{ERRORS_422} for a malformed `status`."
        ),
        responses=GroupSettingSerializer(many=True),
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(
            [group_representation(group) for group in page or []]
        )

    @extend_schema(
        summary="Show a group",
        description=(
            "One group, also when archived or deleted. Errors: 404 `Group not "
            "found` for an unknown id."
        ),
        responses=GroupSettingSerializer,
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.respond(self.get_object())

    @extend_schema(
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
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        group = group_setting_create(
            company=self.company, user=self.user, data=self.input_data()
        )
        return self.respond(group)

    @extend_schema(
        summary="Update a group",
        description=GROUP_UPDATE_DESCRIPTION,
        request=GroupSettingInputSerializer,
        responses=GroupSettingSerializer,
    )
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        group: GroupSetting = self.get_object()
        if group.is_deleted:
            raise ApiError(DELETED_CLIENT_MESSAGE, 400)
        group = group_setting_update(
            group=group, user=self.user, data=self.input_data(group)
        )
        return self.respond(group)

    @extend_schema(
        summary="Update a group (PATCH)",
        description=f"The same as `PUT`. {GROUP_UPDATE_DESCRIPTION}",
        request=GroupSettingInputSerializer,
        responses=GroupSettingSerializer,
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, **kwargs)

    @extend_schema(
        summary="Delete a group",
        description=(
            "Marks the group deleted and answers it; a bulk `restore` brings it "
            "back. Errors: 404 for an unknown id."
        ),
        responses=GroupSettingSerializer,
    )
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        group: GroupSetting = self.get_object()
        group_settings_change_state(
            groups_queryset=GroupSetting.objects.filter(pk=group.pk), action="delete"
        )
        group.refresh_from_db()
        return self.respond(group)

    @extend_schema(
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
    )
    @action(detail=False, methods=["post"], url_path="bulk", permission_action="edit")
    def bulk(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """archive, restore or delete groups; ids outside the company → 422."""
        body = request.data if hasattr(request.data, "get") else {}
        name = str(body.get("action") or request.query_params.get("action", ""))
        action_error = None
        if name.strip().lower() not in ("archive", "restore", "delete"):
            action_error = ValidationError(
                {"action": ["The selected action is invalid."]}
            )
        ids_error = None
        pks: list[int] = []
        try:
            pks = company_ids(
                GroupSetting.objects.filter(company=self.company), body.get("ids")
            )
        except ValidationError as exc:
            ids_error = exc
        _merge_errors(action_error, ids_error)
        editable = GroupSetting.objects.filter(company=self.company, pk__in=pks)
        if not self.membership.can("edit", self.permission_entity):
            editable = editable.filter(user_id=self.membership.user_id)
        group_settings_change_state(
            groups_queryset=editable, action=name.strip().lower()
        )
        page = self.paginate_queryset(self.get_queryset().filter(pk__in=pks))
        return self.get_paginated_response(
            [group_representation(group) for group in page or []]
        )
