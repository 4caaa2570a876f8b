from typing import Any

import pytest
import redis
from django.core.exceptions import ImproperlyConfigured

from config.api.throttling import Rate, parse_rate, rate_limit_hit


@pytest.fixture
def small_limit(settings):
    settings.API_RATE_LIMIT = "3/min"


def test_every_authenticated_response_carries_the_limit_and_what_remains(
    api, small_limit
):
    remaining = []
    for _ in range(3):
        response = api.get("/api/v1/ping")
        assert response.status_code == 200
        assert response["X-RateLimit-Limit"] == "3"
        remaining.append(response["X-RateLimit-Remaining"])
    assert remaining == ["2", "1", "0"]


def test_a_request_over_the_limit_is_429_with_retry_after(api, small_limit):
    for _ in range(3):
        api.get("/api/v1/ping")
    response = api.get("/api/v1/ping")
    assert response.status_code == 429
    assert response.json() == {"message": "Too many requests", "errors": {}}
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response["X-RateLimit-Limit"] == "3"
    assert response["X-RateLimit-Remaining"] == "0"


def test_error_responses_of_authenticated_requests_carry_the_headers_too(
    api, small_limit
):
    response = api.delete("/api/v1/ping")
    assert response.status_code == 405
    assert response["X-RateLimit-Remaining"] == "2"


@pytest.mark.urls("tests.api.urls")
def test_a_permission_denied_request_is_counted_and_carries_the_headers(
    make_member, small_limit
):
    member = make_member(is_owner=False, is_admin=False, permissions=[])
    response = member.api.post("/api/v1/test-memberships", {}, format="json")
    assert response.status_code == 403
    assert response["X-RateLimit-Limit"] == "3"
    assert response["X-RateLimit-Remaining"] == "2"


def test_requests_with_a_bad_token_get_no_rate_limit_headers(db, client, small_limit):
    response = client.get("/api/v1/ping", HTTP_X_API_TOKEN="nope-not-a-token")
    assert response.status_code == 403
    assert "X-RateLimit-Limit" not in response


def test_each_token_has_its_own_counter(api, outsider, small_limit):
    for _ in range(3):
        api.get("/api/v1/ping")
    assert api.get("/api/v1/ping").status_code == 429
    response = outsider.api.get("/api/v1/ping")
    assert response.status_code == 200
    assert response["X-RateLimit-Remaining"] == "2"


def test_the_unauthenticated_schema_and_docs_are_not_limited(db, client, small_limit):
    for _ in range(5):
        response = client.get("/api/v1/schema")
        assert response.status_code == 200
        assert "X-RateLimit-Limit" not in response


def test_a_new_window_starts_a_new_count(db):
    rate = Rate(limit=2, period=60)
    for _ in range(3):
        state = rate_limit_hit(key="t", rate=rate, now=lambda: 120.5)
    assert not state.allowed
    assert state.reset_in == 60
    state = rate_limit_hit(key="t", rate=rate, now=lambda: 180.0)
    assert state.allowed
    assert state.remaining == 1


def test_counting_a_request_runs_no_sql(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        rate_limit_hit(key="t", rate=Rate(limit=5, period=1))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1000/min", Rate(1000, 60)),
        ("5/sec", Rate(5, 1)),
        ("5/s", Rate(5, 1)),
        ("10 / hour", Rate(10, 3600)),
        ("10/hours", Rate(10, 3600)),
        ("7/day", Rate(7, 86400)),
        ("60/minute", Rate(60, 60)),
    ],
)
def test_rates_are_read_as_a_number_per_period(value, expected):
    assert parse_rate(value) == expected


@pytest.mark.parametrize("value", ["", "1000", "abc/min", "10/fortnight", "0/min"])
def test_a_malformed_rate_is_a_configuration_error(value):
    with pytest.raises(ImproperlyConfigured):
        parse_rate(value)


def test_with_redis_the_counters_live_in_redis_and_expire(
    api, owner, small_limit, redis_cache, redis_url
):
    for _ in range(3):
        assert api.get("/api/v1/ping").status_code == 200
    assert api.get("/api/v1/ping").status_code == 429

    raw: Any = redis.Redis.from_url(redis_url)
    keys = raw.keys(f"*ratelimit:token:{owner.membership.tokens.get().pk}:*")
    assert len(keys) == 1
    assert int(raw.get(keys[0])) == 4
    assert 0 < raw.ttl(keys[0]) <= 120


def test_with_redis_every_app_server_shares_one_counter(
    api, small_limit, redis_cache, redis_url
):
    from django.core.cache import caches

    api.get("/api/v1/ping")
    # A second connection stands in for another worker or server.
    other_server = caches.create_connection("default")
    raw: Any = redis.Redis.from_url(redis_url)
    key = next(k.decode().split(":", 2)[2] for k in raw.keys("*ratelimit:*"))
    other_server.incr(key)
    response = api.get("/api/v1/ping")
    assert response["X-RateLimit-Remaining"] == "0"
