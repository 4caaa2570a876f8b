"""One log line per request, on the `config.requests` logger, and a request id.

The line names the method, the path (never the query string, where a client may
have put a token), the status, the time taken and, once a token authenticated
the request, its company. Nothing else of the request is logged: no header, no
body. The request id comes from a sane `X-Request-ID` header (so a load
balancer's id carries through) or is made here, and is sent back in the answer's
`X-Request-ID`.

`LOG_FORMAT=json` (see `LOGGING` in the settings) renders every log record as one
JSON object a line with `JsonFormatter`; the request lines then carry their
fields as keys as well.
"""

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("config.requests")

REQUEST_ID_HEADER = "X-Request-ID"
# At most 128 visible ASCII characters: nothing that could break a log line.
SANE_REQUEST_ID = re.compile(r"[\x21-\x7e]{1,128}")
# Characters of a decoded path kept as they are; anything else (spaces, control
# characters, non-ASCII) is percent-encoded again, so a path can't forge lines.
PATH_SAFE = "/:@!$&'()*+,;=-._~"
# The attribute of a request line's LogRecord that holds its fields.
FIELDS_ATTRIBUTE = "request_fields"


def request_id_for(incoming: str | None) -> str:
    """The caller's request id if it is sane, else a new one (uuid4, hex)."""
    if incoming is not None and SANE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def request_fields(
    request: HttpRequest, response: HttpResponse, duration_ms: float
) -> dict[str, Any]:
    """What a request line says about one request."""
    fields: dict[str, Any] = {
        "method": request.method,
        "path": quote(request.path, safe=PATH_SAFE),
        "status": response.status_code,
        "duration_ms": round(duration_ms, 1),
        "request_id": request.request_id,  # type: ignore[attr-defined]
    }
    # Set by the token authentication, on the Django request.
    company = getattr(request, "company", None)
    if company is not None:
        fields["company_id"] = company.pk
        fields["company_key"] = company.company_key
    return fields


def request_line(fields: dict[str, Any]) -> str:
    """`GET /api/v1/clients 200 12.3ms request_id=… company_id=… company_key=…`"""
    text = (
        f"{fields['method']} {fields['path']} {fields['status']} "
        f"{fields['duration_ms']}ms request_id={fields['request_id']}"
    )
    if "company_id" in fields:
        text += (
            f" company_id={fields['company_id']} company_key={fields['company_key']}"
        )
    return text


class RequestLogMiddleware:
    """Logs each request once it is answered; first in MIDDLEWARE, so the time
    and status are those of the whole stack (redirects and errors included)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_for(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = (time.perf_counter() - started) * 1000
        response[REQUEST_ID_HEADER] = request_id
        fields = request_fields(request, response, duration_ms)
        level = logging.ERROR if response.status_code >= 500 else logging.INFO
        logger.log(level, request_line(fields), extra={FIELDS_ATTRIBUTE: fields})
        return response


class JsonFormatter(logging.Formatter):
    """Each record as one JSON object: time (UTC, ISO 8601), level, logger,
    message, the request line's fields when it is one, and the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, FIELDS_ATTRIBUTE, {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str)
