"""Adds `X-Query-Count` (SQL queries run by the request) when asked for."""

from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test.utils import CaptureQueriesContext


class QueryCountMiddleware:
    """Counts queries only when the request sends `X-Count-Queries: 1`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.headers.get("X-Count-Queries") != "1":
            return self.get_response(request)
        with CaptureQueriesContext(connection) as captured:
            response = self.get_response(request)
        response["X-Query-Count"] = str(len(captured.captured_queries))
        return response
