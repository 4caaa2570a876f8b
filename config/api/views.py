"""API views that belong to no app, and the JSON answers for Django-level errors."""

import logging
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, JsonResponse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

logger = logging.getLogger("config.api")


class PingView(APIView):
    """Lets an integrator check a token: which company and user it belongs to."""

    @extend_schema(
        responses=inline_serializer(
            "Ping",
            {
                "company_name": serializers.CharField(),
                "user_name": serializers.CharField(),
            },
        )
    )
    def get(self, request: Request) -> Response:
        user = request.user
        full_name = user.get_full_name() if isinstance(user, User) else ""
        return Response(
            {
                "company_name": request.company.name,
                "user_name": full_name or user.get_username(),
            }
        )


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"message": message, "errors": {}}, status=status)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 for unknown paths: JSON under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return _error("Not found", 404)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception or Exception("Not found"))


def server_error(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """500 outside DRF views (middleware, URL resolution): JSON under /api/."""
    if request.path.startswith("/api/"):
        return _error("Server error", 500)
    from django.views.defaults import server_error as default_server_error

    return default_server_error(request)


def bad_request(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    """400 raised by Django itself (e.g. a body over DATA_UPLOAD_MAX_MEMORY_SIZE)."""
    if request.path.startswith("/api/"):
        from django.core.exceptions import RequestDataTooBig

        if isinstance(exception, RequestDataTooBig):
            return _error("The request body is too large.", 413)
        return _error("Bad request", 400)
    from django.views.defaults import bad_request as default_bad_request

    return default_bad_request(request, exception or Exception("Bad request"))
