"""XML answers (`Accept: application/xml`, `?format=xml`) and XML request bodies."""

import sys
from pathlib import Path
from typing import Any

import pytest
from defusedxml.ElementTree import fromstring

from clients.models import Client
from config.api.hashids import encode_id
from config.api.xml import xml_dumps, xml_loads
from tests.factories import ClientFactory

XML = "application/xml"
CLIENTS = "/api/v1/clients"


def xml_of(response: Any) -> Any:
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return fromstring(response.content)


def test_a_list_in_xml_has_the_json_names_and_values(api: Any, company: Any) -> None:
    ClientFactory.create(company=company, name="Smith & <Sons>", balance=12.5)
    ClientFactory.create(company=company, name="Jones")

    as_json = api.get(CLIENTS, {"per_page": 1}).json()
    as_xml = api.get(CLIENTS, {"per_page": 1}, HTTP_ACCEPT=XML)

    assert as_xml.status_code == 200
    assert as_xml.content == xml_dumps(as_json)
    root = xml_of(as_xml)
    [row] = root.find("data")
    assert row.findtext("name") == "Smith & <Sons>"
    assert row.findtext("balance") == "12.5"
    assert row.findtext("is_deleted") == "false"
    pagination = root.find("meta/pagination")
    assert (pagination.findtext("total"), pagination.findtext("per_page")) == ("2", "1")


def test_format_xml_needs_no_header_and_format_json_wins_over_it(
    api: Any, company: Any
) -> None:
    client = ClientFactory.create(company=company)
    url = f"{CLIENTS}/{encode_id(client.pk)}"
    shown = xml_of(api.get(url, {"format": "xml"}))
    assert shown.findtext("data/id") == encode_id(client.pk)
    response = api.get(url, {"format": "json"}, HTTP_ACCEPT=XML)
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("accept", "answer"),
    [
        (None, "application/json"),
        ("*/*", "application/json"),
        ("text/html", "application/json"),
        ("application/xml", XML),
        ("text/xml", XML),
        ("application/xml;q=0.5, application/json", "application/json"),
        ("application/json;q=0.5, application/xml", XML),
        ("text/html, application/xml;q=0.9, */*;q=0.8", XML),
    ],
)
def test_the_accept_header_picks_the_format(api: Any, accept: Any, answer: str) -> None:
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = api.get("/api/v1/ping", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == answer


def test_errors_are_xml_in_the_one_error_shape(api: Any, client: Any) -> None:
    invalid = api.post(
        f"{CLIENTS}?format=xml",
        {"name": "x", "contacts": [{"email": "nope"}]},
        format="json",
    )
    assert invalid.status_code == 422
    root = xml_of(invalid)
    assert root.findtext("message") == "The given data was invalid."
    [message] = root.find("errors/contacts.0.email")
    assert message.tag == "item" and message.text

    missing = xml_of(api.get(f"{CLIENTS}/nope", HTTP_ACCEPT=XML))
    assert missing.findtext("message") == "Client not found"
    unknown_path = api.get("/api/v1/nothing-here", HTTP_ACCEPT=XML)
    assert unknown_path.status_code == 404
    assert xml_of(unknown_path).findtext("message") == "Not found"
    no_token = client.get(CLIENTS, HTTP_ACCEPT=XML)
    assert no_token.status_code == 403
    assert xml_of(no_token).find("errors") is not None


CREATE_BODY = b"""<?xml version="1.0"?>
<client>
  <name>Acme &amp; Co</name>
  <is_tax_exempt>true</is_tax_exempt>
  <settings><currency_id>2</currency_id></settings>
  <contacts>
    <item><email>boss@acme.example</email><first_name>Ann</first_name></item>
    <item><email>ops@acme.example</email></item>
  </contacts>
</client>"""


def test_an_xml_body_creates_a_client_with_contacts(api: Any) -> None:
    response = api.post(CLIENTS, data=CREATE_BODY, content_type=XML)

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert (data["name"], data["is_tax_exempt"]) == ("Acme & Co", True)
    assert data["settings"]["currency_id"] == "2"
    assert [c["email"] for c in data["contacts"]] == [
        "boss@acme.example",
        "ops@acme.example",
    ]


def test_xml_updates_and_bulk_actions(api: Any, company: Any) -> None:
    client = ClientFactory.create(company=company, name="Old")
    hashid = encode_id(client.pk)
    updated = api.put(
        f"{CLIENTS}/{hashid}",
        data=b"<client><name>New</name></client>",
        content_type="text/xml",
        HTTP_ACCEPT=XML,
    )
    assert xml_of(updated).findtext("data/name") == "New"
    bulk = api.post(
        f"{CLIENTS}/bulk",
        data=f"<bulk><action>archive</action><ids><item>{hashid}</item></ids></bulk>",
        content_type=XML,
    )
    assert bulk.status_code == 200, bulk.content
    client.refresh_from_db()
    assert client.archived_at is not None


def test_a_bad_value_in_xml_is_a_422_and_changes_nothing(api: Any) -> None:
    response = api.post(
        CLIENTS,
        data=b"<client><name>A</name><contacts><item><email>no</email></item>"
        b"</contacts></client>",
        content_type=XML,
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["contacts.0.email"]
    assert not Client.objects.exists()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<client><name>&lol9;</name></client>"""


class OpenedFiles:
    """Every path the interpreter opens while `watching` (an audit hook)."""

    def __init__(self) -> None:
        self.watching = False
        self.paths: list[str] = []
        sys.addaudithook(self._hook)

    def _hook(self, event: str, args: tuple[Any, ...]) -> None:
        if self.watching and event == "open" and args and isinstance(args[0], str):
            self.paths.append(args[0])


OPENED = OpenedFiles()


def xxe_bodies(secret: Path) -> list[bytes]:
    uri = secret.as_uri()
    return [
        f'<!DOCTYPE c [<!ENTITY x SYSTEM "{uri}">]><client>&x;</client>'.encode(),
        f'<!DOCTYPE c SYSTEM "{uri}"><client><name>a</name></client>'.encode(),
        f'<!DOCTYPE c [<!ENTITY % p SYSTEM "{uri}"> %p;]><client/>'.encode(),
    ]


def test_billion_laughs_and_xxe_bodies_are_400_and_read_nothing(
    api: Any, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    for body in [BILLION_LAUGHS, *xxe_bodies(secret)]:
        OPENED.paths.clear()
        OPENED.watching = True
        try:
            response = api.post(CLIENTS, data=body, content_type=XML)
        finally:
            OPENED.watching = False
        assert response.status_code == 400, response.content
        assert response.json() == {
            "message": "The request body may not have a DTD or entities.",
            "errors": {},
        }
        assert str(secret) not in OPENED.paths
        assert b"TOP-SECRET" not in response.content
    assert not Client.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<client><name>a</name>", "The request body is not valid XML."),
        (b"<a>" * 40 + b"</a>" * 40, "The request body is nested too deeply."),
        (b"<client>text</client>", "The request body must hold an object."),
    ],
)
def test_malformed_xml_is_400(api: Any, body: bytes, message: str) -> None:
    response = api.post(CLIENTS, data=body, content_type=XML, HTTP_ACCEPT=XML)
    assert response.status_code == 400
    assert xml_of(response).findtext("message") == message
    assert not Client.objects.exists()


def test_names_and_text_xml_cannot_carry_round_trip() -> None:
    data = {"1st": "a\x01b", "xmlns": True, "list": [1, None], "ok.key": {"n": 2}}
    rendered = xml_dumps(data)
    assert b'<item key="1st">ab</item>' in rendered
    assert xml_loads(rendered) == {
        "1st": "ab",
        "xmlns": "true",
        "list": ["1", ""],
        "ok.key": {"n": "2"},
    }


def test_repeated_names_are_lists_like_form_brackets() -> None:
    assert xml_loads(b"<r><ids>1</ids><ids>2</ids><a>x</a></r>") == {
        "ids": ["1", "2"],
        "a": "x",
    }
    assert xml_loads(b"<r/>") == {}


def test_an_xml_body_with_more_elements_than_a_form_may_have_fields_is_413(
    api: Any, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    body = (
        b"<bulk><action>archive</action><ids>"
        + b"<item>x</item>" * 60
        + b"</ids></bulk>"
    )
    response = api.post(f"{CLIENTS}/bulk", data=body, content_type=XML)
    assert response.status_code == 413
