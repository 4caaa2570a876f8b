"""Shared fixtures: a company with an owner and a token, and API clients for it."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from companies.models import Company, Membership
from companies.services import token_create
from tests.factories import CompanyFactory, MembershipFactory, UserFactory


@dataclass
class Member:
    """A membership with its plain token and an API client that sends it."""

    membership: Membership
    token: str
    api: APIClient

    @property
    def company(self) -> Company:
        return self.membership.company


def api_client_for(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_X_API_TOKEN=token)
    return client


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """A fresh local MEDIA_ROOT behind `default_storage`, one per test."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_member(db: None) -> Callable[..., Member]:
    """Make a member of a company (a new company unless given), with a token."""

    def make(
        company: Company | None = None,
        *,
        is_owner: bool = True,
        is_admin: bool = True,
        permissions: list[str] | None = None,
        **user_fields: object,
    ) -> Member:
        membership: Membership = MembershipFactory.create(
            company=company or CompanyFactory(),
            user=UserFactory(**user_fields),
            is_owner=is_owner,
            is_admin=is_admin,
            permissions=permissions or [],
        )
        issued = token_create(membership=membership)
        return Member(
            membership=membership, token=issued.plain, api=api_client_for(issued.plain)
        )

    return make


@pytest.fixture
def owner(make_member: Callable[..., Member]) -> Member:
    """The owner (and admin) of company A."""
    return make_member()


@pytest.fixture
def company(owner: Member) -> Company:
    return owner.company


@pytest.fixture
def api(owner: Member) -> APIClient:
    """An API client authenticated as company A's owner."""
    return owner.api


@pytest.fixture
def outsider(make_member: Callable[..., Member]) -> Member:
    """The owner of another company, B."""
    return make_member()


# The read tests run twice: with the prepared reads (the default) and with
# PREPARED_READS off, where the same querysets go through the ORM. Both must give
# the same answers in the same number of queries.
BOTH_READ_PATHS = (
    "tests/api/test_prepared.py",
    "tests/clients/test_includes.py",
    "tests/clients/test_query_counts.py",
    "tests/clients/test_reads.py",
    "tests/clients_listing/",
    "tests/contract/",
)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    path = Path(str(metafunc.definition.path)).as_posix()
    if "prepared_only" in metafunc.fixturenames:
        return
    if any(f"/{name}" in path for name in BOTH_READ_PATHS):
        metafunc.parametrize(
            "prepared_reads", [True, False], ids=["prepared", "orm"], indirect=True
        )


@pytest.fixture(autouse=True)
def prepared_reads(request: pytest.FixtureRequest) -> bool:
    """`settings.PREPARED_READS` for the test (parametrised for the read tests)."""
    enabled = getattr(request, "param", True)
    if not enabled:
        request.getfixturevalue("settings").PREPARED_READS = False
    return bool(enabled)


@pytest.fixture
def prepared_only(settings: Any) -> None:
    """For tests of the prepared queries' own machinery: run with them on only."""
    settings.PREPARED_READS = True
