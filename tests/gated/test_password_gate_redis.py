"""With Redis as the cache, the gate's counters and windows are shared by workers."""

import threading
from typing import Any

import pytest
import redis
from django.core.cache.backends.redis import RedisCache
from rest_framework.test import APIClient

from config.api import password
from config.api.password import LOCKED_MESSAGE
from tests.conftest import Member
from tests.factories import PASSWORD
from tests.gated.conftest import race_wrong_passwords

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.gated.urls")]

URL = "/api/v1/test-gated"


def worker_cache(url: str) -> RedisCache:
    """A cache with its own connection pool, as another worker process has."""
    return RedisCache(url, {})


def gated_as(
    monkeypatch: pytest.MonkeyPatch, worker: RedisCache, api: APIClient, **headers: Any
) -> Any:
    monkeypatch.setattr(password, "cache", worker)
    return api.post(URL, format="json", **headers)


def test_a_lockout_begun_on_two_workers_holds_on_both(
    monkeypatch: pytest.MonkeyPatch, redis_cache: str, api: APIClient, owner: Member
) -> None:
    worker_a, worker_b = worker_cache(redis_cache), worker_cache(redis_cache)
    for attempt in range(5):
        worker = worker_a if attempt % 2 == 0 else worker_b
        response = gated_as(
            monkeypatch, worker, api, HTTP_X_API_PASSWORD="wrong-password"
        )
        assert response.status_code == 412

    for worker in (worker_a, worker_b):
        response = gated_as(monkeypatch, worker, api, HTTP_X_API_PASSWORD=PASSWORD)
        assert response.status_code == 429
        assert response.json() == {"message": LOCKED_MESSAGE, "errors": {}}
        assert response["Retry-After"] == "900"

    raw: Any = redis.Redis.from_url(redis_cache)
    try:
        locked = raw.keys(f"*password-gate:locked:{owner.membership.user_id}")
        assert len(locked) == 1
        assert 0 < int(raw.ttl(locked[0])) <= 900
    finally:
        raw.close()


def test_a_grace_window_opened_on_one_worker_holds_on_another(
    monkeypatch: pytest.MonkeyPatch, redis_cache: str, api: APIClient
) -> None:
    worker_a, worker_b = worker_cache(redis_cache), worker_cache(redis_cache)

    opened = gated_as(monkeypatch, worker_a, api, HTTP_X_API_PASSWORD=PASSWORD)
    assert opened.status_code == 200

    assert gated_as(monkeypatch, worker_b, api).status_code == 200


def test_the_django_cache_setting_puts_the_lockout_in_redis(
    redis_cache: str, api: APIClient, owner: Member
) -> None:
    for _ in range(5):
        response = api.post(URL, HTTP_X_API_PASSWORD="wrong-password")
        assert response.status_code == 412

    assert api.post(URL, HTTP_X_API_PASSWORD=PASSWORD).status_code == 429
    raw: Any = redis.Redis.from_url(redis_cache)
    try:
        assert raw.keys(f"*password-gate:locked:{owner.membership.user_id}")
    finally:
        raw.close()


class ConnectionPerThread:
    """A cache that gives each thread its own Redis connection pool (a worker each)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.local = threading.local()

    def __getattr__(self, name: str) -> Any:
        if not hasattr(self.local, "cache"):
            self.local.cache = worker_cache(self.url)
        return getattr(self.local.cache, name)


def test_concurrent_wrong_passwords_on_separate_connections_are_each_counted(
    monkeypatch: pytest.MonkeyPatch, redis_cache: str, owner: Member
) -> None:
    user_id = owner.membership.user_id
    monkeypatch.setattr(password, "cache", ConnectionPerThread(redis_cache))
    counts: list[int] = []
    barrier = threading.Barrier(password.MAX_FAILURES)

    def attempt() -> None:
        barrier.wait()
        counts.append(password.password_attempt_count(user_id))

    threads = [threading.Thread(target=attempt) for _ in range(password.MAX_FAILURES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(counts) == [1, 2, 3, 4, 5], "no attempt is lost"


def test_twenty_parallel_wrong_passwords_on_separate_connections_check_at_most_five(
    monkeypatch: pytest.MonkeyPatch, redis_cache: str, owner: Member
) -> None:
    monkeypatch.setattr(password, "cache", ConnectionPerThread(redis_cache))

    outcomes = race_wrong_passwords(owner, monkeypatch, attempts=20)

    assert outcomes.checked <= password.MAX_FAILURES
    assert outcomes.statuses.count(412) == outcomes.checked
    assert outcomes.statuses.count(429) == 20 - outcomes.checked
    assert password.lockout_remaining(owner.membership.user_id) == 900


def test_a_failure_count_recreated_without_a_timeout_gets_the_window_again(
    redis_cache: str, owner: Member
) -> None:
    user_id = owner.membership.user_id
    raw: Any = redis.Redis.from_url(redis_cache)
    try:
        # What Redis' INCR leaves when the key expired between EXISTS and INCR.
        raw.set(f":1:password-gate:failures:{user_id}", 0)

        assert password.password_attempt_count(user_id) == 1

        ttl = int(raw.ttl(f":1:password-gate:failures:{user_id}"))
        assert 0 < ttl <= password.FAILURE_WINDOW_SECONDS
    finally:
        raw.close()
