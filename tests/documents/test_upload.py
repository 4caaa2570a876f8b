"""`PUT /api/v1/clients/{id}/upload`: validated, all-or-nothing uploads."""

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from clients.models import Activity, Client
from config.api.hashids import encode_id
from documents.models import Document
from tests.conftest import Member
from tests.documents.conftest import (
    PDF,
    image_bytes,
    stored_files,
    upload,
    zip_bytes,
)
from tests.documents.storages import FailingStorage, use_failing_storage
from tests.documents.test_file_checks import png_header_claiming
from tests.factories import ClientFactory

pytestmark = pytest.mark.usefixtures("media")

STORED_NAME = re.compile(r"^[0-9a-f]{40}\.[a-z]+$")


def url(client: Client) -> str:
    return f"/api/v1/clients/{encode_id(client.pk)}/upload"


def assert_nothing_stored(media: Path) -> None:
    assert not Document.objects.exists()
    assert stored_files(media) == []
    assert not Activity.objects.filter(
        activity_type_id=Activity.UPLOAD_DOCUMENT
    ).exists()


def test_an_upload_stores_the_file_and_answers_the_client_with_its_documents(
    api: Any, owner: Member, media: Path, client_row: Client
) -> None:
    content = image_bytes("PNG", (37, 21))

    response = api.put(
        url(client_row),
        {"documents[]": [upload("Logo.png", content)]},
        format="multipart",
    )

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["id"] == encode_id(client_row.pk)
    [shown] = data["documents"]
    document = Document.objects.get()
    assert shown["id"] == encode_id(document.pk)
    assert (shown["name"], shown["type"], shown["disk"]) == ("Logo.png", "png", "local")
    assert (shown["width"], shown["height"], shown["size"]) == (37, 21, len(content))
    assert shown["is_public"] is True
    assert shown["user_id"] == encode_id(owner.membership.user.pk)
    assert STORED_NAME.match(shown["hash"])
    assert (
        document.path == f"{client_row.company.company_key}/documents/{document.hash}"
    )
    assert (media / document.path).read_bytes() == content
    assert document.owner == client_row
    assert document.content_type == "image/png"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.png", image_bytes("PNG")),
        ("photo.jpg", image_bytes("JPEG")),
        ("anim.gif", image_bytes("GIF")),
        ("invoice.pdf", PDF),
        ("notes.txt", b"plain words\n"),
        ("table.csv", b"a,b\n1,2\n"),
        ("bundle.zip", zip_bytes()),
        ("letter.docx", zip_bytes({"word/document.xml": b"<w/>"})),
    ],
)
def test_each_allowed_type_uploads(
    api: Any, media: Path, client_row: Client, name: str, content: bytes
) -> None:
    response = api.post(
        url(client_row),
        {"_method": "PUT", "documents[]": [upload(name, content)]},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    assert [d["name"] for d in response.json()["data"]["documents"]] == [name]
    assert [p.read_bytes() for p in stored_files(media)] == [content]


@pytest.mark.parametrize("override", [None, "POST", "put", "post"])
def test_a_post_uploads_with_or_without_a_method_override(
    api: Any, client_row: Client, override: str | None
) -> None:
    body: dict[str, Any] = {"documents[]": [upload("a.pdf", PDF)]}
    if override is not None:
        body["_method"] = override
    response = api.post(url(client_row), body, format="multipart")
    assert response.status_code == 200
    assert Document.objects.count() == 1


def test_another_method_override_is_not_allowed(
    api: Any, media: Path, client_row: Client
) -> None:
    response = api.post(
        url(client_row),
        {"_method": "DELETE", "documents[]": [upload("a.pdf", PDF)]},
        format="multipart",
    )
    assert response.status_code == 405
    assert response.json()["errors"] == {}
    assert_nothing_stored(media)


def test_files_may_come_under_a_plain_documents_key(
    api: Any, client_row: Client
) -> None:
    single = api.put(
        url(client_row), {"documents": upload("one.pdf", PDF)}, format="multipart"
    )
    assert [d["name"] for d in single.json()["data"]["documents"]] == ["one.pdf"]

    repeated = api.put(
        url(client_row),
        {"documents": [upload("two.pdf", PDF), upload("three.pdf", PDF)]},
        format="multipart",
    )
    names = [d["name"] for d in repeated.json()["data"]["documents"]]
    assert names == ["one.pdf", "two.pdf", "three.pdf"]


def test_several_files_upload_together_with_one_activity(
    api: Any, owner: Member, media: Path, client_row: Client
) -> None:
    response = api.put(
        url(client_row),
        {
            "documents[]": [
                upload("a.pdf", PDF),
                upload("b.png", image_bytes("PNG")),
                upload("c.txt", b"text"),
            ]
        },
        format="multipart",
    )

    assert response.status_code == 200
    assert len(response.json()["data"]["documents"]) == 3
    assert len(stored_files(media)) == 3
    activity = Activity.objects.get(activity_type_id=Activity.UPLOAD_DOCUMENT)
    assert activity.client == client_row
    assert activity.user == owner.membership.user
    assert activity.notes == "Uploaded a.pdf, b.png, c.txt"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0", False), ("false", False), ("", False), ("1", True), ("true", True)],
)
def test_is_public_accepts_the_api_booleans(
    api: Any, client_row: Client, value: str, expected: bool
) -> None:
    api.put(
        url(client_row),
        {"documents[]": [upload("a.pdf", PDF)], "is_public": value},
        format="multipart",
    )
    assert Document.objects.get().is_public is expected


def test_is_public_must_be_a_boolean(api: Any, media: Path, client_row: Client) -> None:
    response = api.put(
        url(client_row),
        {"documents[]": [upload("a.pdf", PDF)], "is_public": "maybe"},
        format="multipart",
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["is_public"]
    assert_nothing_stored(media)


def test_a_path_in_the_file_name_is_dropped(
    api: Any, media: Path, client_row: Client
) -> None:
    # Django's multipart parser already drops path parts it can see; a name that
    # reaches us with them anyway is handled by safe_file_name (test_file_checks).
    response = api.put(
        url(client_row),
        {"documents[]": [upload("../evil.png", image_bytes("PNG"))]},
        format="multipart",
    )
    assert response.status_code == 200
    assert response.json()["data"]["documents"][0]["name"] == "evil.png"
    [stored] = stored_files(media)
    assert stored.parent == media / client_row.company.company_key / "documents"


def test_a_forbidden_extension_is_refused(
    api: Any, media: Path, client_row: Client
) -> None:
    response = api.put(
        url(client_row),
        {"documents[]": [upload("tool.exe", b"MZ")]},
        format="multipart",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["message"] == "The given data was invalid."
    assert body["errors"]["documents.0"][0].startswith(
        "The documents.0 must be a file of type: png, ai, jpeg"
    )
    assert_nothing_stored(media)


def test_content_that_does_not_match_the_extension_is_refused(
    api: Any, media: Path, client_row: Client
) -> None:
    response = api.put(
        url(client_row),
        {"documents[]": [upload("photo.png", b"I am text, not a picture")]},
        format="multipart",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "documents.0": ["The documents.0 content does not match its file type (png)."]
    }
    assert_nothing_stored(media)


def test_a_file_over_the_size_limit_is_refused(
    api: Any, settings: Any, media: Path, client_row: Client
) -> None:
    settings.DOCUMENT_MAX_UPLOAD_MB = 1
    response = api.put(
        url(client_row),
        {"documents[]": [upload("big.txt", b"x" * (1024 * 1024 + 1))]},
        format="multipart",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "documents.0": ["The documents.0 must not be greater than 1024 kilobytes."]
    }
    assert_nothing_stored(media)


def test_a_decompression_bomb_is_a_422_not_a_crash(
    api: Any, media: Path, client_row: Client
) -> None:
    response = api.put(
        url(client_row),
        {"documents[]": [upload("bomb.png", png_header_claiming(60_000, 60_000))]},
        format="multipart",
    )
    assert response.status_code == 422
    assert "too large" in response.json()["errors"]["documents.0"][0]
    assert_nothing_stored(media)


def test_one_bad_file_among_three_stores_nothing(
    api: Any, media: Path, client_row: Client
) -> None:
    response = api.put(
        url(client_row),
        {
            "documents[]": [
                upload("a.pdf", PDF),
                upload("b.png", image_bytes("PNG")),
                upload("c.pdf", b"not a pdf"),
            ]
        },
        format="multipart",
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["documents.2"]
    assert_nothing_stored(media)


def test_a_storage_failure_midway_leaves_no_files_and_no_rows(
    api: Any, settings: Any, media: Path, client_row: Client
) -> None:
    use_failing_storage(settings, media, fail_after=2)
    response = api.put(
        url(client_row),
        {
            "documents[]": [
                upload("a.pdf", PDF),
                upload("b.pdf", PDF),
                upload("c.pdf", PDF),
            ]
        },
        format="multipart",
    )
    assert FailingStorage.saves == 2
    assert response.status_code == 500
    assert response.json() == {"message": "Server error", "errors": {}}
    assert_nothing_stored(media)


def test_a_database_failure_after_storing_removes_the_stored_files(
    api: Any, monkeypatch: Any, media: Path, client_row: Client
) -> None:
    def refuse(**kwargs: Any) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(Activity.objects, "create", refuse)
    response = api.put(
        url(client_row),
        {"documents[]": [upload("a.pdf", PDF), upload("b.pdf", PDF)]},
        format="multipart",
    )
    assert response.status_code == 500
    assert_nothing_stored(media)


def test_an_upload_without_files_answers_the_client_unchanged(
    api: Any, media: Path, client_row: Client
) -> None:
    response = api.put(url(client_row), {"is_public": "1"}, format="multipart")
    assert response.status_code == 200
    assert response.json()["data"]["documents"] == []
    assert_nothing_stored(media)


def test_a_json_documents_value_that_is_not_a_file_is_refused(
    api: Any, media: Path, client_row: Client
) -> None:
    response = api.put(url(client_row), {"documents": ["x"]}, format="json")
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "documents.0": ["The documents.0 must be a file."]
    }


def test_the_answer_honours_include(api: Any, client_row: Client) -> None:
    response = api.put(
        f"{url(client_row)}?include=activities",
        {"documents[]": [upload("a.pdf", PDF)]},
        format="multipart",
    )
    activities = response.json()["data"]["activities"]
    assert [a["activity_type_id"] for a in activities][:1] in (["63"], [63])


def test_an_unknown_include_is_refused_before_anything_is_stored(
    api: Any, media: Path, client_row: Client
) -> None:
    response = api.put(
        f"{url(client_row)}?include=bogus",
        {"documents[]": [upload("a.pdf", PDF)]},
        format="multipart",
    )
    assert response.status_code == 400
    assert_nothing_stored(media)


def test_a_member_who_may_not_edit_the_client_is_refused(
    make_member: Callable[..., Member], company: Any, media: Path, client_row: Client
) -> None:
    member = make_member(
        company, is_owner=False, is_admin=False, permissions=["view_client"]
    )
    response = member.api.put(
        url(client_row), {"documents[]": [upload("a.pdf", PDF)]}, format="multipart"
    )
    assert response.status_code == 403
    assert response.json() == {"message": "This action is unauthorized.", "errors": {}}
    assert_nothing_stored(media)


def test_a_member_may_upload_to_their_own_client(
    make_member: Callable[..., Member], company: Any
) -> None:
    member = make_member(company, is_owner=False, is_admin=False)
    own = ClientFactory.create(company=company, assigned_user=member.membership.user)
    response = member.api.post(
        url(own), {"documents[]": [upload("a.pdf", PDF)]}, format="multipart"
    )
    assert response.status_code == 200


def test_a_client_the_member_cannot_see_is_not_found(
    make_member: Callable[..., Member], company: Any, media: Path, client_row: Client
) -> None:
    member = make_member(company, is_owner=False, is_admin=False)
    response = member.api.put(
        url(client_row), {"documents[]": [upload("a.pdf", PDF)]}, format="multipart"
    )
    assert response.status_code == 404
    assert response.json() == {"message": "Client not found", "errors": {}}
    assert_nothing_stored(media)


def test_the_upload_query_count_does_not_grow_with_files(
    api: Any, client_row: Client, django_assert_max_num_queries: Any
) -> None:
    api.get("/api/v1/documents")
    # One of them: the webhook subscriptions to the upload's event.
    with django_assert_max_num_queries(11):
        one = api.put(
            url(client_row), {"documents[]": [upload("a.pdf", PDF)]}, format="multipart"
        )
    assert one.status_code == 200, one.content
    assert len(one.json()["data"]["documents"]) == 1
    with django_assert_max_num_queries(11):
        eight = api.put(
            url(client_row),
            {"documents[]": [upload(f"{n}.pdf", PDF) for n in range(8)]},
            format="multipart",
        )
    assert eight.status_code == 200, eight.content
    assert len(eight.json()["data"]["documents"]) == 1 + 8


def test_more_files_than_django_accepts_is_a_422(
    api: Any, settings: Any, media: Path, client_row: Client
) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    response = api.put(
        url(client_row),
        {"documents[]": [upload(f"{n}.txt", b"x") for n in range(4)]},
        format="multipart",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "documents": ["The documents must not have more than 3 files."]
    }
    assert_nothing_stored(media)


def test_documents_can_be_uploaded_to_a_deleted_client(
    api: Any, client_row: Client
) -> None:
    Client.objects.filter(pk=client_row.pk).soft_delete()
    response = api.put(
        url(client_row), {"documents[]": [upload("a.pdf", PDF)]}, format="multipart"
    )
    assert response.status_code == 200
    assert response.json()["data"]["is_deleted"] is True
    assert len(response.json()["data"]["documents"]) == 1


@pytest.mark.parametrize("stem", ["a" * 1000, "ж" * 1000])
def test_a_very_long_file_name_is_stored_shortened(
    api: Any, media: Path, client_row: Client, stem: str
) -> None:
    response = api.put(
        url(client_row),
        {"documents[]": [upload(f"{stem}.png", image_bytes("PNG"))]},
        format="multipart",
    )

    assert response.status_code == 200, response.content
    name = response.json()["data"]["documents"][0]["name"]
    assert name == stem[: 255 - 4] + ".png"
