"""Test-only URL conf: the real routes plus views that exercise the shared plumbing."""

from typing import Any

from django.urls import include, path, re_path
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from companies.models import Membership
from config.api.fields import unix_time
from config.api.hashids import encode_id
from config.api.routers import ApiRouter
from config.api.viewsets import CompanyScopedViewSet
from config.urls import urlpatterns as real_urlpatterns


def membership_representation(membership: Membership) -> dict[str, Any]:
    """A membership as the API conventions show a row: hashed id, unix time."""
    return {
        "id": encode_id(membership.pk),
        "created_at": unix_time(membership.created_at),
        "is_admin": membership.is_admin,
    }


class NestedInputSerializer(serializers.Serializer[Any]):
    class ContactInput(serializers.Serializer[Any]):
        email = serializers.EmailField()

    name = serializers.CharField()
    contacts = ContactInput(many=True)


class MembershipViewSet(CompanyScopedViewSet):
    """Lists the company's memberships: a stand-in list endpoint for the envelope."""

    permission_entity = "membership"
    not_found_message = "Membership not found"

    def get_queryset(self) -> Any:
        return Membership.objects.filter(company=self.company).order_by("pk")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(
            [membership_representation(row) for row in page or []]
        )

    def retrieve(self, request: Request, id: str) -> Response:
        return Response({"data": membership_representation(self.get_object())})

    def create(self, request: Request) -> Response:
        serializer = NestedInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response({"data": serializer.validated_data})


class EchoView(APIView):
    """Echoes the parsed body, to test the parsers."""

    def post(self, request: Request) -> Response:
        return Response({"data": request.data})

    put = post


class BoomView(APIView):
    def get(self, request: Request) -> Response:
        raise RuntimeError("boom")


router = ApiRouter()
router.register("test-memberships", MembershipViewSet, basename="test-membership")

urlpatterns = [
    path("api/v1/", include(router.urls)),
    re_path(r"^api/v1/test-echo/?$", EchoView.as_view()),
    re_path(r"^api/v1/test-boom/?$", BoomView.as_view()),
    *real_urlpatterns,
]

handler400 = "config.api.views.bad_request"
handler404 = "config.api.views.not_found"
handler500 = "config.api.views.server_error"
