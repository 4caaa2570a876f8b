"""Version headers on every response; no caching of token answers."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

MINIMUM_CLIENT_VERSION = "5.0.16"
API_VERSION = "5.0.16"


TOKEN_HEADER = "HTTP_X_API_TOKEN"
NOT_STORED = "private, no-store"


class ApiHeadersMiddleware:
    """Adds `X-App-Version`, `X-Minimum-Client-Version` and `X-Api-Version`, and
    `Cache-Control: private, no-store` to every answer to a request with a token.

    Those answers hold a company's data (contacts' names, emails, phones): no shared
    or browser cache may keep them. A view that chose its own caching keeps it
    (statics revalidate with their ETag).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["X-App-Version"] = settings.APP_VERSION
        response["X-Minimum-Client-Version"] = MINIMUM_CLIENT_VERSION
        response["X-Api-Version"] = API_VERSION
        if request.META.get(TOKEN_HEADER) and not response.has_header("Cache-Control"):
            response["Cache-Control"] = NOT_STORED
        return response
