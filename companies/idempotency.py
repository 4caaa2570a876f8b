"""`Idempotency-Key` on creating requests (the IETF draft "The Idempotency-Key
HTTP Header Field"): a retry gets the first answer instead of a second client.

The key is claimed in its own committed row before the work starts, so a
concurrent retry sees it and answers 409; the answer is stored in the work's own
transaction, so a crash either keeps both the change and its answer or neither
(the claim then goes stale and the retry runs the work again). Only successful
answers are stored: an error changed nothing, and a retry runs again.
"""

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any, ClassVar

import orjson
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from companies.models import Company, IdempotencyKey
from config.api.errors import ApiError
from config.api.renderers import dumps

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_LENGTH = 255
# Headers of the first answer that a replay repeats.
KEPT_HEADERS = ("Location", "ETag")


class KeyInFlight(ApiError):
    """409: the first request with this key has not finished yet."""

    status_code = status.HTTP_409_CONFLICT

    def __init__(self) -> None:
        super().__init__(
            "A request with this Idempotency-Key is still being processed; retry "
            "once it has finished to get its answer."
        )


class KeyReused(ApiError):
    """422: the key was first sent with another request."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY

    def __init__(self) -> None:
        super().__init__(
            "This Idempotency-Key was already used for a different request (another "
            "body, method or URL); send a new key for a new request."
        )


def key_of(raw: str) -> str:
    """The key of a header value: 1 to 255 printable ASCII characters, bare or as a
    quoted structured-field string (`"abc"`), else 400."""
    key = raw.strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':
        key = key[1:-1]
    if not 1 <= len(key) <= MAX_LENGTH or not all(" " <= c <= "~" for c in key):
        raise ApiError(
            f"The {HEADER} header must be 1 to {MAX_LENGTH} printable ASCII "
            "characters.",
            400,
        )
    return key


def _canonical(value: Any) -> Any:
    """The request data as plain JSON values; a file as its name, size and digest."""
    if isinstance(value, UploadedFile):
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return {"file": value.name, "size": value.size, "sha256": digest.hexdigest()}
    if isinstance(value, QueryDict):
        return {key: [_canonical(v) for v in items] for key, items in value.lists()}
    if isinstance(value, Mapping):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    return value


def request_fingerprint(request: Request) -> str:
    """A digest of what makes two requests the same: method, URL and body."""
    content = orjson.dumps(
        [request.method, request.get_full_path(), _canonical(request.data)],
        default=str,
        option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS,
    )
    return hashlib.sha256(content).hexdigest()


@dataclass
class Claim:
    """The right to run the work of a key (`row`), or the answer to replay."""

    row: IdempotencyKey | None = None
    replay: Response | None = None


def _replay(row: IdempotencyKey) -> Response:
    headers = {**row.headers, REPLAYED_HEADER: "true"}
    data = orjson.loads(bytes(row.body)) if row.body else None
    return Response(data, status=row.status, headers=headers)


def key_claim(
    *, company: Company, user: AbstractBaseUser, key: str, fingerprint: str
) -> Claim:
    """Claim `key` for a request, or find the answer of the request that did."""
    for _ in range(3):
        now = timezone.now()
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(
                    company=company,
                    user_id=user.pk,
                    key=key,
                    fingerprint=fingerprint,
                    started_at=now,
                    expires_at=now
                    + timedelta(seconds=settings.IDEMPOTENCY_KEY_TTL_SECONDS),
                )
            return Claim(row=row)
        except IntegrityError:
            pass
        found = IdempotencyKey.objects.filter(
            company=company, user_id=user.pk, key=key
        ).first()
        if found is None:
            continue  # released or cleaned meanwhile: claim it again
        if found.expires_at <= now:
            IdempotencyKey.objects.filter(pk=found.pk, expires_at__lte=now).delete()
            continue
        if found.fingerprint != fingerprint:
            raise KeyReused
        if found.status is not None:
            return Claim(replay=_replay(found))
        stale = now - timedelta(seconds=settings.IDEMPOTENCY_IN_FLIGHT_SECONDS)
        if found.started_at < stale:
            # Its worker died before committing: the work never happened.
            taken = IdempotencyKey.objects.filter(
                pk=found.pk, status__isnull=True, started_at=found.started_at
            ).update(started_at=now)
            if taken:
                found.started_at = now
                return Claim(row=found)
        raise KeyInFlight
    raise KeyInFlight


def key_answer_store(row: IdempotencyKey, response: Response) -> None:
    """Keep a successful answer for replays (call it in the work's transaction)."""
    headers = {name: response[name] for name in KEPT_HEADERS if name in response}
    IdempotencyKey.objects.filter(pk=row.pk).update(
        status=response.status_code,
        headers=headers,
        body=dumps(response.data) if response.data is not None else b"",
    )


def key_release(row: IdempotencyKey) -> None:
    """Give a claimed key back after an error, so a retry runs the work again."""
    IdempotencyKey.objects.filter(pk=row.pk, status__isnull=True).delete()


def keys_expired_delete(
    *, batch: int = 5000, progress: Callable[[int], None] | None = None
) -> int:
    """Delete expired keys in batches (`progress` hears the running total);
    returns how many went."""
    moment = timezone.now()
    removed = 0
    while True:
        pks = list(
            IdempotencyKey.objects.filter(expires_at__lte=moment).values_list(
                "pk", flat=True
            )[:batch]
        )
        if not pks:
            return removed
        removed += IdempotencyKey.objects.filter(pk__in=pks).delete()[0]
        if progress is not None:
            progress(removed)


class IdempotentActionsMixin:
    """A viewset whose `idempotent_actions` honour `Idempotency-Key`.

    After authentication (`initial`), the handler DRF is about to call for one of
    those actions is run through `idempotent_run`.
    """

    idempotent_actions: ClassVar[frozenset[str]] = frozenset()
    company: Company

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        method = (request.method or "").lower()
        handler = getattr(self, method, None)
        if (
            getattr(self, "action", None) in self.idempotent_actions
            and handler is not None
        ):
            setattr(self, method, partial(idempotent_run, self, handler))


def idempotent_run(
    view: IdempotentActionsMixin,
    handler: Callable[..., Response],
    request: Request,
    *args: Any,
    **kwargs: Any,
) -> Response:
    """Run `handler` once per `Idempotency-Key` (without one: as it is)."""
    raw = request.headers.get(HEADER)
    user = request.user
    if raw is None or not isinstance(user, AbstractBaseUser):
        return handler(request, *args, **kwargs)
    claim = key_claim(
        company=view.company,
        user=user,
        key=key_of(raw),
        fingerprint=request_fingerprint(request),
    )
    if claim.replay is not None:
        return claim.replay
    assert claim.row is not None
    try:
        with transaction.atomic():
            response = handler(request, *args, **kwargs)
            if response.status_code < 400:
                key_answer_store(claim.row, response)
    except BaseException:
        key_release(claim.row)
        raise
    if response.status_code >= 400:
        key_release(claim.row)
    return response
