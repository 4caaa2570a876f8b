"""A purge or merge that fails midway leaves every row and stored file as it was.

These tests commit for real (`transaction=True`), so rollbacks and on-commit file
deletions behave as in production.
"""

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db.models.signals import pre_delete
from rest_framework.test import APIClient

from clients.models import Client
from clients.services import merge as merging
from clients.services import purge as purging
from clients.services.merge import client_merge
from clients.services.purge import client_purge
from config.api.hashids import encode_id
from tests.conftest import Member
from tests.factories import PASSWORD, ClientFactory, ContactFactory
from tests.gated.conftest import (
    activity_create,
    document_create,
    ledger_create,
    snapshot,
    stored_files,
)

pytestmark = pytest.mark.django_db(transaction=True)

SERVER_ERROR = {"message": "Server error", "errors": {}}


class Boom(Exception):
    """The failure forced into the middle of a purge or merge."""


def full_client(company: Any, email: str, balance: str) -> Client:
    client: Client = ClientFactory.create(company=company, balance=Decimal(balance))
    ContactFactory.create(client=client, email=email, is_primary=True)
    ContactFactory.create(client=client, email=f"other-{email}", is_primary=False)
    activity_create(client)
    ledger_create(client)
    document_create(client)
    document_create(client, preview=True)
    return client


@pytest.fixture
def pair(owner: Member, media: Path) -> tuple[Client, Client]:
    primary = full_client(owner.company, "boss@acme.test", "10")
    merged = full_client(owner.company, "boss@acme.test", "2.5")
    return primary, merged


@pytest.fixture
def client_delete_fails() -> Iterator[None]:
    """Deleting any client raises (the last step of both purge and merge)."""

    def refuse(**kwargs: Any) -> None:
        raise Boom("client delete failed")

    pre_delete.connect(refuse, sender=Client, dispatch_uid="test-refuse")
    yield
    pre_delete.disconnect(sender=Client, dispatch_uid="test-refuse")


def fail_after(target: Callable[..., Any]) -> Callable[..., Any]:
    """`target`, which does its work and then raises."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        target(*args, **kwargs)
        raise Boom(f"failed after {target.__name__}")

    return wrapper


def test_a_merge_failing_after_moving_contacts_changes_nothing(
    monkeypatch: pytest.MonkeyPatch,
    owner: Member,
    media: Path,
    pair: tuple[Client, Client],
) -> None:
    primary, merged = pair
    rows, files = snapshot(), stored_files(media)
    monkeypatch.setattr(merging, "_contacts_move", fail_after(merging._contacts_move))

    with pytest.raises(Boom):
        client_merge(primary=primary, merged=merged, user=owner.membership.user)

    assert snapshot() == rows
    assert stored_files(media) == files


@pytest.mark.usefixtures("client_delete_fails")
def test_a_merge_failing_at_its_last_step_changes_nothing(
    owner: Member, media: Path, pair: tuple[Client, Client]
) -> None:
    primary, merged = pair
    rows, files = snapshot(), stored_files(media)

    with pytest.raises(Boom):
        client_merge(primary=primary, merged=merged, user=owner.membership.user)

    assert snapshot() == rows
    assert stored_files(media) == files


@pytest.mark.usefixtures("client_delete_fails")
def test_a_purge_failing_midway_changes_nothing(
    owner: Member, media: Path, pair: tuple[Client, Client]
) -> None:
    client, _ = pair
    rows, files = snapshot(), stored_files(media)

    with pytest.raises(Boom):
        client_purge(client=client, user=owner.membership.user)

    assert snapshot() == rows
    assert stored_files(media) == files


def test_a_purge_failing_after_scheduling_file_deletes_keeps_the_files(
    monkeypatch: pytest.MonkeyPatch,
    owner: Member,
    media: Path,
    pair: tuple[Client, Client],
) -> None:
    client, _ = pair
    rows, files = snapshot(), stored_files(media)
    monkeypatch.setattr(
        purging,
        "stored_files_delete_on_commit",
        fail_after(purging.stored_files_delete_on_commit),
    )

    with pytest.raises(Boom):
        client_purge(client=client, user=owner.membership.user)

    assert snapshot() == rows
    assert stored_files(media) == files


def test_a_committed_purge_removes_its_files(
    owner: Member, media: Path, pair: tuple[Client, Client]
) -> None:
    client, neighbour = pair

    client_purge(client=client, user=owner.membership.user)

    assert stored_files(media) == sorted(
        path
        for document in neighbour.documents.all()
        for path in (document.path, document.preview)
        if path
    )


def api_with_password(member: Member) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_X_API_TOKEN=member.token, HTTP_X_API_PASSWORD=PASSWORD)
    return api


@pytest.mark.usefixtures("client_delete_fails")
def test_a_failing_purge_request_answers_500_json_and_changes_nothing(
    owner: Member, media: Path, pair: tuple[Client, Client]
) -> None:
    client, _ = pair
    rows, files = snapshot(), stored_files(media)

    response = api_with_password(owner).post(
        f"/api/v1/clients/{encode_id(client.pk)}/purge"
    )

    assert response.status_code == 500
    assert response.json() == SERVER_ERROR
    assert snapshot() == rows
    assert stored_files(media) == files


def test_a_failing_merge_request_answers_500_json_and_changes_nothing(
    monkeypatch: pytest.MonkeyPatch,
    owner: Member,
    media: Path,
    pair: tuple[Client, Client],
) -> None:
    primary, merged = pair
    rows, files = snapshot(), stored_files(media)
    monkeypatch.setattr(merging, "_contacts_move", fail_after(merging._contacts_move))

    response = api_with_password(owner).post(
        f"/api/v1/clients/{encode_id(primary.pk)}/{encode_id(merged.pk)}/merge"
    )

    assert response.status_code == 500
    assert response.json() == SERVER_ERROR
    assert snapshot() == rows
    assert stored_files(media) == files
