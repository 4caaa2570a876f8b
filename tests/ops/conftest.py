"""Fixtures of the operations tests."""

from tests.ops.redis_fixture import redis_cache, redis_url

__all__ = ["redis_cache", "redis_url"]
