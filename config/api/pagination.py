"""Page-number pagination in upstream's `{"data", "meta": {"pagination"}}` envelope,
and keyset pages (`after=`) for reading a whole list without counting it.

A list view asks the paginator for the request's `PageWindow`, reads that window
itself (a selector, or `queryset_page`) and hands the paginator the resulting
`Page` (rows and total) or `KeysetPage` (rows and the next `after`) to envelope.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Model, QuerySet
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
AFTER_ERROR = "The after must be an id of the list."
AFTER_SORT_ERROR = "Pages by `after` are in id order; leave out sort."
# A value with more digits than this is far past MAX_PER_PAGE (and int() refuses
# strings over 4,300 digits).
_MAX_DIGITS = 18

Row = TypeVar("Row", bound=Model)


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


@dataclass(frozen=True)
class PageWindow:
    """The rows a list request asks for: page `page` of `per_page` rows, or, when
    `after` is set (0 for the start), the `per_page` rows after that id."""

    per_page: int
    page: int = 1
    after: int | None = None

    @property
    def keyset(self) -> bool:
        return self.after is not None

    @property
    def limit(self) -> int:
        return self.per_page

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass(frozen=True)
class Page(Generic[Row]):
    """A page by number: its rows and the total of the whole list."""

    rows: list[Row]
    total: int


@dataclass(frozen=True)
class KeysetPage(Generic[Row]):
    """A keyset page: its rows and the `after` of the next page ("" on the last)."""

    rows: list[Row]
    next_after: str

    @classmethod
    def of(cls, rows: list[Row], window: PageWindow) -> "KeysetPage[Row]":
        """The rows read for `window`; a full page has a next one."""
        full = len(rows) == window.per_page
        return cls(rows, encode_id(rows[-1].pk) if full and rows else "")


AnyPage = Page[Row] | KeysetPage[Row]


def queryset_page(queryset: QuerySet[Row], window: PageWindow) -> AnyPage[Row]:
    """The window of an ordered queryset: counted and sliced, or the rows after an
    id in id order (no count, no OFFSET)."""
    if window.after is not None:
        rows = list(queryset.filter(pk__gt=window.after).order_by("pk")[: window.limit])
        return KeysetPage.of(rows, window)
    total = queryset.order_by().count()
    if window.offset >= total:
        return Page([], total)
    return Page(list(queryset[window.offset : window.offset + window.limit]), total)


class EnvelopePagination(BasePagination):
    """`per_page` (default 20, at most 5000) and `page`; past the end is empty.

    `after=<id>` (empty for the start) switches to keyset pages for exports: the
    rows after that id in id order, no total and no OFFSET, so every page costs
    the same however deep; `next_after` names the next page's `after` until the
    last page.

    `window(request)` parses the query; `respond(page, data)` answers a page read
    for that window. DRF's `paginate_queryset`/`get_paginated_response` pair does
    both for a plain queryset.
    """

    page_query_param = "page"
    per_page_query_param = "per_page"
    after_query_param = "after"

    def check_query(self, request: Request) -> None:
        """422 for an invalid `per_page`; views call it before they act, so a bulk
        action never writes and then refuses to page its answer."""
        per_page_from(request.query_params.get(self.per_page_query_param))

    def window(self, request: Request) -> PageWindow:
        """The page the request asks for (422 for an invalid `per_page`, `after`,
        or `after` with `sort`); kept for the envelope."""
        self.request = request
        params = request.query_params
        per_page = per_page_from(params.get(self.per_page_query_param))
        page = min(positive_int(params.get(self.page_query_param), 1), MAX_PAGE)
        after: int | None = None
        if self.after_query_param in params:
            raw = params.get(self.after_query_param, "")
            after = 0 if raw == "" else decode_id(raw)
            if after is None:
                raise ValidationError({self.after_query_param: [AFTER_ERROR]})
            if "sort" in params:
                raise ValidationError({"sort": [AFTER_SORT_ERROR]})
        self.current = PageWindow(per_page=per_page, page=page, after=after)
        return self.current

    def paginate_queryset(
        self,
        queryset: QuerySet[Any] | Sequence[Any],
        request: Request,
        view: APIView | None = None,
    ) -> list[Any]:
        assert isinstance(queryset, QuerySet)
        self.read = queryset_page(queryset, self.window(request))
        return list(self.read.rows)

    def get_paginated_response(self, data: Any) -> Response:
        return self.respond(self.read, data)

    def respond(self, page: AnyPage[Any], data: list[Any]) -> Response:
        """The list envelope: `data` (the page's rows as shown) and its pagination."""
        if isinstance(page, KeysetPage):
            meta = self.keyset_meta(page, len(data))
        else:
            meta = self.pagination_meta(page, len(data))
        return Response({"data": data, "meta": {"pagination": meta}})

    def keyset_meta(self, page: KeysetPage[Any], count: int) -> dict[str, Any]:
        links: dict[str, str] = {}
        if page.next_after:
            links["next"] = replace_query_param(
                self.request.build_absolute_uri(),
                self.after_query_param,
                page.next_after,
            )
        return {
            "count": count,
            "per_page": self.current.per_page,
            "next_after": page.next_after,
            "links": links,
        }

    def pagination_meta(self, page: Page[Any], count: int) -> dict[str, Any]:
        window = self.current
        total_pages = max(1, math.ceil(page.total / window.per_page))
        links: dict[str, str] = {}
        url = self.request.build_absolute_uri()
        if window.page > 1:
            links["previous"] = replace_query_param(
                url, self.page_query_param, min(window.page - 1, total_pages)
            )
        if window.page < total_pages:
            links["next"] = replace_query_param(
                url, self.page_query_param, window.page + 1
            )
        return {
            "total": page.total,
            "count": count,
            "per_page": window.per_page,
            "current_page": window.page,
            "total_pages": total_pages,
            "links": links,
        }

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
