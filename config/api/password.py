"""The password gate of destructive endpoints (purge, merge).

A view declares `PasswordProtected` in its `permission_classes`. After the token,
the member must be an admin or owner (403), then prove their login password in
`X-API-PASSWORD` (or base64 in `X-API-PASSWORD-BASE64`): missing or wrong → 412.
A correct password opens a grace window (the company's `default_password_timeout`,
in milliseconds) in which the header may be left out. The 5th wrong password within
`FAILURE_WINDOW_SECONDS` locks the user out of every gated endpoint for
`LOCKOUT_SECONDS` (429 with `Retry-After`), even with the right password.

Grace windows and counters live in Django's cache, so they are shared by every
worker when the cache is Redis.
"""

import base64
import binascii
import contextlib
import math
import time
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from rest_framework import status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from companies.models import Company
from config.api.errors import ApiError, Unauthorized
from config.api.permissions import request_membership

PASSWORD_HEADER = "HTTP_X_API_PASSWORD"
PASSWORD_BASE64_HEADER = "HTTP_X_API_PASSWORD_BASE64"

MAX_FAILURES = 5
FAILURE_WINDOW_SECONDS = 15 * 60
LOCKOUT_SECONDS = 15 * 60
DEFAULT_TIMEOUT_MS = 1_800_000

INVALID_PASSWORD_MESSAGE = "Invalid Password"
LOCKED_MESSAGE = "Too many password attempts. Try again later."

_KEY_PREFIX = "password-gate"


class InvalidPassword(ApiError):
    """412: the password is missing (outside a grace window) or wrong."""

    status_code: int = status.HTTP_412_PRECONDITION_FAILED

    def __init__(self) -> None:
        super().__init__(INVALID_PASSWORD_MESSAGE)


class PasswordLocked(ApiError):
    """429: too many wrong passwords; `retry_after` seconds remain."""

    status_code: int = status.HTTP_429_TOO_MANY_REQUESTS

    def __init__(self, retry_after: int) -> None:
        super().__init__(LOCKED_MESSAGE)
        self.retry_after = retry_after


def _now() -> float:
    return time.time()


def _key(kind: str, user_id: int) -> str:
    return f"{_KEY_PREFIX}:{kind}:{user_id}"


def grace_seconds(company: Company) -> int:
    """The company's grace window in whole seconds (0: no window)."""
    raw = company.setting("default_password_timeout")
    try:
        milliseconds = int(float(raw))
    except (TypeError, ValueError):
        milliseconds = DEFAULT_TIMEOUT_MS
    return max(milliseconds, 0) // 1000


def lockout_remaining(user_id: int) -> int:
    """Seconds left of the user's lockout, 0 when not locked."""
    locked_until = cache.get(_key("locked", user_id))
    if locked_until is None:
        return 0
    remaining = float(locked_until) - _now()
    return math.ceil(remaining) if remaining > 0 else 0


def password_attempt_count(user_id: int) -> int:
    """Count a password attempt *before* it is checked; the attempts in the window.

    The count is the wrong passwords of the window plus the attempts being checked
    right now, so parallel requests can't all be checked before the lockout:
    `add` + `incr` are atomic in every cache backend (Redis `INCR`, the
    per-process cache's lock), and each request sees its own number.
    """
    key = _key("failures", user_id)
    cache.add(key, 0, timeout=FAILURE_WINDOW_SECONDS)
    try:
        attempts = cache.incr(key)
    except ValueError:
        # The window expired between `add` and `incr`: this attempt opens a new one.
        cache.add(key, 1, timeout=FAILURE_WINDOW_SECONDS)
        attempts = 1
    if attempts == 1:
        # Redis' `incr` checks the key exists, then increments: a key expiring in
        # between is re-created without a timeout. The window starts now anyway.
        cache.touch(key, timeout=FAILURE_WINDOW_SECONDS)
    return int(attempts)


def password_attempt_forget(user_id: int) -> None:
    """Take back an attempt that was right, or refused without a check."""
    # A window that ended meanwhile (ValueError) has nothing left to take back.
    with contextlib.suppress(ValueError):
        cache.decr(_key("failures", user_id))


def lockout_begin(user_id: int) -> None:
    """Lock the user out of gated endpoints for `LOCKOUT_SECONDS` from now.

    The failure count is left to expire with its window (which began earlier, so it
    ends before the lockout does): deleting it here would let a request already
    past the lockout check start a fresh count.
    """
    cache.add(
        _key("locked", user_id), _now() + LOCKOUT_SECONDS, timeout=LOCKOUT_SECONDS
    )


def grace_window_open(*, user_id: int, seconds: int) -> None:
    """Let the user omit the password for `seconds` (a correct one was given)."""
    if seconds > 0:
        cache.set(_key("grace", user_id), True, timeout=seconds)


def in_grace_window(user_id: int) -> bool:
    """Whether a correct password was given within the grace window."""
    return bool(cache.get(_key("grace", user_id)))


def presented_password(request: Request) -> tuple[bool, str | None]:
    """Whether a password header was sent, and its text.

    The text is None when `X-API-PASSWORD-BASE64` does not decode to UTF-8: that
    counts as a wrong password, not a missing one. Empty headers count as missing.
    """
    encoded = request.META.get(PASSWORD_BASE64_HEADER, "")
    if encoded:
        try:
            return True, base64.b64decode(encoded, validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            return True, None
    plain = request.META.get(PASSWORD_HEADER, "")
    return bool(plain), plain or None


def password_check(
    *, request: Request, user: AbstractBaseUser, company: Company
) -> None:
    """Raise 429 when locked, 412 when the password is missing or wrong.

    At most `MAX_FAILURES` passwords are ever checked in a window: an attempt is
    counted first, and one that finds the count past the limit is refused unchecked.
    """
    user_id = int(user.pk)
    remaining = lockout_remaining(user_id)
    if remaining:
        raise PasswordLocked(remaining)
    sent, password = presented_password(request)
    if not sent:
        if in_grace_window(user_id):
            return
        raise InvalidPassword()
    attempts = password_attempt_count(user_id)
    if attempts > MAX_FAILURES:
        password_attempt_forget(user_id)
        raise PasswordLocked(lockout_remaining(user_id) or LOCKOUT_SECONDS)
    if password is None or not user.check_password(password):
        if attempts >= MAX_FAILURES:
            lockout_begin(user_id)
        raise InvalidPassword()
    password_attempt_forget(user_id)
    grace_window_open(user_id=user_id, seconds=grace_seconds(company))


class PasswordProtected(BasePermission):
    """Admins/owners only (403), then the login password (412, or 429 when locked).

    Methods the view does not serve are let through, so they answer 405 without
    asking for (or counting) a password.
    """

    def has_permission(self, request: Request, view: APIView) -> bool:
        method = (request.method or "").lower()
        if method == "options" or getattr(view, method, None) is None:
            return True
        # DRF runs throttles after permissions; a rate-limited token must get its
        # 429 before any password is counted or checked.
        view.check_throttles(request)
        membership = request_membership(request)
        if not membership.is_admin_or_owner:
            raise Unauthorized()
        try:
            password_check(
                request=request, user=membership.user, company=membership.company
            )
        except PasswordLocked as locked:
            # `finalize_response` copies the view's headers onto error responses too.
            headers: dict[str, Any] = view.headers
            headers["Retry-After"] = str(max(locked.retry_after, 1))
            raise
        return True
