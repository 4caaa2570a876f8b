"""API views that belong to no app, and the answers for Django-level errors (JSON,
or XML when asked for)."""

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions, serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import examples
from config.api.negotiation import prefers_xml
from config.api.xml import xml_dumps

logger = logging.getLogger("config.api")


@csrf_exempt
def home(request: HttpRequest) -> HttpResponse:
    """`/`: what this server is and where to start; no token needed."""
    if request.method not in ("GET", "HEAD"):
        response = _error(f'Method "{request.method}" not allowed.', 405)
        response["Allow"] = "GET, HEAD"
        return response
    return JsonResponse(
        {
            "name": settings.SPECTACULAR_SETTINGS["TITLE"],
            "version": settings.APP_VERSION,
            "docs": reverse("docs"),
            "redoc": reverse("redoc"),
            "schema": reverse("schema"),
            "admin": reverse("admin:index"),
            "health": reverse("health"),
            "ping": reverse("ping"),
            "authentication": "Send your API token in the X-API-TOKEN header.",
        }
    )


class SchemaNegotiation(DefaultContentNegotiation):
    """`?format=json` or `Accept: application/json` gets JSON; anything else (no
    Accept, an unknown format or media type) gets drf-spectacular's default YAML,
    never a 404 or 406."""

    def select_renderer(
        self,
        request: Request,
        renderers: Iterable[BaseRenderer],
        format_suffix: str | None = None,
    ) -> tuple[BaseRenderer, Any]:
        choices = list(renderers)
        try:
            chosen: tuple[BaseRenderer, Any] = super().select_renderer(
                request, choices, format_suffix
            )
            return chosen
        except (Http404, exceptions.NotAcceptable):
            wanted = format_suffix or request.query_params.get(
                self.settings.URL_FORMAT_OVERRIDE
            )
            renderer = next((r for r in choices if r.format == wanted), choices[0])
            return renderer, renderer.media_type


class SchemaView(SpectacularAPIView):
    """The OpenAPI document, in YAML or JSON (the API's own views answer JSON
    whatever is asked, which would pin this one to its first renderer)."""

    content_negotiation_class = SchemaNegotiation


class PingView(APIView):
    """Lets an integrator check a token: which company and user it belongs to."""

    @extend_schema(
        operation_id="ping",
        summary="Check a token",
        description=(
            "The company and user the `X-API-TOKEN` belongs to; a quick way to "
            "see a token works. Errors: 403 `Invalid token`."
        ),
        examples=examples.PING,
        responses=inline_serializer(
            "Ping",
            {
                "company_name": serializers.CharField(),
                "user_name": serializers.CharField(),
            },
        ),
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


def _error(
    message: str, status: int, request: HttpRequest | None = None
) -> HttpResponse:
    body = {"message": message, "errors": {}}
    if request is not None and prefers_xml(request):
        return HttpResponse(
            xml_dumps(body),
            status=status,
            content_type="application/xml; charset=utf-8",
        )
    return JsonResponse(body, status=status)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 for unknown paths: JSON under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return _error("Not found", 404, request)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception or Exception("Not found"))


def server_error(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """500 outside DRF views (middleware, URL resolution): JSON under /api/."""
    if request.path.startswith("/api/"):
        return _error("Server error", 500, request)
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
