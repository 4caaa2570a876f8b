"""The two gunicorn servers of the PostgreSQL race tests."""

from tests.reliability.test_concurrency_pg import _postgres_only, servers  # noqa: F401
