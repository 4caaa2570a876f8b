"""The one hashid codec for every entity type."""

from functools import lru_cache
from typing import Any

from django.conf import settings
from hashids import Hashids

MIN_LENGTH = 10
# Primary keys are signed 64-bit integers on every database; a hashid of a larger
# number (or of 0) can name no row, and SQLite would refuse to bind it.
MAX_PK = 2**63 - 1


@lru_cache(maxsize=4)
def _codec(salt: str) -> Hashids:
    return Hashids(salt=salt, min_length=MIN_LENGTH)


@lru_cache(maxsize=65536)
def _encode(salt: str, pk: int) -> str:
    return str(_codec(salt).encode(pk))


def encode_id(pk: int | None) -> str:
    """Hash a primary key; a missing key is `""` (the API's null hashed id).

    Memoised: a list page encodes the same user and client ids again and again,
    and each encoding costs tens of microseconds.
    """
    if pk is None:
        return ""
    return _encode(settings.HASH_SALT, pk)


@lru_cache(maxsize=65536)
def _decode(salt: str, value: str) -> int | None:
    try:
        numbers = _codec(salt).decode(value)
    except Exception:
        return None
    if len(numbers) != 1 or not 1 <= numbers[0] <= MAX_PK:
        return None
    if _encode(salt, numbers[0]) != value:
        return None
    return int(numbers[0])


def decode_id(value: object) -> int | None:
    """Decode a hashid to a primary key, or None when it is not one of ours.

    A value counts only if it decodes to exactly one number in 1..2^63-1 (a key a
    row can have) and re-encodes to itself, so variants that Hashids would still
    accept are rejected.
    """
    return _decoded(settings.HASH_SALT, value)


def decode_ids(values: list[Any]) -> list[int | None]:
    """`decode_id` of each value (a bulk action's thousands of ids, the salt read
    once)."""
    salt = settings.HASH_SALT
    return [_decoded(salt, value) for value in values]


def _decoded(salt: str, value: object) -> int | None:
    if not isinstance(value, str) or not value or len(value) > 64:
        return None
    return _decode(salt, value)
