"""Per-entity view/edit/create permissions; admins and owners may do everything."""

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from companies.models import Membership

ACTION_BY_METHOD = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "create",
    "PUT": "edit",
    "PATCH": "edit",
    "DELETE": "edit",
}


def request_membership(request: Request) -> Membership:
    """The authenticated membership (set by ApiTokenAuthentication)."""
    membership: Membership = request.membership
    return membership


def owns(obj: Any, user_id: int) -> bool:
    """Whether the user made or is assigned to the row."""
    return user_id in (
        getattr(obj, "user_id", None),
        getattr(obj, "assigned_user_id", None),
    )


def _entity(view: APIView) -> str:
    return str(getattr(view, "permission_entity", ""))


class EntityPermission(BasePermission):
    """Checks the membership against the view's `permission_entity` (e.g. `client`).

    Listing is never refused: the view's queryset narrows it to the rows the member
    made or is assigned to. Creating needs `create_<entity>`; changing a row needs
    `edit_<entity>` or being its user or assignee.
    """

    def has_permission(self, request: Request, view: APIView) -> bool:
        membership = request_membership(request)
        action = getattr(view, "permission_action", None) or ACTION_BY_METHOD.get(
            request.method or "GET", "edit"
        )
        if action == "create":
            return membership.can("create", _entity(view))
        return True

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        membership = request_membership(request)
        entity = _entity(view)
        action = ACTION_BY_METHOD.get(request.method or "GET", "edit")
        if action == "create":
            action = "edit"
        return membership.can(action, entity) or owns(obj, membership.user_id)
