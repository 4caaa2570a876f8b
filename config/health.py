"""`GET /health`: is this app server able to serve? For load balancers and probes."""

import logging
import uuid
from collections.abc import Callable
from functools import cache

import redis
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

logger = logging.getLogger("config.health")

STORAGE_PROBE_FOLDER = "health"
# A load balancer waits a few seconds for /health; a Redis that takes longer
# than this to connect or answer counts as down.
REDIS_TIMEOUT_SECONDS = 1.0


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


@cache
def _redis_client(url: str) -> redis.Redis:
    # One per URL and process: its connection pool is reused by later probes.
    return redis.Redis.from_url(
        url,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
    )


def redis_is_up() -> None:
    """Raise unless the Redis of `REDIS_URL` answers PING in time."""
    if not _redis_client(settings.REDIS_URL).ping():
        raise ConnectionError("Redis did not answer PING")


CHECKS: dict[str, Callable[[], None]] = {
    "database": database_is_up,
    "storage": storage_is_up,
}


def checks() -> dict[str, Callable[[], None]]:
    """The parts this server needs: Redis too when `REDIS_URL` is set."""
    if settings.REDIS_URL:
        return {**CHECKS, "redis": redis_is_up}
    return CHECKS


@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """200 `{"status": "ok", "database": "ok", "storage": "ok"}` (and `"redis":
    "ok"` when `REDIS_URL` is set), else 503 naming what failed (the details go
    to the log, not to the unauthenticated caller)."""
    body = {"status": "ok"}
    for name, check in checks().items():
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
