"""Page-number pagination in upstream's `{"data", "meta": {"pagination"}}` envelope."""

import math
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 5000
# Larger page numbers are read as this one (past the end anyway): the largest
# integer every JSON client reads exactly, and one orjson can write.
MAX_PAGE = 2**53 - 1


def positive_int(raw: object, default: int) -> int:
    """A query value as a positive integer; anything else falls back to `default`."""
    try:
        value = int(str(raw))
    except (TypeError, ValueError):
        return default
    return value if value >= 1 else default


class EnvelopePagination(BasePagination):
    """`per_page` (default 20, at most 5000) and `page`; past the end is empty.

    A view with `page_of(queryset, limit=, offset=)` returns the page's rows and the
    total itself (so it can read both in one query); otherwise the queryset is
    counted and sliced.
    """

    page_query_param = "page"
    per_page_query_param = "per_page"

    def paginate_queryset(
        self,
        queryset: QuerySet[Any] | Sequence[Any],
        request: Request,
        view: APIView | None = None,
    ) -> list[Any]:
        self.request = request
        self.per_page = min(
            positive_int(
                request.query_params.get(self.per_page_query_param), DEFAULT_PER_PAGE
            ),
            MAX_PER_PAGE,
        )
        self.page = min(
            positive_int(request.query_params.get(self.page_query_param), 1),
            MAX_PAGE,
        )
        start = (self.page - 1) * self.per_page
        read_page = getattr(view, "page_of", None)
        if callable(read_page):
            rows, self.total = read_page(queryset, limit=self.per_page, offset=start)
            return list(rows)
        self.total = _count(queryset)
        if start >= self.total:
            return []
        return list(queryset[start : start + self.per_page])

    def pagination_meta(self, count: int) -> dict[str, Any]:
        total_pages = max(1, math.ceil(self.total / self.per_page))
        links: dict[str, str] = {}
        url = self.request.build_absolute_uri()
        if self.page > 1:
            links["previous"] = replace_query_param(
                url, self.page_query_param, min(self.page - 1, total_pages)
            )
        if self.page < total_pages:
            links["next"] = replace_query_param(
                url, self.page_query_param, self.page + 1
            )
        return {
            "total": self.total,
            "count": count,
            "per_page": self.per_page,
            "current_page": self.page,
            "total_pages": total_pages,
            "links": links,
        }

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {"data": data, "meta": {"pagination": self.pagination_meta(len(data))}}
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["data", "meta"],
            "properties": {
                "data": schema,
                "meta": {
                    "type": "object",
                    "properties": {
                        "pagination": {
                            "type": "object",
                            "properties": {
                                "total": {"type": "integer"},
                                "count": {"type": "integer"},
                                "per_page": {"type": "integer"},
                                "current_page": {"type": "integer"},
                                "total_pages": {"type": "integer"},
                                "links": {
                                    "type": "object",
                                    "properties": {
                                        "previous": {"type": "string", "format": "uri"},
                                        "next": {"type": "string", "format": "uri"},
                                    },
                                },
                            },
                        }
                    },
                },
            },
        }

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        return [
            {
                "name": self.page_query_param,
                "in": "query",
                "required": False,
                "description": "Page number, from 1; a page past the end is empty.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.per_page_query_param,
                "in": "query",
                "required": False,
                "description": (
                    f"Rows per page (default {DEFAULT_PER_PAGE}, max {MAX_PER_PAGE})."
                ),
                "schema": {"type": "integer", "minimum": 1},
            },
        ]


def _count(queryset: QuerySet[Any] | Sequence[Any]) -> int:
    if isinstance(queryset, QuerySet):
        return queryset.order_by().count()
    return len(queryset)
