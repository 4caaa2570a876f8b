"""Per-token rate limit: fixed windows counted in Django's cache.

The throttle counts the request and leaves the outcome on the Django request;
`RateLimitHeadersMiddleware` turns it into `X-RateLimit-*` headers on whatever
response the view ends with (a 404 or a 422 carries them too).
"""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from companies.models import ApiToken

PERIOD_SECONDS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
}
REQUEST_ATTRIBUTE = "rate_limit_state"


@dataclass(frozen=True)
class Rate:
    """A number of requests allowed per period of `period` seconds."""

    limit: int
    period: int


@dataclass(frozen=True)
class RateLimitState:
    """The outcome of counting one request against its token's window."""

    limit: int
    count: int
    reset_in: int

    @property
    def allowed(self) -> bool:
        return self.count <= self.limit

    @property
    def remaining(self) -> int:
        return max(self.limit - self.count, 0)


@lru_cache(maxsize=16)
def parse_rate(value: str) -> Rate:
    """Read `N/sec|min|hour|day` (also `s`, `m`, `h`, `d`, `second`, `minute`)."""
    number, _, unit = value.strip().lower().partition("/")
    unit = unit.strip()
    if unit not in PERIOD_SECONDS:
        unit = unit.removesuffix("s")
    if not number.strip().isdigit() or unit not in PERIOD_SECONDS:
        raise ImproperlyConfigured(
            f"API_RATE_LIMIT must look like 1000/min (N/sec|min|hour|day), "
            f"not {value!r}."
        )
    limit = int(number)
    if limit < 1:
        raise ImproperlyConfigured("API_RATE_LIMIT must allow at least 1 request.")
    return Rate(limit=limit, period=PERIOD_SECONDS[unit])


def configured_rate() -> Rate:
    """The rate of `settings.API_RATE_LIMIT` (read per call, so tests can override)."""
    return parse_rate(str(settings.API_RATE_LIMIT))


def rate_limit_hit(
    *, key: str, rate: Rate, now: Callable[[], float] = time.time
) -> RateLimitState:
    """Count one request for `key` in the current fixed window of `rate`.

    Usually one cache call (`incr`); the first request of a window adds the key.
    The key outlives its window by a period, so an `incr` racing the expiry can't
    recreate it without a timeout; later windows use new keys anyway.
    """
    moment = now()
    window = int(moment // rate.period)
    reset_in = max(1, math.ceil((window + 1) * rate.period - moment))
    cache_key = f"ratelimit:{key}:{rate.period}:{window}"
    try:
        count = cache.incr(cache_key)
    except ValueError:
        if cache.add(cache_key, 1, timeout=reset_in + rate.period):
            count = 1
        else:
            count = cache.incr(cache_key)
    return RateLimitState(limit=rate.limit, count=int(count), reset_in=reset_in)


def token_rate_limit_hit(request: HttpRequest, token: ApiToken) -> RateLimitState:
    """Count a request of `token` and remember the outcome on the Django request."""
    state = rate_limit_hit(key=f"token:{token.pk}", rate=configured_rate())
    setattr(request, REQUEST_ATTRIBUTE, state)
    return state


class TokenRateThrottle(BaseThrottle):
    """DRF throttle: `API_RATE_LIMIT` requests per token and period, no SQL."""

    state: RateLimitState | None = None

    def allow_request(self, request: Request, view: Any) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return True
        # Counted once per request, however often the throttles are checked (the
        # password gate checks them first; OPTIONS checks copies of the request).
        counted: RateLimitState | None = getattr(
            request._request, REQUEST_ATTRIBUTE, None
        )
        self.state = counted or token_rate_limit_hit(request._request, token)
        return self.state.allowed

    def wait(self) -> float | None:
        return None if self.state is None else float(self.state.reset_in)


class RateLimitHeadersMiddleware:
    """Adds `X-RateLimit-Limit`/`-Remaining` to responses of token requests.

    A request that was authenticated but stopped before DRF ran the throttles
    (a 403 from a permission check) is counted here, so it still pays and still
    gets the headers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        state: RateLimitState | None = getattr(request, REQUEST_ATTRIBUTE, None)
        if state is None:
            token = getattr(request, "auth", None)
            if not isinstance(token, ApiToken):
                return response
            state = token_rate_limit_hit(request, token)
        response["X-RateLimit-Limit"] = str(state.limit)
        response["X-RateLimit-Remaining"] = str(state.remaining)
        return response
