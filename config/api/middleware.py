"""Version headers on every response (API.md §2)."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

MINIMUM_CLIENT_VERSION = "5.0.16"
API_VERSION = "5.0.16"


class ApiHeadersMiddleware:
    """Adds `X-App-Version`, `X-Minimum-Client-Version` and `X-Api-Version`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["X-App-Version"] = settings.APP_VERSION
        response["X-Minimum-Client-Version"] = MINIMUM_CLIENT_VERSION
        response["X-Api-Version"] = API_VERSION
        return response
