"""A JSON body sent as a form (curl -d without a Content-Type) is refused, not
read as one empty key."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clients.models import Client
from config.api.hashids import encode_id
from config.api.parsers import JSON_AS_FORM_MESSAGE
from tests.factories import ClientFactory

FORM = "application/x-www-form-urlencoded"
CLIENTS = "/api/v1/clients"


@pytest.mark.parametrize(
    "body",
    [
        '{"name":"x"}',
        '{"name":"Smith & Sons","website":"https://a.example/?q=1"}',
        '  \n{"name":"x"}',
        '[{"name":"x"}]',
        "%7B%22name%22%3A%22x%22%7D",
        "{",
    ],
)
def test_a_json_looking_form_body_is_a_415_and_nothing_is_created(api, body):
    response = api.post(CLIENTS, body, content_type=FORM)
    assert response.status_code == 415
    assert response.json() == {"message": JSON_AS_FORM_MESSAGE, "errors": {}}
    assert "Content-Type: application/json" in JSON_AS_FORM_MESSAGE
    assert not Client.objects.exists()


def test_the_same_body_with_the_json_content_type_creates_the_client(api):
    response = api.post(CLIENTS, '{"name":"x"}', content_type="application/json")
    assert response.status_code == 200
    assert response.json()["data"]["name"] == "x"


def test_an_update_sent_that_way_is_refused_and_changes_nothing(api, company):
    client = ClientFactory.create(company=company, name="Before")
    response = api.put(
        f"{CLIENTS}/{encode_id(client.pk)}", '{"name":"After"}', content_type=FORM
    )
    assert response.status_code == 415
    client.refresh_from_db()
    assert client.name == "Before"


def test_a_bulk_sent_that_way_is_refused(api, company):
    client = ClientFactory.create(company=company)
    body = f'{{"action":"archive","ids":["{encode_id(client.pk)}"]}}'
    response = api.post(f"{CLIENTS}/bulk", body, content_type=FORM)
    assert response.status_code == 415
    client.refresh_from_db()
    assert client.archived_at is None


@pytest.mark.urls("tests.api.urls")
@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("name=%7B%22a%22%3A1%7D", {"name": '{"a":1}'}),
        (
            "name=Acme&settings%5Bcurrency_id%5D=1",
            {"name": "Acme", "settings": {"currency_id": "1"}},
        ),
        ("ids%5B%5D=x", {"ids": ["x"]}),
        ("%7Bnot-json%7D=1", {"{not-json}": "1"}),
        ("", {}),
    ],
)
def test_ordinary_form_bodies_are_still_read(api, body, expected):
    response = api.post("/api/v1/test-echo", body, content_type=FORM)
    assert response.status_code == 200
    assert response.json() == {"data": expected}


@pytest.mark.urls("tests.api.urls")
def test_multipart_bodies_are_not_checked(api):
    upload = SimpleUploadedFile("a.txt", b"{}", content_type="text/plain")
    response = api.post(
        "/api/v1/test-echo", {"{": "", "documents[]": upload}, format="multipart"
    )
    assert response.status_code == 200
    assert response.json()["data"]["{"] == ""
