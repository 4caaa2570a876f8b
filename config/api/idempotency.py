"""`Idempotency-Key` on the API's creating requests: a retry gets the first answer
instead of doing the work again (a second client, a second merge).

A viewset lists its `idempotent_actions`; their handler runs through
`idempotent_run`, which claims the key (`companies.idempotency`), runs the work and
stores its answer in one transaction, or replays the stored answer. Only
successful answers are kept: an error changed nothing, and a retry runs again.
"""

import hashlib
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any, ClassVar

import orjson
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import QueryDict
from rest_framework.request import Request
from rest_framework.response import Response

from companies.idempotency import (
    HEADER,
    key_answer_store,
    key_claim,
    key_of,
    key_release,
)
from companies.models import Company, IdempotencyKey
from config.api.renderers import dumps

REPLAYED_HEADER = "Idempotent-Replayed"
# Headers of the first answer that a replay repeats.
KEPT_HEADERS = ("Location", "ETag")


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


def _replay(row: IdempotencyKey) -> Response:
    headers = {**row.headers, REPLAYED_HEADER: "true"}
    data = orjson.loads(bytes(row.body)) if row.body else None
    return Response(data, status=row.status, headers=headers)


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
    if claim.answered is not None:
        return _replay(claim.answered)
    assert claim.row is not None
    try:
        with transaction.atomic():
            response = handler(request, *args, **kwargs)
            if response.status_code < 400:
                key_answer_store(
                    claim.row,
                    status=response.status_code,
                    headers={
                        name: response[name]
                        for name in KEPT_HEADERS
                        if name in response
                    },
                    body=b"" if response.data is None else dumps(response.data),
                )
    except BaseException:
        key_release(claim.row)
        raise
    if response.status_code >= 400:
        key_release(claim.row)
    return response
