"""JSON rendering with orjson (handles Decimal, datetimes and UUIDs natively)."""

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import orjson
from rest_framework.renderers import JSONRenderer


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)


def dumps(data: Any) -> bytes:
    """Serialise API data to JSON bytes.

    orjson refuses integers beyond 64 bits, which PostgreSQL's jsonb hands back for
    a stored `1e20` in settings; those rare bodies go through the standard library.
    """
    try:
        return orjson.dumps(data, default=_default, option=orjson.OPT_NON_STR_KEYS)
    except orjson.JSONEncodeError:
        text = json.dumps(
            data, default=_default, ensure_ascii=False, separators=(",", ":")
        )
        return text.encode("utf-8")


class ApiJSONRenderer(JSONRenderer):
    """The default renderer of the API: compact JSON, money as numbers."""

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if data is None:
            return b""
        return dumps(data)
