"""Test-only URL conf: the real routes plus a bare password-gated view."""

from django.urls import re_path
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.password import PasswordProtected
from config.urls import urlpatterns as real_urlpatterns


class GatedView(APIView):
    """Answers 200 once the password gate lets the request through."""

    permission_classes = [IsAuthenticated, PasswordProtected]

    def post(self, request: Request) -> Response:
        return Response({"data": {"passed": True}})


urlpatterns = [
    re_path(r"^api/v1/test-gated/?$", GatedView.as_view()),
    *real_urlpatterns,
]

handler400 = "config.api.views.bad_request"
handler404 = "config.api.views.not_found"
handler500 = "config.api.views.server_error"
