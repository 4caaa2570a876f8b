"""Fixtures of the operations tests."""

from tests.redis_server import redis_cache, redis_url

__all__ = ["redis_cache", "redis_url"]
