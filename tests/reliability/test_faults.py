"""Fault injection: a database or storage error in the middle of a write must give
a clean JSON error and leave the database and the stored files exactly as they
were (every row of every company, every field; the file listing with sizes).

Each fault is raised after part of the work is done (a row written, a file
stored), so only the transaction and the cleanup code stand between it and a
half-done write.
"""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection

from clients.models import Activity
from config.api.hashids import encode_id
from contacts.models import ClientContact
from documents.models import Document
from tests.factories import PASSWORD
from tests.reliability.conftest import Tenant, png_bytes, snapshot, stored_files

SERVER_ERROR = {"message": "Server error", "errors": {}}


def injected(*args: Any, **kwargs: Any) -> Any:
    raise DatabaseError("injected fault")


def fail_on(target: Any, attribute: str) -> AbstractContextManager[Any]:
    return mock.patch.object(target, attribute, side_effect=injected)


@contextmanager
def statement_fails(prefix: str) -> Iterator[None]:
    """The database refuses every statement that starts with `prefix`."""

    def refuse(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.startswith(prefix):
            raise DatabaseError("injected fault")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield


ACTIVITY_INSERT = 'INSERT INTO "clients_activity"'


@contextmanager
def storage_fails_on_save(number: int) -> Iterator[None]:
    """The storage writes files until the `number`th, which fails (disk full)."""
    real_save = FileSystemStorage._save  # type: ignore[attr-defined]
    calls = {"count": 0}

    def save(self: FileSystemStorage, name: str, content: Any) -> str:
        calls["count"] += 1
        if calls["count"] >= number:
            raise OSError(28, "No space left on device")
        return real_save(self, name, content)

    with mock.patch.object(FileSystemStorage, "_save", save):
        yield
    assert calls["count"] >= number, "the fault was never reached"


def files(count: int = 3) -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile(f"f{index}.png", png_bytes(), "image/png")
        for index in range(count)
    ]


# Each case: (the fault, the request as a function of A, expected status).
Request = Callable[[Tenant], Any]


def create_with_contacts(a: Tenant) -> Any:
    return a.member.api.post(
        "/api/v1/clients",
        {
            "name": "New",
            "contacts": [{"email": "n@x.example"}, {"email": "m@x.example"}],
        },
        format="json",
    )


def update_with_contacts(a: Tenant) -> Any:
    return a.member.api.put(
        f"/api/v1/clients/{a.client_id}",
        {
            "name": "Renamed",
            "number": "",
            "settings": {"currency_id": "2"},
            "contacts": [{"email": "only@x.example", "is_primary": True}],
        },
        format="json",
    )


def bulk(action: str, **extra: Any) -> Request:
    def request(a: Tenant) -> Any:
        ids = [encode_id(client.pk) for client in a.clients]
        return a.member.api.post(
            "/api/v1/clients/bulk",
            {"action": action, "ids": ids, **extra},
            format="json",
        )

    return request


def upload(a: Tenant) -> Any:
    return a.member.api.post(
        f"/api/v1/clients/{a.client_id}/upload",
        {"documents[]": files()},
        format="multipart",
    )


def merge(a: Tenant) -> Any:
    second = encode_id(a.clients[1].pk)
    return a.member.api.post(
        f"/api/v1/clients/{a.client_id}/{second}/merge", HTTP_X_API_PASSWORD=PASSWORD
    )


def purge(a: Tenant) -> Any:
    return a.member.api.post(
        f"/api/v1/clients/{a.client_id}/purge", HTTP_X_API_PASSWORD=PASSWORD
    )


def document_delete(a: Tenant) -> Any:
    return a.member.api.delete(f"/api/v1/documents/{a.document_id}")


def documents_bulk_delete(a: Tenant) -> Any:
    ids = [encode_id(document.pk) for document in a.documents]
    return a.member.api.post(
        "/api/v1/documents/bulk", {"action": "delete", "ids": ids}, format="json"
    )


def group_update(a: Tenant) -> Any:
    return a.member.api.put(
        f"/api/v1/group_settings/{a.group_id}",
        {"name": "Renamed", "settings": {"currency_id": "3"}},
        format="json",
    )


FAULTS: dict[str, tuple[Callable[[], AbstractContextManager[Any]], Request]] = {
    # The client row is written and the number counter advanced when the
    # contacts fail.
    "create: contacts insert fails": (
        lambda: fail_on(ClientContact.objects, "bulk_create"),
        create_with_contacts,
    ),
    "create: activity insert fails": (
        lambda: mock.patch(
            "clients.services.clients.activity_record", side_effect=injected
        ),
        create_with_contacts,
    ),
    # The client row is saved and its contacts replaced when the activity fails.
    "update: activity insert fails": (
        lambda: mock.patch(
            "clients.services.clients.activity_record", side_effect=injected
        ),
        update_with_contacts,
    ),
    "update: contacts insert fails": (
        lambda: fail_on(ClientContact.objects, "bulk_create"),
        update_with_contacts,
    ),
    # Bulk: the clients are updated when their activities fail.
    "bulk archive: activities fail": (
        lambda: statement_fails(ACTIVITY_INSERT),
        bulk("archive"),
    ),
    "bulk delete: activities fail": (
        lambda: statement_fails(ACTIVITY_INSERT),
        bulk("delete"),
    ),
    "bulk update: activities fail": (
        lambda: statement_fails(ACTIVITY_INSERT),
        bulk("bulk_update", column="public_notes", new_value="changed"),
    ),
    # Upload: the first file is stored when the second cannot be.
    "upload: storage fails on the 2nd file": (
        lambda: storage_fails_on_save(2),
        upload,
    ),
    # Upload: all three files are stored when the rows fail.
    "upload: document rows fail": (
        lambda: fail_on(Document.objects, "bulk_create"),
        upload,
    ),
    # Merge: balances, ledger, contacts, documents and activities have moved
    # when the last activity fails.
    "merge: the merge activity fails": (
        lambda: fail_on(Activity.objects, "create"),
        merge,
    ),
    # Purge: the client and everything of it are deleted when the fault hits.
    "purge: fails after the delete": (
        lambda: mock.patch(
            "clients.services.purge.stored_files_delete_on_commit", side_effect=injected
        ),
        purge,
    ),
    "document delete: fails after the delete": (
        lambda: mock.patch(
            "documents.services.stored_files_delete_on_commit", side_effect=injected
        ),
        document_delete,
    ),
    "documents bulk delete: fails after the delete": (
        lambda: mock.patch(
            "documents.services.stored_files_delete_on_commit", side_effect=injected
        ),
        documents_bulk_delete,
    ),
    "group update: save fails": (
        lambda: mock.patch("django.db.models.Model.save", side_effect=injected),
        group_update,
    ),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_fault_in_the_middle_of_a_write_leaves_everything_as_it_was(
    fault: str,
    tenant_a: Tenant,
    tenant_b: Tenant,
    media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    inject, request = FAULTS[fault]
    rows_before = snapshot()
    files_before = stored_files(media)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, inject():
        answer = request(tenant_a)
    assert answer.status_code == 500, answer.content
    assert answer.json() == SERVER_ERROR
    assert callbacks == []
    assert snapshot() == rows_before
    assert stored_files(media) == files_before


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_without_the_fault_the_same_request_changes_the_data(
    fault: str,
    tenant_a: Tenant,
    media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # Proves each fault above hit a request that really writes.
    request = FAULTS[fault][1]
    rows_before = snapshot()
    files_before = stored_files(media)
    with django_capture_on_commit_callbacks(execute=True):
        answer = request(tenant_a)
    assert answer.status_code == 200, answer.content
    assert snapshot() != rows_before
    if request in (upload, purge, document_delete, documents_bulk_delete):
        assert stored_files(media) != files_before


def test_a_failed_upload_reports_the_storage_error_in_the_log(
    tenant_a: Tenant, media: Path, caplog: Any
) -> None:
    with storage_fails_on_save(2):
        answer = upload(tenant_a)
    assert answer.status_code == 500
    assert "No space left on device" in caplog.text
