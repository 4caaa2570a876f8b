"""Abuse limits: oversized and malicious input is refused with a JSON 4xx, never a
500, and never by reading or decoding more than the limits allow."""

import io
import struct
import tracemalloc
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from clients.models import Client
from config.api.hashids import encode_id
from documents.models import Document
from tests.conftest import Member
from tests.factories import ClientFactory
from tests.reliability.conftest import png_bytes, snapshot, stored_files

TOO_LARGE = {"message": "The request body is too large.", "errors": {}}


def assert_json_error(answer: Any, *statuses: int) -> dict[str, Any]:
    assert answer.status_code in statuses, (answer.status_code, answer.content[:300])
    assert answer["Content-Type"].startswith("application/json")
    body: dict[str, Any] = answer.json()
    assert set(body) == {"message", "errors"}
    return body


def test_a_json_body_over_the_size_limit_is_a_413(owner: Member, settings: Any):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = b'{"name": "' + b"x" * (limit + 1) + b'"}'
    answer = owner.api.post("/api/v1/clients", body, content_type="application/json")
    assert assert_json_error(answer, 413) == TOO_LARGE
    assert not Client.objects.exists()


def test_a_form_body_over_the_size_limit_is_a_413(owner: Member, settings: Any):
    body = "name=" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    answer = owner.api.post(
        "/api/v1/clients", body, content_type="application/x-www-form-urlencoded"
    )
    assert assert_json_error(answer, 413) == TOO_LARGE


def test_per_page_is_clamped_to_5000(owner: Member):
    ClientFactory.create(company=owner.company)
    answer = owner.api.get("/api/v1/clients?per_page=100000")
    assert answer.status_code == 200
    pagination = answer.json()["meta"]["pagination"]
    assert pagination["per_page"] == 5000
    assert pagination["total"] == 1


@pytest.fixture
def five_thousand_and_one(owner: Member) -> list[str]:
    company = owner.company
    Client.objects.bulk_create(
        Client(company=company, name=f"Bulk {n}", number=f"B{n:05d}", country_id=840)
        for n in range(5001)
    )
    pks = Client.objects.filter(company=company).values_list("pk", flat=True)
    return [encode_id(pk) for pk in sorted(pks)]


@pytest.mark.slow
def test_a_bulk_of_5000_ids_is_accepted_and_5001_refused(
    owner: Member,
    five_thousand_and_one: list[str],
    django_assert_max_num_queries: Any,
):
    refused = owner.api.post(
        "/api/v1/clients/bulk",
        {"action": "archive", "ids": five_thousand_and_one},
        format="json",
    )
    body = assert_json_error(refused, 422)
    assert body["errors"] == {"ids": ["The ids may not have more than 5000 items."]}
    assert not Client.objects.filter(archived_at__isnull=False).exists()

    # A fixed number of queries: the activities are one INSERT … SELECT.
    with django_assert_max_num_queries(10):
        accepted = owner.api.post(
            "/api/v1/clients/bulk",
            {"action": "archive", "ids": five_thousand_and_one[:5000]},
            format="json",
        )
    assert accepted.status_code == 200, accepted.content[:300]
    assert accepted.json()["meta"]["pagination"]["total"] == 5000
    assert Client.objects.filter(archived_at__isnull=False).count() == 5000


def test_a_document_bulk_of_5001_ids_is_refused(owner: Member):
    ids = [encode_id(pk) for pk in range(1, 5002)]
    answer = owner.api.post(
        "/api/v1/documents/bulk", {"action": "delete", "ids": ids}, format="json"
    )
    assert "ids" in assert_json_error(answer, 422)["errors"]


@pytest.mark.parametrize("depth", [1_000, 10_000, 100_000])
def test_deeply_nested_json_is_a_400(owner: Member, depth: int):
    nested = b'{"name": "x", "settings": ' + b"[" * depth + b"]" * depth + b"}"
    answer = owner.api.post("/api/v1/clients", nested, content_type="application/json")
    assert_json_error(answer, 400, 422)
    assert not Client.objects.exists()


def test_deeply_nested_form_keys_are_a_400(owner: Member):
    key = "settings" + "[a]" * 10_000
    answer = owner.api.post(
        "/api/v1/clients",
        f"{key}=1&name=x",
        content_type="application/x-www-form-urlencoded",
    )
    assert_json_error(answer, 400)
    assert not Client.objects.exists()


@pytest.mark.parametrize("field", ["name", "website", "number", "address1", "phone"])
def test_a_one_megabyte_string_in_a_short_field_is_a_422_not_a_500(
    owner: Member, field: str
):
    answer = owner.api.post(
        "/api/v1/clients", {field: "x" * 1024 * 1024}, format="json"
    )
    body = assert_json_error(answer, 422)
    assert body["errors"] == {
        field: [f"The {field} may not be greater than 255 characters."]
    }
    assert not Client.objects.exists()


@pytest.mark.parametrize("field", ["private_notes", "public_notes", "custom_value1"])
def test_a_one_megabyte_text_is_stored_whole(owner: Member, field: str):
    # Text columns are unbounded (as upstream's); the body limit bounds them.
    answer = owner.api.post(
        "/api/v1/clients", {field: "x" * 1024 * 1024}, format="json"
    )
    assert answer.status_code == 200
    assert len(getattr(Client.objects.get(), field)) == 1024 * 1024


def test_one_megabyte_strings_in_contacts_and_groups_are_422s(owner: Member):
    huge = "x" * 1024 * 1024
    answer = owner.api.post(
        "/api/v1/clients", {"contacts": [{"first_name": huge}]}, format="json"
    )
    assert list(assert_json_error(answer, 422)["errors"]) == ["contacts.0.first_name"]
    answer = owner.api.post("/api/v1/group_settings", {"name": huge}, format="json")
    assert list(assert_json_error(answer, 422)["errors"]) == ["name"]
    client = ClientFactory.create(company=owner.company)
    answer = owner.api.put(
        f"/api/v1/clients/{encode_id(client.pk)}",
        {"settings": {"custom_message": huge}},
        format="json",
    )
    assert answer.status_code in (200, 422), answer.content[:300]


def lying_upload(wsgi_app: Any, member: Member, client: Client, declared: int) -> Any:
    """A multipart upload whose Content-Length claims fewer bytes than it sends."""
    body = encode_multipart(
        BOUNDARY,
        {
            "documents[]": [
                SimpleUploadedFile("a.txt", b"a" * 4000, "text/plain"),
                SimpleUploadedFile("b.txt", b"b" * 400_000, "text/plain"),
            ]
        },
    )
    assert len(body) > declared
    stream = io.BytesIO(body)
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": f"/api/v1/clients/{encode_id(client.pk)}/upload",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": stream,
        "wsgi.errors": io.StringIO(),
        "CONTENT_TYPE": MULTIPART_CONTENT,
        "CONTENT_LENGTH": str(declared),
        "HTTP_X_API_TOKEN": member.token,
    }
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], *_: Any) -> None:
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(headers)

    chunks = wsgi_app(environ, start_response)
    answer["body"] = b"".join(chunks)
    answer["read"] = stream.tell()
    return answer


@pytest.mark.parametrize("declared", [100, 2_000, 5_000, 60_000])
def test_an_upload_longer_than_its_content_length_is_refused_or_cut_safely(
    owner: Member, wsgi_app: Any, media: Path, declared: int
):
    client = ClientFactory.create(company=owner.company)
    answer = lying_upload(wsgi_app, owner, client, declared)
    assert answer["status"] in (200, 400, 413, 422), answer["body"][:300]
    assert answer["headers"]["Content-Type"].startswith("application/json")
    # Nothing past the declared length is read, so nothing past it is stored.
    assert answer["read"] <= declared
    for document in Document.objects.all():
        assert document.size < declared
    for listed in stored_files(media):
        assert int(listed.rsplit(":", 1)[1]) < declared


def bomb_png(width: int, height: int) -> bytes:
    """A valid, mostly empty 1-bit PNG: a few KB that decode to width*height pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)
    data = b"".join(compressor.compress(row) for _ in range(min(height, 200)))
    data += compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", data)
        + chunk(b"IEND", b"")
    )


def test_a_decompression_bomb_png_is_a_422_without_decoding_it(
    owner: Member, media: Path
):
    bomb = bomb_png(30_000, 30_000)
    assert len(bomb) < 20_000
    client = ClientFactory.create(company=owner.company)
    before = snapshot()
    tracemalloc.start()
    try:
        answer = owner.api.post(
            f"/api/v1/clients/{encode_id(client.pk)}/upload",
            {"documents[]": SimpleUploadedFile("bomb.png", bomb, "image/png")},
            format="multipart",
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    body = assert_json_error(answer, 422)
    assert list(body["errors"]) == ["documents.0"]
    assert "too large" in body["errors"]["documents.0"][0]
    # 900 million pixels would be 112 MB even at one bit each.
    assert peak < 20 * 1024 * 1024
    assert snapshot() == before
    assert stored_files(media) == []


def test_a_png_just_inside_the_limits_is_accepted(owner: Member, media: Path):
    client = ClientFactory.create(company=owner.company)
    answer = owner.api.post(
        f"/api/v1/clients/{encode_id(client.pk)}/upload",
        {"documents[]": SimpleUploadedFile("ok.png", png_bytes((40, 30)), "image/png")},
        format="multipart",
    )
    assert answer.status_code == 200, answer.content[:300]
    shown = answer.json()["data"]["documents"]
    assert [(d["width"], d["height"]) for d in shown] == [(40, 30)]
