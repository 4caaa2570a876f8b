"""The headers a subscription may send with its deliveries."""

import re
from typing import Any

MAX_HEADERS = 20
MAX_HEADER_NAME = 100
MAX_HEADER_VALUE = 1000
HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
# Set by the sender (the body's, the signature's, the delivery's id) or by the
# connection: a subscription may not choose them.
RESERVED_HEADERS = frozenset(
    {
        "connection",
        "content-length",
        "content-type",
        "host",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "x-webhook-id",
        "x-webhook-signature",
    }
)


class HeadersRefused(ValueError):
    """The headers can't be sent; the message says why."""


def _header_problem(name: Any, value: Any) -> str | None:
    """Why a header can't be sent, or None."""
    if not isinstance(name, str) or not HEADER_NAME.match(name):
        return f"{str(name)[:50]!r} is no header name."
    if len(name) > MAX_HEADER_NAME:
        return f"The header name {name[:50]!r} is too long."
    if name.lower() in RESERVED_HEADERS:
        return f"The header {name} is set by the sender."
    if not isinstance(value, str):
        return f"The header {name} must be a string."
    if len(value) > MAX_HEADER_VALUE or any(c in value for c in "\r\n\0"):
        return (
            f"The header {name} must be one line of at most"
            f" {MAX_HEADER_VALUE} characters."
        )
    return None


def checked_headers(raw: Any) -> dict[str, str]:
    """An object of string names to string values, within the limits."""
    if raw in (None, ""):
        return {}
    if not isinstance(raw, dict):
        raise HeadersRefused("The headers must be an object.")
    if len(raw) > MAX_HEADERS:
        raise HeadersRefused(f"The headers may not have more than {MAX_HEADERS} items.")
    headers: dict[str, str] = {}
    for name, value in raw.items():
        problem = _header_problem(name, value)
        if problem:
            raise HeadersRefused(problem)
        headers[name] = value
    return headers
