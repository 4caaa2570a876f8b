"""Page-number pagination in upstream's `{"data", "meta": {"pagination"}}` envelope,
and keyset pages (`after=`) for reading a whole list without counting it."""

import math
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from config.api.hashids import decode_id, encode_id

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 5000
# Larger page numbers are read as this one (past the end anyway): the largest
# integer every JSON client reads exactly, and one orjson can write.
MAX_PAGE = 2**53 - 1


PER_PAGE_ERROR = "The per page must be a whole number of at least 1."
# A value with more digits than this is far past MAX_PER_PAGE (and int() refuses
# strings over 4,300 digits).
_MAX_DIGITS = 18


def positive_int(raw: object, default: int) -> int:
    """A query value as a positive integer; anything else falls back to `default`."""
    try:
        value = int(str(raw))
    except (TypeError, ValueError):
        return default
    return value if value >= 1 else default


def per_page_from(raw: str | None) -> int:
    """`per_page` as sent: absent or empty is the default, more than MAX_PER_PAGE is
    MAX_PER_PAGE, and anything but a whole number of at least 1 is a 422."""
    text = (raw or "").strip()
    if not text:
        return DEFAULT_PER_PAGE
    digits = text.lstrip("0")
    if not (text.isascii() and text.isdigit()) or not digits:
        raise ValidationError({"per_page": [PER_PAGE_ERROR]})
    if len(digits) > _MAX_DIGITS:
        return MAX_PER_PAGE
    return min(int(digits), MAX_PER_PAGE)


class EnvelopePagination(BasePagination):
    """`per_page` (default 20, at most 5000) and `page`; past the end is empty.

    A view with `page_of(queryset, limit=, offset=)` returns the page's rows and the
    total itself (so it can read both in one query); otherwise the queryset is
    counted and sliced.

    `after=<id>` (empty for the start) switches to keyset pages for exports: the
    rows after that id in id order, no total and no OFFSET, so every page costs
    the same however deep; `next_after` names the next page's `after` until the
    last page. A view with `page_after(queryset, after=, limit=)` reads it itself.
    """

    page_query_param = "page"
    per_page_query_param = "per_page"
    after_query_param = "after"
    keyset = False

    def check_query(self, request: Request) -> None:
        """422 for an invalid `per_page`; views call it before they act, so a bulk
        action never writes and then refuses to page its answer."""
        per_page_from(request.query_params.get(self.per_page_query_param))

    def paginate_queryset(
        self,
        queryset: QuerySet[Any] | Sequence[Any],
        request: Request,
        view: APIView | None = None,
    ) -> list[Any]:
        self.request = request
        self.per_page = per_page_from(
            request.query_params.get(self.per_page_query_param)
        )
        self.page = min(
            positive_int(request.query_params.get(self.page_query_param), 1),
            MAX_PAGE,
        )
        if self.after_query_param in request.query_params:
            return self.keyset_page(queryset, request, view)
        start = (self.page - 1) * self.per_page
        read_page = getattr(view, "page_of", None)
        if callable(read_page):
            rows, self.total = read_page(queryset, limit=self.per_page, offset=start)
            return list(rows)
        self.total = _count(queryset)
        if start >= self.total:
            return []
        return list(queryset[start : start + self.per_page])

    def keyset_page(
        self, queryset: QuerySet[Any] | Sequence[Any], request: Request, view: Any
    ) -> list[Any]:
        raw = request.query_params.get(self.after_query_param, "")
        after = 0 if raw == "" else decode_id(raw)
        if after is None:
            raise ValidationError({"after": ["The after must be an id of the list."]})
        if "sort" in request.query_params:
            raise ValidationError(
                {"sort": ["Pages by `after` are in id order; leave out sort."]}
            )
        self.keyset = True
        read_page = getattr(view, "page_after", None)
        if callable(read_page):
            rows = list(read_page(queryset, after=after, limit=self.per_page))
        else:
            assert isinstance(queryset, QuerySet)
            rows = list(queryset.filter(pk__gt=after).order_by("pk")[: self.per_page])
        self.next_after = encode_id(rows[-1].pk) if len(rows) == self.per_page else ""
        return rows

    def keyset_meta(self, count: int) -> dict[str, Any]:
        links: dict[str, str] = {}
        if self.next_after:
            links["next"] = replace_query_param(
                self.request.build_absolute_uri(),
                self.after_query_param,
                self.next_after,
            )
        return {
            "count": count,
            "per_page": self.per_page,
            "next_after": self.next_after,
            "links": links,
        }

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
        meta = self.keyset_meta if self.keyset else self.pagination_meta
        return Response({"data": data, "meta": {"pagination": meta(len(data))}})

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
                                "next_after": {"type": "string"},
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
                "name": self.after_query_param,
                "in": "query",
                "required": False,
                "description": (
                    "Keyset pages for exports: the rows after this id, in id order, "
                    "without a total (empty for the first page; then `next_after`). "
                    "Not combined with `sort` or `page`."
                ),
                "schema": {"type": "string"},
            },
            {
                "name": self.per_page_query_param,
                "in": "query",
                "required": False,
                "description": (
                    f"Rows per page (default {DEFAULT_PER_PAGE}); larger than "
                    f"{MAX_PER_PAGE} is read as {MAX_PER_PAGE}."
                ),
                "schema": {"type": "integer", "minimum": 1},
            },
        ]


def _count(queryset: QuerySet[Any] | Sequence[Any]) -> int:
    if isinstance(queryset, QuerySet):
        return queryset.order_by().count()
    return len(queryset)
