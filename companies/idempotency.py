"""The stored `Idempotency-Key`s (IETF draft "The Idempotency-Key HTTP Header
Field") and their answers: claiming a key, keeping its answer, giving it back.

The key is claimed in its own committed row before the work starts, so a
concurrent retry sees it (409); the answer is stored in the work's own
transaction, so a crash keeps both the change and its answer or neither (the
claim then goes stale and a retry runs the work again). The API side is
`config.api.idempotency`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from companies.models import Company, IdempotencyKey
from config.errors import Refusal

HEADER = "Idempotency-Key"
MAX_LENGTH = 255


class KeyInFlight(Refusal):
    """409: the first request with this key has not finished yet."""

    status_code = 409

    def __init__(self) -> None:
        super().__init__(
            "A request with this Idempotency-Key is still being processed; retry "
            "once it has finished to get its answer."
        )


class KeyReused(Refusal):
    """422: the key was first sent with another request."""

    status_code = 422

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
        raise Refusal(
            f"The {HEADER} header must be 1 to {MAX_LENGTH} printable ASCII "
            "characters.",
            400,
        )
    return key


@dataclass
class Claim:
    """The right to run the work of a key (`row`), or the key whose answer is
    stored (`answered`)."""

    row: IdempotencyKey | None = None
    answered: IdempotencyKey | None = None


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
            return Claim(answered=found)
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


def key_answer_store(
    row: IdempotencyKey, *, status: int, headers: dict[str, str], body: bytes
) -> None:
    """Keep a successful answer for replays (call it in the work's transaction)."""
    IdempotencyKey.objects.filter(pk=row.pk).update(
        status=status, headers=headers, body=body
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
