"""Entity tags and conditional requests (RFC 9110 §8.8.3, §13.1).

A resource's ETag is a strong tag made from its representation, so it changes
whenever anything the API shows of it changes, and costs no read of its own: the
answer being sent is hashed. `If-None-Match` on a read is compared weakly (a
matching tag is a 304), `If-Match` on a write strongly (a mismatch is a 412).
"""

import hashlib
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.http import parse_etags
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.errors import ApiError
from config.api.renderers import dumps

WEAK_PREFIX = "W/"


class PreconditionFailed(ApiError):
    """412: the `If-Match` sent does not name the current representation."""

    status_code = status.HTTP_412_PRECONDITION_FAILED

    def __init__(self, current: str) -> None:
        super().__init__(
            "The resource has changed since you read it: its current ETag is "
            f"{current}. Read it again, reapply your change, and send that ETag "
            "in If-Match."
        )


class PreconditionRequired(ApiError):
    """428: this server requires `If-Match` on writes of one resource."""

    status_code = status.HTTP_428_PRECONDITION_REQUIRED

    def __init__(self) -> None:
        super().__init__(
            "This server requires an If-Match header on this write: read the "
            "resource, and send its ETag in If-Match."
        )


def representation_etag(data: Mapping[str, Any]) -> str:
    """A strong ETag of a representation (a quoted hex digest of its JSON)."""
    digest = hashlib.blake2b(dumps(data), digest_size=16).hexdigest()
    return f'"{digest}"'


def _tags(header: str | None) -> list[str] | None:
    """The tags of an `If-Match`/`If-None-Match` value (`["*"]` for any);
    None when the header is absent."""
    if header is None:
        return None
    return parse_etags(header)


def not_modified(request: Request, etag: str) -> bool:
    """Whether `If-None-Match` names `etag` (weak comparison), so a read may
    answer 304."""
    tags = _tags(request.headers.get("If-None-Match"))
    if not tags:
        return False
    if tags == ["*"]:
        return True
    bare = etag.removeprefix(WEAK_PREFIX)
    return any(tag.removeprefix(WEAK_PREFIX) == bare for tag in tags)


def not_modified_response(etag: str) -> Response:
    """The 304 of a read whose representation the client already has."""
    return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})


def if_match_sent(request: Request) -> bool:
    return "If-Match" in request.headers


def require_if_match(request: Request) -> None:
    """428 when the server requires `If-Match` on writes and none was sent."""
    if settings.REQUIRE_IF_MATCH and not if_match_sent(request):
        raise PreconditionRequired


def check_if_match(request: Request, current: str) -> None:
    """412 unless `If-Match` names `current` (strong comparison: a weak tag
    never matches) or is `*`. Call it with the write's row locked."""
    tags = _tags(request.headers.get("If-Match")) or []
    if tags == ["*"]:
        return
    if current not in [tag for tag in tags if not tag.startswith(WEAK_PREFIX)]:
        raise PreconditionFailed(current)
