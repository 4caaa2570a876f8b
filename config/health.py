"""`GET /health`: is this app server able to serve? For load balancers and probes."""

import logging
import uuid
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

logger = logging.getLogger("config.health")

STORAGE_PROBE_FOLDER = "health"


def database_is_up() -> None:
    """Raise unless the database answers `SELECT 1`."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def storage_is_up() -> None:
    """Raise unless document storage takes a tiny file and gives it back up.

    A write and a delete prove what uploads need: on S3 the bucket, endpoint and
    credentials; on local disk a folder that exists or can be made, and is
    writable. Each probe has its own name, so servers probing at once don't clash.
    """
    name = default_storage.save(
        f"{STORAGE_PROBE_FOLDER}/probe-{uuid.uuid4().hex}.txt", ContentFile(b"ok")
    )
    default_storage.delete(name)


CHECKS: dict[str, Callable[[], None]] = {
    "database": database_is_up,
    "storage": storage_is_up,
}


@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """200 `{"status": "ok", "database": "ok", "storage": "ok"}`, else 503 naming
    what failed (the details go to the log, not to the unauthenticated caller)."""
    body = {"status": "ok"}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            logger.exception("Health check %s failed", name)
            body[name] = "error"
            body["status"] = "error"
        else:
            body[name] = "ok"
    status = 200 if body["status"] == "ok" else 503
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response
