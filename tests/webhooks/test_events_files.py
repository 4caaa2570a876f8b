"""Documents and logos are client events too: uploads, deletes, a new logo."""

from pathlib import Path
from typing import Any

import pytest

from config.api.hashids import encode_id
from tests.clients.support import client_url
from tests.documents.conftest import PDF, image_bytes, upload
from tests.factories import ClientFactory
from tests.reliability.conftest import stored_document
from tests.webhooks.support import bodies, delivered, subscribe

pytestmark = pytest.mark.django_db


def test_an_upload_delivers_document_uploaded_with_the_document(
    owner: Any, media: Path
) -> None:
    subscribe(owner.company)
    client = ClientFactory.create(company=owner.company)
    response = owner.api.post(
        client_url(client.pk, "/upload"),
        {"documents[]": [upload("a.pdf", PDF)]},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert delivered() == [("client.document_uploaded", f"client:{client.pk}")]
    [body] = bodies("client.document_uploaded")
    assert body["event_id"] == 1003
    assert [d["name"] for d in body["data"]["documents"]] == ["a.pdf"]


def test_deleting_a_clients_document_delivers_document_deleted(
    owner: Any, media: Path
) -> None:
    subscribe(owner.company)
    client = ClientFactory.create(company=owner.company)
    one, two = stored_document(client), stored_document(client, "b.pdf")
    response = owner.api.delete(f"/api/v1/documents/{encode_id(one.pk)}")
    assert response.status_code == 200, response.content
    response = owner.api.post(
        "/api/v1/documents/bulk",
        {"action": "delete", "ids": [encode_id(two.pk)]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert delivered() == [("client.document_deleted", f"client:{client.pk}")] * 2
    assert [len(b["data"]["documents"]) for b in bodies("client.document_deleted")] == [
        1,
        0,
    ]


def test_a_new_logo_and_its_removal_deliver_updated(owner: Any, media: Path) -> None:
    subscribe(owner.company, 10)
    client = ClientFactory.create(company=owner.company)
    logo = client_url(client.pk, "/logo")
    png = image_bytes("PNG", (300, 200))
    assert owner.api.post(
        logo, {"image": upload("l.png", png)}, format="multipart"
    ).status_code in (200, 201)
    assert owner.api.delete(logo).status_code == 200
    assert delivered() == [("client.updated", f"client:{client.pk}")] * 2
    first, second = bodies("client.updated")
    assert first["data"]["logo"] and not second["data"]["logo"]
