"""The examples of the OpenAPI document are real: every request example is
answered 2xx by the API, every example matches its schema, and replaying the
requests the answers were captured from gives those answers again."""

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft4Validator
from PIL import Image

from clients.api import example_answers as answers
from clients.api import examples
from config.api import examples as shared_examples
from config.api.hashids import encode_id
from documents.api import examples as document_examples
from tests.conftest import Member
from tests.factories import ClientFactory, ContactFactory, GroupSettingFactory
from tests.reliability.conftest import stored_document

pytestmark = pytest.mark.django_db

DOCUMENT = SchemaGenerator().get_schema(request=None, public=True)
COMPONENTS = DOCUMENT["components"]["schemas"]
# The host the examples were captured on; links in answers are built from it.
HOST = "127.0.0.1:8000"


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in DOCUMENT["paths"].items()
        for method, operation in item.items()
    ]


def request_examples() -> list[Any]:
    return [
        pytest.param(
            path, method, media_type, content["schema"], example["value"], id=label
        )
        for path, method, operation in operations()
        for media_type, content in operation.get("requestBody", {})
        .get("content", {})
        .items()
        for name, example in content.get("examples", {}).items()
        for label in [f"{method.upper()} {path} {name}"]
    ]


def response_examples() -> list[Any]:
    return [
        pytest.param(
            content["schema"],
            example["value"],
            id=f"{method.upper()} {path} {code} {name}",
        )
        for path, method, operation in operations()
        for code, response in operation["responses"].items()
        for content in response.get("content", {}).values()
        for name, example in content.get("examples", {}).items()
    ]


def json_schema(node: Any, strict: bool) -> Any:
    """An OpenAPI 3.0 schema as JSON Schema: `nullable` becomes a union with
    null. When `strict`, objects allow only the properties they document, so an
    example with a key the schema leaves out fails."""
    if isinstance(node, list):
        return [json_schema(item, strict) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {
        key: (
            {name: json_schema(value, strict) for name, value in node[key].items()}
            if key == "properties"
            else json_schema(value, strict)
        )
        for key, value in node.items()
        if key != "nullable"
    }
    if strict and "properties" in node and "additionalProperties" not in node:
        converted["additionalProperties"] = False
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def schema_errors(schema: dict[str, Any], value: Any, strict: bool = True) -> list[str]:
    root = {
        "components": {"schemas": json_schema(COMPONENTS, strict)},
        "allOf": [json_schema(schema, strict)],
    }
    return [
        f"{'.'.join(map(str, error.absolute_path))}: {error.message}"
        for error in Draft4Validator(root).iter_errors(value)
    ]


def shape_differences(answer: Any, example: Any, at: str = "") -> list[str]:
    """Where an answer's keys differ from an example's, all the way down (lists
    by their first items, when both have one; `settings` are free-form)."""
    if isinstance(answer, dict) and isinstance(example, dict):
        if set(answer) != set(example):
            return [f"{at}: {sorted(set(answer) ^ set(example))}"]
        return [
            difference
            for key in answer
            if key != "settings"
            for difference in shape_differences(
                answer[key], example[key], f"{at}.{key}"
            )
        ]
    if isinstance(answer, list) and isinstance(example, list):
        if answer and example:
            return shape_differences(answer[0], example[0], f"{at}.0")
        return []
    if type(answer) is not type(example):
        return [f"{at}: {type(answer).__name__} != {type(example).__name__}"]
    return []


def fresh_row(path: str, owner: Member) -> str:
    """A new row of the kind `path` addresses, in the owner's company."""
    company = owner.company
    if path.startswith("/api/v1/documents"):
        return encode_id(stored_document(ClientFactory.create(company=company)).pk)
    if path.startswith("/api/v1/group_settings"):
        return encode_id(GroupSettingFactory.create(company=company).pk)
    client = ClientFactory.create(company=company)
    ContactFactory.create(client=client)
    return encode_id(client.pk)


def with_rows_of_the_company(path: str, body: Any, owner: Member) -> Any:
    """The example with its ids swapped for rows of the owner's company: the
    example ids are those of the company the examples were captured in."""
    if not isinstance(body, dict):
        return body
    body = dict(body)
    if isinstance(body.get("ids"), list):
        body["ids"] = [fresh_row(path, owner) for _ in body["ids"]]
    if body.get("group_settings_id"):
        body["group_settings_id"] = encode_id(
            GroupSettingFactory.create(company=owner.company).pk
        )
    return body


def documented_answer(method: str, path: str, code: str = "200") -> Any:
    content = DOCUMENT["paths"][path][method]["responses"][code]["content"]
    found = content["application/json"].get("examples", {})
    return next(iter(found.values()))["value"] if found else None


def test_the_main_operations_have_examples():
    expected = {
        ("get", "/api/v1/clients"),
        ("get", "/api/v1/clients/{id}"),
        ("post", "/api/v1/clients"),
        ("put", "/api/v1/clients/{id}"),
        ("post", "/api/v1/clients/bulk"),
        ("put", "/api/v1/clients/{id}/upload"),
        ("post", "/api/v1/group_settings"),
        ("get", "/api/v1/documents"),
    }
    for method, path in expected:
        assert documented_answer(method, path) is not None, (method, path)
    for method, path in [
        ("post", "/api/v1/clients"),
        ("put", "/api/v1/clients/{id}"),
        ("post", "/api/v1/clients/bulk"),
        ("post", "/api/v1/group_settings"),
    ]:
        body = DOCUMENT["paths"][path][method]["requestBody"]["content"]
        assert body["application/json"]["examples"], (method, path)


def test_every_operation_has_its_own_summary_and_description():
    summaries = []
    for path, method, operation in operations():
        assert operation.get("summary"), (method, path)
        assert len(operation.get("description", "")) > 40, (method, path)
        summaries.append(operation["summary"])
    assert len(summaries) == len(set(summaries))
    descriptions = [operation["description"] for _, _, operation in operations()]
    assert len(descriptions) == len(set(descriptions))


@pytest.mark.parametrize(
    ("path", "method", "media_type", "schema", "value"), request_examples()
)
def test_every_request_example_is_answered_2xx(
    path, method, media_type, schema, value, owner: Member, media
):
    assert media_type == "application/json"
    assert schema_errors(schema, value) == []
    url = path.replace("{id}", fresh_row(path, owner))
    body = with_rows_of_the_company(path, value, owner)
    answer = getattr(owner.api, method)(url, body, format="json")
    assert 200 <= answer.status_code < 300, answer.content
    documented = documented_answer(method, path, str(answer.status_code))
    if documented is not None:
        assert shape_differences(answer.json(), documented) == []


@pytest.mark.parametrize(("schema", "value"), response_examples())
def test_every_response_example_matches_its_schema(schema, value):
    assert schema_errors(schema, value) == []


def component(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


@pytest.mark.parametrize(
    ("request_component", "answer"),
    [
        ("ClientRequest", answers.NORTHWIND_UPDATED),
        ("PatchedClientRequest", answers.NORTHWIND_UPDATED),
        ("GroupSettingRequest", answers.WHOLESALE_GROUP),
        ("DocumentUpdateRequest", document_examples.LOGO_DOCUMENT),
    ],
)
def test_an_answer_sent_back_fits_the_request_schema(request_component, answer):
    # Numeric ids are strings in answers ("840"); the request schema takes them.
    assert schema_errors(component(request_component), answer, strict=False) == []


def test_a_client_as_answered_is_accepted_back(owner: Member):
    created = owner.api.post("/api/v1/clients", examples.CREATE_REQUEST, format="json")
    client = created.json()["data"]
    again = owner.api.put(f"/api/v1/clients/{client['id']}", client, format="json")
    assert again.status_code == 200, again.content
    contacts = again.json()["data"]["contacts"]
    assert masked(contacts) == masked(client["contacts"])
    assert [c["id"] for c in contacts] == [c["id"] for c in client["contacts"]]
    assert again.json()["data"]["country_id"] == "840"


def test_the_create_example_succeeds_as_try_it_out_sends_it(owner: Member):
    content = DOCUMENT["paths"]["/api/v1/clients"]["post"]["requestBody"]["content"]
    first = next(iter(content["application/json"]["examples"].values()))["value"]
    numbers = []
    for _ in range(2):
        answer = owner.api.post("/api/v1/clients", first, format="json")
        assert answer.status_code == 200, answer.content
        numbers.append(answer.json()["data"]["number"])
    assert numbers == ["0001", "0002"]


# What differs from one run to the next: ids, random keys, times, and the bytes
# of an image as this Pillow writes it.
VOLATILE = {
    "id",
    "user_id",
    "client_hash",
    "contact_key",
    "link",
    "hash",
    "url",
    "created_at",
    "updated_at",
    "archived_at",
    "size",
}


def masked(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: "…" if key in VOLATILE else masked(item) for key, item in value.items()
        }
    if isinstance(value, list):
        return [masked(item) for item in value]
    return value


def test_replaying_the_captured_requests_gives_the_documented_answers(
    owner: Member, media
):
    """The requests behind the examples (`clients/api/examples.py` and the
    answers beside it), in the order they were sent."""

    def send(method: str, url: str, body: Any = None, status: int = 200) -> Any:
        kind = "multipart" if "documents[]" in (body or {}) else "json"
        answer = getattr(owner.api, method)(url, body, format=kind, HTTP_HOST=HOST)
        assert answer.status_code == status, answer.content
        return answer.json()

    northwind = send("post", "/api/v1/clients", examples.CREATE_REQUEST)
    assert masked(northwind) == masked({"data": answers.NORTHWIND})
    northwind_id = northwind["data"]["id"]
    globex = send("post", "/api/v1/clients", examples.CREATE_MINIMAL_REQUEST)
    initech = send("post", "/api/v1/clients", examples.CREATE_WITH_CODES_REQUEST)
    listed = send("get", "/api/v1/clients?per_page=1&status=active")
    assert masked(listed) == masked(answers.CLIENT_LIST_ANSWER)

    jane = northwind["data"]["contacts"][0]["id"]
    ana = examples.UPDATE_REQUEST["contacts"][1]
    update = {
        **examples.UPDATE_REQUEST,
        "contacts": [{**examples.UPDATE_REQUEST["contacts"][0], "id": jane}, ana],
    }
    updated = send("put", f"/api/v1/clients/{northwind_id}", update)
    assert masked(updated) == masked({"data": answers.NORTHWIND_UPDATED})
    assert updated["data"]["contacts"][0]["id"] == jane

    group = send("post", "/api/v1/group_settings", examples.GROUP_CREATE_REQUEST)
    assert masked(group) == masked({"data": answers.WHOLESALE_GROUP})

    ids = [globex["data"]["id"], initech["data"]["id"]]
    archive = {**examples.BULK_ARCHIVE_REQUEST, "ids": ids}
    archived = send("post", "/api/v1/clients/bulk", archive)
    assert masked(archived) == masked(answers.BULK_ARCHIVE_ANSWER)

    image = io.BytesIO()
    Image.new("RGB", (120, 40), (20, 90, 160)).save(image, "PNG")
    logo = SimpleUploadedFile("logo.png", image.getvalue(), "image/png")
    upload = {"documents[]": logo, "is_public": "true"}
    uploaded = send("put", f"/api/v1/clients/{northwind_id}/upload", upload)
    documented = documented_answer("put", "/api/v1/clients/{id}/upload")
    assert masked(uploaded) == masked(documented)
    documents = send("get", "/api/v1/documents")
    assert masked(documents) == masked(document_examples.DOCUMENT_LIST_ANSWER)

    invalid = examples.CREATE_INVALID_REQUEST
    refused = send("post", "/api/v1/clients", invalid, status=422)
    assert refused == answers.CREATE_INVALID_ANSWER
    unknown_ids = {"action": "archive", "ids": ["nope"]}
    refused = send("post", "/api/v1/clients/bulk", unknown_ids, status=422)
    assert refused == answers.BULK_INVALID_ANSWER
    assert set(send("get", "/api/v1/ping")) == set(shared_examples.PING_ANSWER)
