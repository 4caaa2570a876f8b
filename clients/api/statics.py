"""`/api/v1/statics`: the reference tables, with an ETag."""

from typing import Any

from django.http import HttpResponse
from drf_spectacular.utils import (
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.views import APIView

from clients.reference import STATICS

STATICS_FIELDS: dict[str, serializers.Field[Any, Any, Any, Any]] = {
    name: serializers.ListField(child=serializers.DictField())
    for name in ("countries", "currencies", "languages", "industries", "sizes")
}


class StaticsView(APIView):
    """Reference tables for integrators, with an ETag."""

    @extend_schema(
        operation_id="statics",
        summary="Reference tables",
        description=(
            "Countries, currencies, languages, industries and sizes, each row "
            "with its id as a string: the values of `country_id`, `industry_id`, "
            "`size_id`, `settings.currency_id`… Sends an `ETag`; a matching "
            "`If-None-Match` answers 304."
        ),
        responses=inline_serializer("Statics", STATICS_FIELDS),
    )
    def get(self, request: Request) -> HttpResponse:
        headers = {"ETag": STATICS.etag, "Cache-Control": "private, no-cache"}
        if _etag_matches(request.headers.get("If-None-Match", ""), STATICS.etag):
            return HttpResponse(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
        return HttpResponse(
            STATICS.body, content_type="application/json", headers=headers
        )


def _etag_matches(header: str, etag: str) -> bool:
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in tags or etag in tags
