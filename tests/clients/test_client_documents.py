"""`client_documents_upload`: documents attached to a client, with its activity and
its `updated_at`, all or nothing."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from clients.models import Activity, Client
from clients.services.documents import client_documents_upload
from documents.models import Document
from tests.conftest import Member
from tests.documents.conftest import PDF, stored_files, upload
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_row(owner: Member) -> Client:
    client: Client = ClientFactory.create(company=owner.company)
    Client.objects.filter(pk=client.pk).update(
        updated_at=timezone.now() - timedelta(days=1)
    )
    client.refresh_from_db()
    return client


def test_the_files_become_the_clients_documents_with_one_activity(
    owner: Member, media: Path, client_row: Client
) -> None:
    before = client_row.updated_at
    user = owner.membership.user

    documents = client_documents_upload(
        client=client_row,
        user=user,
        uploads=[upload("a.pdf", PDF), upload("b.txt", b"notes")],
        is_public=False,
    )

    assert [d.name for d in documents] == ["a.pdf", "b.txt"]
    rows = Document.objects.order_by("pk")
    assert [(d.owner_id, d.company_id, d.user_id, d.is_public) for d in rows] == [
        (client_row.pk, client_row.company_id, user.pk, False)
    ] * 2
    assert {d.owner_type for d in rows} == {ContentType.objects.get_for_model(Client)}
    assert len(stored_files(media)) == 2
    (activity,) = Activity.objects.filter(client=client_row)
    assert (activity.activity_type_id, activity.user, activity.notes) == (
        Activity.UPLOAD_DOCUMENT,
        user,
        "Uploaded a.pdf, b.txt",
    )
    assert activity.company_id == client_row.company_id
    client_row.refresh_from_db()
    assert client_row.updated_at > before


def test_a_refused_file_is_a_validation_error_and_nothing_is_written(
    owner: Member, media: Path, client_row: Client
) -> None:
    before = client_row.updated_at

    with pytest.raises(ValidationError) as refused:
        client_documents_upload(
            client=client_row,
            user=owner.membership.user,
            uploads=[upload("a.pdf", PDF), upload("b.exe", b"MZ")],
        )

    assert list(refused.value.message_dict) == ["documents.1"]
    assert not Document.objects.exists()
    assert not Activity.objects.exists()
    assert stored_files(media) == []
    client_row.refresh_from_db()
    assert client_row.updated_at == before


def test_no_files_change_nothing(owner: Member, client_row: Client) -> None:
    before = client_row.updated_at
    assert client_documents_upload(client=client_row, user=None, uploads=[]) == []
    assert not Activity.objects.exists()
    client_row.refresh_from_db()
    assert client_row.updated_at == before


def test_a_failure_after_storing_deletes_the_stored_files(
    owner: Member, media: Path, client_row: Client, monkeypatch: Any
) -> None:
    def refuse(**kwargs: Any) -> None:
        raise RuntimeError("activity log unavailable")

    monkeypatch.setattr("clients.services.documents.activity_record", refuse)

    with pytest.raises(RuntimeError):
        client_documents_upload(
            client=client_row, user=None, uploads=[upload("a.pdf", PDF)]
        )

    assert stored_files(media) == []
    assert not Document.objects.exists()
