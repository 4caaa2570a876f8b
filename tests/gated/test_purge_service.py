"""`client_purge`: the client and everything of it, files after commit."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from clients.models import Activity, Client, LedgerEntry
from clients.services.purge import PurgeCounts, client_purge, clients_purge
from config.errors import NotFound
from contacts.models import ClientContact
from documents.models import Document
from tests.conftest import Member
from tests.factories import ClientFactory, ContactFactory
from tests.gated.conftest import (
    activity_create,
    document_create,
    ledger_create,
    stored_files,
)

pytestmark = pytest.mark.django_db


def client_with_everything(company: Any) -> Client:
    client: Client = ClientFactory.create(company=company)
    ContactFactory.create(client=client, is_primary=True)
    ContactFactory.create(client=client, is_primary=False, is_deleted=True)
    activity_create(client)
    ledger_create(client)
    document_create(client)
    document_create(client, preview=True)
    return client


def rows_of(client: Client) -> dict[str, int]:
    return {
        "client": Client.objects.filter(pk=client.pk).count(),
        "contacts": ClientContact.objects.filter(client_id=client.pk).count(),
        "activities": Activity.objects.filter(client_id=client.pk).count(),
        "ledger": LedgerEntry.objects.filter(client_id=client.pk).count(),
        "documents": Document.objects.filter(owner_id=client.pk).count(),
    }


def test_it_hard_deletes_the_client_and_all_its_rows(
    owner: Member, media: Path
) -> None:
    client = client_with_everything(owner.company)
    assert rows_of(client) == {
        "client": 1,
        "contacts": 2,
        "activities": 1,
        "ledger": 1,
        "documents": 2,
    }

    client_purge(client=client, user=owner.membership.user)

    assert rows_of(client) == dict.fromkeys(
        ("client", "contacts", "activities", "ledger", "documents"), 0
    )


def test_stored_files_are_removed_only_when_the_transaction_commits(
    owner: Member,
    media: Path,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    client = client_with_everything(owner.company)
    assert len(stored_files(media)) == 3

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client_purge(client=client, user=owner.membership.user)
    assert len(stored_files(media)) == 3, "nothing is removed before the commit"

    for callback in callbacks:
        callback()
    assert stored_files(media) == []


def test_other_clients_keep_their_rows_and_files(
    owner: Member,
    outsider: Member,
    media: Path,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    purged = client_with_everything(owner.company)
    neighbour = client_with_everything(owner.company)
    foreign = client_with_everything(outsider.company)
    kept_files = sorted(
        [
            *Document.objects.filter(owner_id=neighbour.pk).values_list(
                "path", flat=True
            ),
            *Document.objects.filter(owner_id=foreign.pk).values_list(
                "path", flat=True
            ),
            *Document.objects.filter(owner_id=neighbour.pk)
            .exclude(preview="")
            .values_list("preview", flat=True),
            *Document.objects.filter(owner_id=foreign.pk)
            .exclude(preview="")
            .values_list("preview", flat=True),
        ]
    )

    with django_capture_on_commit_callbacks(execute=True):
        client_purge(client=purged, user=owner.membership.user)

    expected = {"client": 1, "contacts": 2, "activities": 1, "ledger": 1}
    assert rows_of(neighbour) == {**expected, "documents": 2}
    assert rows_of(foreign) == {**expected, "documents": 2}
    assert stored_files(media) == kept_files


def test_a_client_already_gone_is_not_found(owner: Member) -> None:
    client: Client = ClientFactory.create(company=owner.company)
    Client.objects.filter(pk=client.pk).delete()

    with pytest.raises(NotFound) as refused:
        client_purge(client=client, user=owner.membership.user)
    assert (refused.value.status_code, refused.value.message) == (
        404,
        "Client not found",
    )


def test_a_set_purge_counts_what_went_and_skips_what_is_gone(
    owner: Member, media: Path
) -> None:
    first = client_with_everything(owner.company)
    second = client_with_everything(owner.company)
    kept = client_with_everything(owner.company)
    gone: Client = ClientFactory.create(company=owner.company)
    Client.objects.filter(pk=gone.pk).delete()

    counts = clients_purge(
        clients_queryset=Client.objects.filter(pk__in=[first.pk, second.pk, gone.pk]),
        user=owner.membership.user,
    )

    # Deleted contacts go too; each client had one live and one deleted.
    assert counts == PurgeCounts(clients=2, contacts=4, documents=4)
    assert list(Client.objects.values_list("pk", flat=True)) == [kept.pk]
    assert rows_of(kept)["documents"] == 2
