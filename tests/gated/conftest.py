"""Fixtures of the password-gate, purge and merge tests."""

import time
from dataclasses import dataclass

import pytest

from tests.redis_server import redis_cache, redis_url  # noqa: F401


@dataclass
class Clock:
    """A controllable `time.time()` (cache expiry and the gate both read it)."""

    now: float

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Freeze `time.time()`; tests move it forward with `clock.advance(seconds)`."""
    frozen = Clock(now=time.time())
    monkeypatch.setattr(time, "time", lambda: frozen.now)
    return frozen
