"""ETag on client answers, 304 on `If-None-Match`, 412/428 on `If-Match` writes."""

import io
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from clients.models import Client, GroupSetting
from config.api.hashids import encode_id
from contacts.models import ClientContact
from documents.models import Document
from tests.clients.test_query_counts import SHOW
from tests.conftest import Member
from tests.factories import PASSWORD, ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db


def url(client: Client, suffix: str = "") -> str:
    return f"/api/v1/clients/{encode_id(client.pk)}{suffix}"


def etag_of(api: APIClient, client: Client) -> str:
    answer = api.get(url(client))
    assert answer.status_code == 200
    tag: str = answer["ETag"]
    return tag


@pytest.fixture
def client_row(owner: Member) -> Client:
    client = ClientFactory.create(company=owner.company, name="Acme")
    ContactFactory.create(client=client, is_primary=True, email="a@acme.test")
    return client


def test_a_client_answer_has_a_strong_etag_that_stays_while_nothing_changes(
    api: APIClient, client_row: Client
) -> None:
    first = etag_of(api, client_row)
    assert first.startswith('"') and first.endswith('"') and len(first) == 34
    assert etag_of(api, client_row) == first
    # Optional includes add keys, not a different client: the same tag.
    assert api.get(url(client_row, "?include=activities,ledger"))["ETag"] == first
    assert api.get(url(client_row, "/edit"))["ETag"] == first


def test_if_none_match_with_the_current_tag_is_a_304_without_body(
    api: APIClient, client_row: Client
) -> None:
    tag = etag_of(api, client_row)
    for sent in (tag, f"W/{tag}", f'"other", {tag}', "*"):
        answer = api.get(url(client_row), HTTP_IF_NONE_MATCH=sent)
        assert answer.status_code == 304, sent
        assert answer.content == b""
        assert answer["ETag"] == tag
    assert api.get(url(client_row), HTTP_IF_NONE_MATCH='"stale"').status_code == 200


@pytest.mark.parametrize(
    "change",
    ["name", "contact", "group", "document", "archive"],
)
def test_the_etag_changes_with_anything_the_answer_shows(
    api: APIClient, owner: Member, client_row: Client, change: str, media: Path
) -> None:
    before = etag_of(api, client_row)
    if change == "name":
        api.put(url(client_row), {"name": "Acme 2"}, format="json")
    elif change == "contact":
        ClientContact.objects.filter(client=client_row).update(first_name="Zed")
    elif change == "group":
        group = GroupSetting.objects.create(company=owner.company, name="VIP")
        Client.objects.filter(pk=client_row.pk).update(group_settings=group)
    elif change == "document":
        upload = io.BytesIO(b"%PDF-1.4\n%%EOF\n")
        upload.name = "a.pdf"
        answer = api.post(url(client_row, "/upload"), {"documents[]": [upload]})
        assert answer.status_code == 200
    else:
        api.post(
            "/api/v1/clients/bulk",
            {"action": "archive", "ids": [encode_id(client_row.pk)]},
            format="json",
        )
    assert etag_of(api, client_row) != before


def test_every_write_answer_carries_the_etag_a_read_then_gives(
    api: APIClient, client_row: Client
) -> None:
    created = api.post("/api/v1/clients", {"name": "New"}, format="json")
    new = Client.objects.get(name="New")
    assert created["ETag"] == etag_of(api, new)
    updated = api.put(url(client_row), {"name": "Renamed"}, format="json")
    assert updated["ETag"] == etag_of(api, client_row)


def test_a_put_with_the_current_etag_succeeds_and_answers_the_new_one(
    api: APIClient, client_row: Client
) -> None:
    tag = etag_of(api, client_row)
    answer = api.put(
        url(client_row), {"name": "Next"}, format="json", HTTP_IF_MATCH=tag
    )
    assert answer.status_code == 200
    assert answer["ETag"] != tag
    assert answer["ETag"] == etag_of(api, client_row)


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_write_with_a_stale_etag_is_a_412_naming_the_current_one_and_changes_nothing(
    api: APIClient, client_row: Client, method: str
) -> None:
    stale = etag_of(api, client_row)
    Client.objects.filter(pk=client_row.pk).update(name="Changed elsewhere")
    current = etag_of(api, client_row)
    body = None if method == "delete" else {"name": "Mine"}
    answer = getattr(api, method)(
        url(client_row), body, format="json", HTTP_IF_MATCH=stale
    )
    assert answer.status_code == 412
    payload = answer.json()
    assert payload["errors"] == {}
    assert current in payload["message"]
    stored = Client.objects.get(pk=client_row.pk)
    assert stored.name == "Changed elsewhere" and not stored.is_deleted
    assert etag_of(api, client_row) == current


@pytest.mark.parametrize("sent", ['W/"{tag}"', '"nope"', "", "garbage"])
def test_a_weak_or_unknown_if_match_never_matches(
    api: APIClient, client_row: Client, sent: str
) -> None:
    tag = etag_of(api, client_row).strip('"')
    answer = api.put(
        url(client_row),
        {"name": "Mine"},
        format="json",
        HTTP_IF_MATCH=sent.format(tag=tag),
    )
    assert answer.status_code == 412
    assert Client.objects.get(pk=client_row.pk).name == "Acme"


def test_if_match_star_accepts_any_current_client(
    api: APIClient, client_row: Client
) -> None:
    answer = api.put(url(client_row), {"name": "Any"}, format="json", HTTP_IF_MATCH="*")
    assert answer.status_code == 200


def test_an_upload_with_a_stale_etag_stores_no_document(
    api: APIClient, client_row: Client, media: Path
) -> None:
    upload = io.BytesIO(b"%PDF-1.4\n%%EOF\n")
    upload.name = "a.pdf"
    answer = api.post(
        url(client_row, "/upload"), {"documents[]": [upload]}, HTTP_IF_MATCH='"stale"'
    )
    assert answer.status_code == 412
    assert not Document.objects.exists()
    assert [p for p in media.rglob("*") if p.is_file()] == []


def gated(owner: Member) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_X_API_TOKEN=owner.token, HTTP_X_API_PASSWORD=PASSWORD)
    return api


def test_purge_and_merge_honour_if_match(owner: Member, client_row: Client) -> None:
    other = ClientFactory.create(company=owner.company, name="Other")
    api = gated(owner)
    merge_url = url(client_row, f"/{encode_id(other.pk)}/merge")
    assert api.post(merge_url, HTTP_IF_MATCH='"stale"').status_code == 412
    assert Client.objects.filter(pk=other.pk).exists()
    assert api.post(url(other, "/purge"), HTTP_IF_MATCH='"stale"').status_code == 412
    assert Client.objects.filter(pk=other.pk).exists()

    merged = api.post(merge_url, HTTP_IF_MATCH=etag_of(api, client_row))
    assert merged.status_code == 200
    assert merged["ETag"] == etag_of(api, client_row)
    assert not Client.objects.filter(pk=other.pk).exists()
    purged = api.post(url(client_row, "/purge"), HTTP_IF_MATCH=etag_of(api, client_row))
    assert purged.status_code == 200
    assert not Client.objects.filter(pk=client_row.pk).exists()


def test_an_operator_can_require_if_match(
    api: APIClient, client_row: Client, settings: Any
) -> None:
    settings.REQUIRE_IF_MATCH = True
    answer = api.put(url(client_row), {"name": "Blind"}, format="json")
    assert answer.status_code == 428
    assert "If-Match" in answer.json()["message"]
    assert Client.objects.get(pk=client_row.pk).name == "Acme"
    assert api.delete(url(client_row)).status_code == 428
    tag = etag_of(api, client_row)
    answer = api.put(
        url(client_row), {"name": "Seen"}, format="json", HTTP_IF_MATCH=tag
    )
    assert answer.status_code == 200
    # Creates and bulk actions have nothing to match: they stay as they are.
    assert (
        api.post("/api/v1/clients", {"name": "New"}, format="json").status_code == 200
    )


def test_another_companys_client_is_a_404_whatever_the_precondition(
    api: APIClient, outsider: Member
) -> None:
    foreign = ClientFactory.create(company=outsider.company)
    foreign_tag = etag_of(outsider.api, foreign)
    assert api.get(url(foreign), HTTP_IF_NONE_MATCH=foreign_tag).status_code == 404
    answer = api.put(
        url(foreign), {"name": "x"}, format="json", HTTP_IF_MATCH=foreign_tag
    )
    assert answer.status_code == 404
    assert Client.objects.get(pk=foreign.pk).name != "x"


def test_a_304_costs_the_queries_of_the_show_and_no_more(
    api: APIClient, client_row: Client
) -> None:
    tag = etag_of(api, client_row)
    with CaptureQueriesContext(connection) as shown:
        assert api.get(url(client_row)).status_code == 200
    with CaptureQueriesContext(connection) as revalidated:
        assert api.get(url(client_row), HTTP_IF_NONE_MATCH=tag).status_code == 304
    assert len(revalidated) == len(shown) == SHOW


def test_the_schema_documents_the_conditional_and_idempotent_headers() -> None:
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]

    def headers(path: str, method: str) -> tuple[set[str], set[str]]:
        operation = paths[path][method]
        names = {
            p["name"] for p in operation.get("parameters", []) if p["in"] == "header"
        }
        return names, set(operation["responses"])

    names, codes = headers("/api/v1/clients/{id}", "get")
    assert "If-None-Match" in names and "304" in codes
    for method in ("put", "patch", "delete"):
        names, codes = headers("/api/v1/clients/{id}", method)
        assert "If-Match" in names and {"412", "428"} <= codes
    names, codes = headers("/api/v1/clients", "post")
    assert "Idempotency-Key" in names and {"409", "422"} <= codes
    for path in ("/api/v1/clients/bulk", "/api/v1/clients/{id}/upload"):
        assert "Idempotency-Key" in headers(path, "post")[0]


def test_the_logo_routes_honour_if_match_and_answer_the_etag(
    api: APIClient, client_row: Client, media: Path
) -> None:
    from PIL import Image

    def png() -> io.BytesIO:
        buffer = io.BytesIO()
        Image.new("RGB", (8, 8), (200, 10, 10)).save(buffer, format="PNG")
        buffer.seek(0)
        buffer.name = "logo.png"
        return buffer

    stale = api.post(url(client_row, "/logo"), {"image": png()}, HTTP_IF_MATCH='"x"')
    assert stale.status_code == 412
    assert Client.objects.get(pk=client_row.pk).logo_path == ""
    tag = etag_of(api, client_row)
    answer = api.post(url(client_row, "/logo"), {"image": png()}, HTTP_IF_MATCH=tag)
    assert answer.status_code == 200
    assert answer["ETag"] == etag_of(api, client_row) != tag
    assert api.delete(url(client_row, "/logo"), HTTP_IF_MATCH=tag).status_code == 412
    assert Client.objects.get(pk=client_row.pk).logo_path != ""
