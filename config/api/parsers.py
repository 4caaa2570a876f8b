"""Request parsers: JSON objects, and form/multipart bodies with PHP bracket keys.

Upstream's official PHP SDK sends every write form-encoded, with keys such as
`contacts[0][email]`, `ids[]` and `settings[currency_id]`; they are read as the nested
lists and objects a JSON client would send.
"""

import io
import re
from collections.abc import Iterable, Mapping
from typing import Any

import orjson
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import multipartparser
from django.utils.datastructures import MultiValueDict
from rest_framework.exceptions import ParseError, UnsupportedMediaType
from rest_framework.parsers import BaseParser, DataAndFiles, FormParser, MultiPartParser

from config.nesting import nesting_exceeds

# Form keys may have at most this many brackets, JSON bodies this many levels.
MAX_NESTING = 32
# Django reads at most 1 KiB of each multipart part's headers (a module constant,
# no setting); an upload named with a few hundred characters exceeds it and was a
# 400. 8 KiB admits a 1,000-character name in any script and still bounds the read.
MAX_PART_HEADER_BYTES = 8 * 1024
multipartparser.MAX_TOTAL_HEADER_SIZE = max(  # type: ignore[attr-defined]
    multipartparser.MAX_TOTAL_HEADER_SIZE,  # type: ignore[attr-defined]
    MAX_PART_HEADER_BYTES,
)
_BRACKETS = re.compile(r"\[([^\[\]]*)\]")


def split_php_key(key: str) -> list[str]:
    """`contacts[0][email]` → `["contacts", "0", "email"]`; `ids[]` → `["ids", ""]`."""
    start = key.find("[")
    if start <= 0 or not key.endswith("]"):
        return [key]
    tail = key[start:]
    parts = _BRACKETS.findall(tail)
    if "".join(f"[{part}]" for part in parts) != tail:
        return [key]
    if len(parts) > MAX_NESTING:
        raise ParseError("Form keys are nested too deeply.")
    return [key[:start], *parts]


# PHP turns digit keys up to PHP_INT_MAX into integers; longer ones stay strings.
_MAX_INDEX_DIGITS = 18


def _is_index(key: str) -> bool:
    # ASCII digits only: `"¹".isdigit()` is true, but it is no array index.
    return 0 < len(key) <= _MAX_INDEX_DIGITS and key.isascii() and key.isdigit()


def _as_lists(node: Any) -> Any:
    """Objects whose keys are all array indexes become lists, in index order."""
    if not isinstance(node, dict):
        return node
    converted = {key: _as_lists(value) for key, value in node.items()}
    if converted and all(_is_index(key) for key in converted):
        return [converted[key] for key in sorted(converted, key=int)]
    return converted


class _Node(dict[str, Any]):
    """An object being nested, with PHP's next `[]` index kept up to date, so an
    append costs the same however many keys the object already has."""

    next_index = 0

    def put(self, key: str, value: Any) -> None:
        self[key] = value
        if _is_index(key):
            self.next_index = max(self.next_index, int(key) + 1)

    def append_key(self) -> str:
        return str(self.next_index)


def nest_php_keys(items: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """Nest flat `(key, value)` pairs as PHP does (the last value wins).

    Linear in the number of pairs (times their nesting depth).
    """
    root = _Node()
    # `ids[]` comes thousands of times: split each distinct key once.
    split_keys: dict[str, list[str]] = {}
    for key, value in items:
        parts = split_keys.get(key)
        if parts is None:
            parts = split_keys[key] = split_php_key(key)
        node = root
        for depth, part in enumerate(parts):
            name = node.append_key() if part == "" else part
            if depth == len(parts) - 1:
                node.put(name, value)
                break
            child = node.get(name)
            if not isinstance(child, _Node):
                child = _Node()
                node.put(name, child)
            node = child
    result = _as_lists(root)
    return result if isinstance(result, dict) else {}


def _pairs(data: Mapping[str, Any]) -> list[tuple[str, Any]]:
    if isinstance(data, MultiValueDict):
        return [(key, value) for key, values in data.lists() for value in values]
    return list(data.items())


def read_limited(stream: Any) -> bytes:
    """The whole body, refused once past `DATA_UPLOAD_MAX_MEMORY_SIZE` (413).

    DRF parsers read the request stream directly, so Django's own check (made
    only when `request.body` is read) never runs for them; at most one byte past
    the limit is read.
    """
    if stream is None:
        return b""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None:
        raw: bytes = stream.read()
        return raw
    raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise RequestDataTooBig(
            "Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE."
        )
    return raw


class NestedFiles(dict[str, Any]):
    """Nested uploaded files that Django can still close after the request.

    Django's request cleanup walks `_files.lists()` to close temporary files; a plain
    dict would make that fail silently and leave the files to the garbage collector.
    """

    def __init__(self, flat: MultiValueDict[str, Any]) -> None:
        super().__init__(nest_php_keys(_pairs(flat)))
        self._flat = flat

    def lists(self) -> Any:
        return self._flat.lists()


def body_object(data: Any, refusal: str) -> dict[str, Any]:
    """A decoded body as the object a write takes: an empty list (PHP's empty
    array) is `{}`; anything else that is not an object is refused with `refusal`."""
    if data == []:
        return {}
    if not isinstance(data, dict):
        raise ParseError(refusal)
    return data


class ApiJSONParser(BaseParser):
    """JSON bodies must be objects; `[]` (PHP's empty array) is read as `{}`."""

    media_type = "application/json"

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        raw = read_limited(stream)
        if not raw.strip():
            return {}
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise ParseError("The request body is not valid JSON.") from exc
        data = body_object(data, "The request body must be a JSON object.")
        if nesting_exceeds(data, MAX_NESTING):
            raise ParseError("The request body is nested too deeply.")
        return data


JSON_AS_FORM_MESSAGE = (
    "The request body looks like JSON but was sent as a form "
    "(application/x-www-form-urlencoded, what curl -d sends by default). "
    "Send it with the header Content-Type: application/json."
)
_JSON_OPENERS = (b"{", b"[")


def looks_like_json(raw: bytes, flat: Mapping[str, Any]) -> bool:
    """A body that opens like a JSON object or array, or a form whose only key
    does and has no value (the same JSON, percent-encoded)."""
    if raw.lstrip().startswith(_JSON_OPENERS):
        return True
    pairs = _pairs(flat)
    if len(pairs) != 1:
        return False
    key, value = pairs[0]
    return value == "" and key.lstrip().startswith(("{", "["))


class PhpFormParser(FormParser):
    """`application/x-www-form-urlencoded` with PHP bracket keys.

    A JSON body sent without `Content-Type: application/json` would be read as a
    single key with no value (a client with an empty name); it is refused with 415.
    """

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        raw = read_limited(stream)
        flat = super().parse(io.BytesIO(raw), media_type, parser_context)
        if looks_like_json(raw, flat):
            raise UnsupportedMediaType(
                media_type or self.media_type, detail=JSON_AS_FORM_MESSAGE
            )
        return nest_php_keys(_pairs(flat))


class PhpMultiPartParser(MultiPartParser):
    """`multipart/form-data` with PHP bracket keys, for fields and files alike."""

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> "DataAndFiles[Any, Any]":
        parsed = super().parse(stream, media_type, parser_context)
        return DataAndFiles(
            nest_php_keys(_pairs(parsed.data)), NestedFiles(parsed.files)
        )
