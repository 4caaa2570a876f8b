"""`/api/v1/documents`: list, show, download, edit, delete, bulk; and a client's
documents."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage

from clients.models import Client
from config.api.hashids import encode_id
from documents.models import Document
from documents.representation import document_representation
from tests.conftest import Member
from tests.documents.conftest import PDF, image_bytes
from tests.factories import ClientFactory

DOCUMENT_KEYS = {
    "id",
    "user_id",
    "assigned_user_id",
    "project_id",
    "vendor_id",
    "url",
    "preview",
    "name",
    "type",
    "disk",
    "hash",
    "size",
    "width",
    "height",
    "is_default",
    "is_public",
    "created_at",
    "updated_at",
    "archived_at",
    "is_deleted",
}

pytestmark = pytest.mark.usefixtures("media")

MakeDocument = Callable[..., Document]


def ids(response: Any) -> list[str]:
    return [row["id"] for row in response.json()["data"]]


def test_the_list_holds_the_companys_documents_in_the_envelope(
    api: Any, client_row: Client, make_document: MakeDocument, outsider: Member
) -> None:
    first = make_document(client_row, "a.pdf")
    second = make_document(client_row, "b.pdf")
    make_document(ClientFactory.create(company=outsider.company), "theirs.pdf")

    response = api.get("/api/v1/documents")

    assert response.status_code == 200
    body = response.json()
    assert ids(response) == [encode_id(first.pk), encode_id(second.pk)]
    assert body["meta"]["pagination"]["total"] == 2
    assert set(body["data"][0]) == DOCUMENT_KEYS


def test_a_document_is_shown_with_every_field_of_the_contract(
    api: Any, owner: Member, client_row: Client, make_document: MakeDocument
) -> None:
    document = make_document(
        client_row, "scan.png", image_bytes("PNG"), user=owner.membership.user
    )
    document.width, document.height = 3, 2
    document.save()

    response = api.get(f"/api/v1/documents/{encode_id(document.pk)}")

    assert response.status_code == 200
    data = response.json()["data"]
    assert set(data) == DOCUMENT_KEYS
    assert data["id"] == encode_id(document.pk)
    assert data["user_id"] == encode_id(owner.membership.user.pk)
    assert data["assigned_user_id"] == ""
    assert data["project_id"] == data["vendor_id"] == data["preview"] == ""
    assert data["url"] == (
        f"http://testserver/api/v1/documents/{encode_id(document.pk)}/download"
    )
    assert data["name"] == "scan.png"
    assert data["type"] == "png"
    assert data["disk"] == "local"
    assert data["hash"] == document.hash
    assert len(data["hash"]) == len("x" * 40 + ".png")
    assert (data["size"], data["width"], data["height"]) == (document.size, 3, 2)
    assert data["is_default"] is False
    assert data["is_public"] is True
    assert data["created_at"] == int(document.created_at.timestamp())
    assert data["archived_at"] == 0
    assert data["is_deleted"] is False


def test_the_representation_falls_back_to_app_url_without_a_request(
    settings: Any, client_row: Client, make_document: MakeDocument
) -> None:
    settings.APP_URL = "https://ninja.example"
    document = make_document(client_row)
    url = document_representation(document, None)["url"]
    assert (
        url
        == f"https://ninja.example/api/v1/documents/{encode_id(document.pk)}/download"
    )


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("name=VOICE", ["invoice.pdf"]),
        ("type=png", ["photo.png"]),
        ("type=PDF", ["invoice.pdf", "notes.pdf"]),
        ("sort=name|desc", ["photo.png", "notes.pdf", "invoice.pdf"]),
        ("sort=size", ["notes.pdf", "invoice.pdf", "photo.png"]),
        ("sort=type|DESC", ["photo.png", "notes.pdf", "invoice.pdf"]),
        ("sort=id|desc", ["notes.pdf", "photo.png", "invoice.pdf"]),
        ("sort=name|", ["invoice.pdf", "notes.pdf", "photo.png"]),
    ],
)
def test_the_list_filters_and_sorts(
    api: Any, client_row: Client, make_document: MakeDocument, query: str, names: list
) -> None:
    make_document(client_row, "invoice.pdf", PDF + b"x" * 10)
    make_document(client_row, "photo.png", image_bytes("PNG", (40, 40)))
    make_document(client_row, "notes.pdf", PDF)

    response = api.get(f"/api/v1/documents?{query}")

    assert response.status_code == 200
    assert [row["name"] for row in response.json()["data"]] == names


def test_the_list_filters_by_client(
    api: Any, company: Any, client_row: Client, make_document: MakeDocument
) -> None:
    other = ClientFactory.create(company=company)
    mine = make_document(client_row)
    make_document(other)

    response = api.get(f"/api/v1/documents?client_id={encode_id(client_row.pk)}")
    assert ids(response) == [encode_id(mine.pk)]

    response = api.get("/api/v1/documents?client_id=garbage")
    assert response.status_code == 200
    assert response.json()["data"] == []


@pytest.mark.parametrize(
    "sort", ["owner_id", "name|sideways", "name|asc|x", "password"]
)
def test_a_bad_sort_is_a_422_keyed_sort(api: Any, sort: str) -> None:
    response = api.get(f"/api/v1/documents?sort={sort}")
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["sort"]


def test_the_list_is_paginated(
    api: Any, client_row: Client, make_document: MakeDocument
) -> None:
    for index in range(7):
        make_document(client_row, f"{index}.pdf")

    response = api.get("/api/v1/documents?per_page=5&page=2")

    pagination = response.json()["meta"]["pagination"]
    assert len(response.json()["data"]) == 2
    assert (pagination["total"], pagination["total_pages"]) == (7, 2)


def test_the_list_query_count_does_not_grow_with_rows(
    api: Any,
    client_row: Client,
    make_document: MakeDocument,
    django_assert_num_queries: Any,
) -> None:
    api.get("/api/v1/documents")  # the token's last use is recorded once
    for index in range(3):
        make_document(client_row, f"{index}.pdf")
    with django_assert_num_queries(3):
        response = api.get("/api/v1/documents")
    assert response.status_code == 200
    assert len(response.json()["data"]) == 3
    for index in range(30):
        make_document(client_row, f"more{index}.pdf")
    with django_assert_num_queries(3):
        response = api.get("/api/v1/documents?per_page=50")
    assert response.status_code == 200
    assert len(response.json()["data"]) == 33
    assert response.json()["meta"]["pagination"]["total"] == 33


def test_the_detail_query_count_is_pinned(
    api: Any,
    client_row: Client,
    make_document: MakeDocument,
    django_assert_num_queries: Any,
) -> None:
    document = make_document(client_row)
    api.get("/api/v1/documents")
    with django_assert_num_queries(2):
        response = api.get(f"/api/v1/documents/{encode_id(document.pk)}")
    assert response.status_code == 200
    assert response.json()["data"]["id"] == encode_id(document.pk)


def test_the_client_documents_query_count_does_not_grow_with_rows(
    api: Any,
    client_row: Client,
    make_document: MakeDocument,
    django_assert_num_queries: Any,
) -> None:
    url = f"/api/v1/clients/{encode_id(client_row.pk)}/documents"
    api.post(url)
    for index in range(25):
        make_document(client_row, f"{index}.pdf")
    with django_assert_num_queries(4):
        response = api.post(url, {"per_page": 5}, format="json")
    assert response.status_code == 200
    assert len(response.json()["data"]) == 20
    assert response.json()["meta"]["pagination"]["total"] == 25


def test_a_download_streams_the_stored_bytes_as_an_attachment(
    api: Any, client_row: Client, make_document: MakeDocument
) -> None:
    content = image_bytes("PNG", (30, 30))
    document = make_document(client_row, "Scan 1.png", content)

    response = api.get(f"/api/v1/documents/{encode_id(document.pk)}/download")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="Scan 1.png"'
    assert response["Content-Length"] == str(len(content))


def test_a_download_keeps_a_non_ascii_name(
    api: Any, client_row: Client, make_document: MakeDocument
) -> None:
    document = make_document(client_row, "Reçu été.pdf")
    response = api.get(f"/api/v1/documents/{encode_id(document.pk)}/download")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Re%C3%A7u%20%C3%A9t%C3%A9.pdf"
    )
    assert response["Content-Type"] == "application/pdf"


def test_a_download_needs_the_token(
    client_row: Client, make_document: MakeDocument
) -> None:
    from rest_framework.test import APIClient

    document = make_document(client_row)
    response = APIClient().get(f"/api/v1/documents/{encode_id(document.pk)}/download")
    assert response.status_code == 403
    assert response.json()["message"] == "Invalid token"


def test_a_download_of_a_missing_file_is_not_found(
    api: Any, client_row: Client, make_document: MakeDocument
) -> None:
    document = make_document(client_row)
    default_storage.delete(document.path)
    response = api.get(f"/api/v1/documents/{encode_id(document.pk)}/download")
    assert response.status_code == 404
    assert response.json() == {"message": "Document not found", "errors": {}}


def test_an_update_renames_and_unpublishes(
    api: Any, client_row: Client, make_document: MakeDocument
) -> None:
    document = make_document(client_row, "old.pdf")

    response = api.put(
        f"/api/v1/documents/{encode_id(document.pk)}",
        {"name": "../Final report.pdf", "is_public": "0", "size": 1, "type": "exe"},
        format="json",
    )

    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["name"], data["is_public"], data["type"]) == (
        "Final report.pdf",
        False,
        "pdf",
    )
    document.refresh_from_db()
    assert (document.name, document.is_public, document.size) == (
        "Final report.pdf",
        False,
        len(PDF),
    )


def test_a_rename_keeps_the_real_extension(
    api: Any, client_row: Client, make_document: MakeDocument
) -> None:
    document = make_document(client_row, "old.pdf")
    response = api.put(
        f"/api/v1/documents/{encode_id(document.pk)}",
        {"name": "innocent.exe"},
        format="multipart",
    )
    assert response.json()["data"]["name"] == "innocent.exe.pdf"


@pytest.mark.parametrize(
    ("value", "expected"), [("", False), ("1", True), (0, False), ("true", True)]
)
def test_is_public_accepts_the_api_booleans(
    api: Any,
    client_row: Client,
    make_document: MakeDocument,
    value: Any,
    expected: bool,
) -> None:
    document = make_document(client_row, is_public=not expected)
    response = api.put(
        f"/api/v1/documents/{encode_id(document.pk)}",
        {"is_public": value},
        format="json",
    )
    assert response.json()["data"]["is_public"] is expected


@pytest.mark.parametrize("name", ["", "..", "   "])
def test_a_blank_name_is_refused(
    api: Any, client_row: Client, make_document: MakeDocument, name: str
) -> None:
    document = make_document(client_row, "keep.pdf")
    response = api.put(
        f"/api/v1/documents/{encode_id(document.pk)}", {"name": name}, format="json"
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["name"]
    document.refresh_from_db()
    assert document.name == "keep.pdf"


def test_a_delete_removes_the_row_and_then_the_file(
    api: Any,
    media: Path,
    client_row: Client,
    make_document: MakeDocument,
    django_capture_on_commit_callbacks: Any,
) -> None:
    document = make_document(client_row, "gone.pdf")
    stored = media / document.path

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api.delete(f"/api/v1/documents/{encode_id(document.pk)}")
        assert response.status_code == 200
        assert not Document.objects.filter(pk=document.pk).exists()
        assert stored.exists()  # not before the transaction commits

    assert response.json()["data"]["id"] == encode_id(document.pk)
    assert response.json()["data"]["is_deleted"] is True
    assert len(callbacks) == 1
    callbacks[0]()
    assert not stored.exists()


def test_a_delete_removes_the_file_when_the_transaction_commits(
    api: Any,
    media: Path,
    client_row: Client,
    make_document: MakeDocument,
    django_capture_on_commit_callbacks: Any,
) -> None:
    document = make_document(client_row)
    with django_capture_on_commit_callbacks(execute=True):
        api.delete(f"/api/v1/documents/{encode_id(document.pk)}")
    assert not (media / document.path).exists()


def test_bulk_delete_removes_rows_and_files(
    api: Any,
    media: Path,
    client_row: Client,
    make_document: MakeDocument,
    django_capture_on_commit_callbacks: Any,
) -> None:
    first, second, kept = (make_document(client_row) for _ in range(3))

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/documents/bulk",
            {"action": "delete", "ids": [encode_id(first.pk), encode_id(second.pk)]},
            format="json",
        )

    assert response.status_code == 200
    assert response.json()["data"] == []
    assert list(Document.objects.values_list("pk", flat=True)) == [kept.pk]
    assert [p.name for p in media.rglob("*.pdf")] == [kept.hash]


def test_bulk_delete_accepts_php_form_ids_and_the_action_in_the_query(
    api: Any, client_row: Client, make_document: MakeDocument
) -> None:
    document = make_document(client_row)
    response = api.post(
        "/api/v1/documents/bulk?action=delete",
        f"ids[]={encode_id(document.pk)}",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Document.objects.exists()


def test_bulk_delete_with_an_id_of_another_company_deletes_nothing(
    api: Any,
    media: Path,
    client_row: Client,
    make_document: MakeDocument,
    outsider: Member,
) -> None:
    mine = make_document(client_row)
    theirs = make_document(ClientFactory.create(company=outsider.company))

    response = api.post(
        "/api/v1/documents/bulk",
        {"action": "delete", "ids": [encode_id(mine.pk), encode_id(theirs.pk)]},
        format="json",
    )

    assert response.status_code == 422
    assert response.json() == {
        "message": "The given data was invalid.",
        "errors": {"ids": ["The selected ids is invalid."]},
    }
    assert Document.objects.count() == 2
    assert len(list(media.rglob("*.pdf"))) == 2


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ({"action": "delete", "ids": ["garbage"]}, "ids"),
        ({"action": "delete", "ids": []}, "ids"),
        ({"action": "delete"}, "ids"),
        ({"action": "shred", "ids": ["x"]}, "action"),
        ({"ids": ["x"]}, "action"),
    ],
)
def test_bulk_validates_its_input(api: Any, body: dict, key: str) -> None:
    response = api.post("/api/v1/documents/bulk", body, format="json")
    assert response.status_code == 422
    assert key in response.json()["errors"]


def test_bulk_archive_and_restore(
    api: Any, client_row: Client, make_document: MakeDocument
) -> None:
    document = make_document(client_row)
    hashid = encode_id(document.pk)

    archived = api.post(
        "/api/v1/documents/bulk", {"action": "archive", "ids": [hashid]}, format="json"
    )
    assert archived.json()["data"][0]["archived_at"] > 0

    restored = api.post(
        "/api/v1/documents/bulk", {"action": "restore", "ids": [hashid]}, format="json"
    )
    assert restored.json()["data"][0]["archived_at"] == 0


def test_a_clients_documents_are_listed_in_the_envelope(
    api: Any, company: Any, client_row: Client, make_document: MakeDocument
) -> None:
    mine = make_document(client_row)
    make_document(ClientFactory.create(company=company))

    response = api.post(f"/api/v1/clients/{encode_id(client_row.pk)}/documents")

    assert response.status_code == 200
    assert ids(response) == [encode_id(mine.pk)]
    assert response.json()["meta"]["pagination"]["total"] == 1


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/documents/{id}"),
        ("get", "/api/v1/documents/{id}/download"),
        ("put", "/api/v1/documents/{id}"),
        ("delete", "/api/v1/documents/{id}"),
    ],
)
def test_another_companys_document_is_not_found(
    api: Any, outsider: Member, make_document: MakeDocument, method: str, url: str
) -> None:
    from tests.isolation import assert_foreign_id_is_not_found

    theirs = make_document(ClientFactory.create(company=outsider.company))
    assert_foreign_id_is_not_found(
        api, method, url, theirs.pk, "Document not found", data={"name": "x.pdf"}
    )
    assert Document.objects.filter(pk=theirs.pk, name="a.pdf").exists()


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/v1/clients/{id}/documents"),
        ("put", "/api/v1/clients/{id}/upload"),
        ("post", "/api/v1/clients/{id}/upload"),
    ],
)
def test_another_companys_client_is_not_found(
    api: Any, outsider: Member, method: str, url: str
) -> None:
    from tests.isolation import assert_foreign_id_is_not_found

    theirs = ClientFactory.create(company=outsider.company)
    assert_foreign_id_is_not_found(api, method, url, theirs.pk, "Client not found")


def test_a_member_without_view_client_sees_only_their_own_documents(
    make_member: Callable[..., Member],
    company: Any,
    client_row: Client,
    make_document: MakeDocument,
) -> None:
    member = make_member(company, is_owner=False, is_admin=False)
    user = member.membership.user
    theirs_uploaded = make_document(client_row, "uploaded.pdf", user=user)
    own_client = ClientFactory.create(company=company, assigned_user=user)
    of_own_client = make_document(own_client, "own-client.pdf")
    hidden = make_document(client_row, "hidden.pdf")

    response = member.api.get("/api/v1/documents")

    assert ids(response) == [encode_id(theirs_uploaded.pk), encode_id(of_own_client.pk)]
    shown = member.api.get(f"/api/v1/documents/{encode_id(hidden.pk)}")
    assert shown.status_code == 404


def test_a_member_without_edit_client_may_not_change_others_documents(
    make_member: Callable[..., Member],
    company: Any,
    client_row: Client,
    make_document: MakeDocument,
) -> None:
    member = make_member(
        company, is_owner=False, is_admin=False, permissions=["view_client"]
    )
    document = make_document(client_row, "theirs.pdf")
    url = f"/api/v1/documents/{encode_id(document.pk)}"

    assert member.api.get(url).status_code == 200
    response = member.api.put(url, {"name": "mine.pdf"}, format="json")
    assert response.status_code == 403
    assert response.json() == {"message": "This action is unauthorized.", "errors": {}}
    assert member.api.delete(url).status_code == 403
    bulk = member.api.post(
        "/api/v1/documents/bulk",
        {"action": "delete", "ids": [encode_id(document.pk)]},
        format="json",
    )
    assert bulk.status_code == 200  # skipped, as clients' bulk skips
    assert Document.objects.filter(pk=document.pk).exists()


def test_a_member_may_change_documents_of_their_own_client(
    make_member: Callable[..., Member], company: Any, make_document: MakeDocument
) -> None:
    member = make_member(company, is_owner=False, is_admin=False)
    own_client = ClientFactory.create(company=company, user=member.membership.user)
    document = make_document(own_client, "x.pdf")

    response = member.api.put(
        f"/api/v1/documents/{encode_id(document.pk)}", {"name": "y.pdf"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["data"]["name"] == "y.pdf"
