"""A throwaway `redis-server` for tests that must see a cache shared across workers.

Use the fixtures by importing them into a test module or conftest:

    from tests.redis_server import redis_cache, redis_url  # noqa: F401

`redis_url` starts one server per test session (skipped with a clear reason when
the `redis-server` binary is not installed); `redis_cache` points Django's
`CACHES["default"]` at it for one test and flushes it before and after.
"""

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import redis

STARTUP_SECONDS = 10.0


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_ready(url: str, process: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + STARTUP_SECONDS
    client = redis.Redis.from_url(url)
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                return False
            try:
                if client.ping():
                    return True
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        return False
    finally:
        client.close()


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@contextmanager
def running_redis_server(attempts: int = 3) -> Iterator[str]:
    """Run `redis-server` on a free port without persistence; yield its URL.

    Skips the calling test when the binary is missing or the server won't start.
    """
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed, so the shared-cache test can't run")
    for _ in range(attempts):
        port = free_port()
        url = f"redis://127.0.0.1:{port}/0"
        process = subprocess.Popen(
            [
                binary,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            if _wait_until_ready(url, process):
                yield url
                return
        finally:
            _stop(process)
    pytest.skip(f"redis-server did not start after {attempts} attempts")


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """The URL of a redis-server running for this test session."""
    with running_redis_server() as url:
        yield url


def flush(url: str) -> None:
    """Empty the server's current database."""
    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()


@pytest.fixture
def redis_cache(settings: Any, redis_url: str) -> Iterator[str]:
    """Django's default cache is the session's redis-server for this test."""
    flush(redis_url)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
        }
    }
    yield redis_url
    flush(redis_url)
