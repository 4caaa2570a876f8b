"""One regression test for each thing the schema fuzzing found.

Every finding was a mismatch between the OpenAPI document and what the API
answers; each test checks the document and the real answer side by side.
"""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from drf_spectacular.generators import SchemaGenerator

from config.api.hashids import encode_id
from tests.conftest import Member
from tests.factories import ClientFactory, GroupSettingFactory
from tests.reliability.conftest import stored_document

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker: Any) -> dict[str, Any]:
    with django_db_blocker.unblock():
        document: dict[str, Any] = SchemaGenerator().get_schema(
            request=None, public=True
        )
    return document


def responses(schema: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    operation: dict[str, Any] = schema["paths"][path][method]
    return operation["responses"]


def body_schema(schema: dict[str, Any], method: str, path: str, code: str) -> Any:
    return responses(schema, method, path)[code]["content"]["application/json"][
        "schema"
    ]


def enveloped(component: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["data"],
        "properties": {"data": {"$ref": f"#/components/schemas/{component}"}},
    }


def test_single_rows_are_documented_inside_the_data_envelope(schema, owner: Member):
    client = ClientFactory.create(company=owner.company)
    answer = owner.api.get(f"/api/v1/clients/{encode_id(client.pk)}")
    assert set(answer.json()) == {"data"}
    for method, path, component in [
        ("get", "/api/v1/clients/{id}", "Client"),
        ("get", "/api/v1/clients/create", "Client"),
        ("put", "/api/v1/clients/{id}", "Client"),
        ("put", "/api/v1/clients/{id}/upload", "Client"),
        ("get", "/api/v1/documents/{id}", "Document"),
        ("get", "/api/v1/group_settings/{id}", "GroupSetting"),
    ]:
        assert body_schema(schema, method, path, "200") == enveloped(component)


def test_bodies_that_already_hold_data_are_not_enveloped_twice(schema):
    merged = body_schema(
        schema, "post", "/api/v1/clients/{id}/{mergeable_id}/merge", "200"
    )
    assert merged == {"$ref": "#/components/schemas/MergedClient"}


def test_creates_are_documented_as_200_like_they_answer(schema, owner: Member):
    assert owner.api.post("/api/v1/clients", {}, format="json").status_code == 200
    assert (
        owner.api.post(
            "/api/v1/group_settings", {"name": "G"}, format="json"
        ).status_code
        == 200
    )
    for path in ("/api/v1/clients", "/api/v1/group_settings"):
        codes = responses(schema, "post", path)
        assert "200" in codes
        assert "201" not in codes


def test_deletes_are_documented_as_200_with_the_deleted_row(
    schema, owner: Member, media: Any
):
    client = ClientFactory.create(company=owner.company)
    group = GroupSettingFactory.create(company=owner.company)
    document = stored_document(client)
    for path, pk, component in [
        ("/api/v1/clients/{id}", client.pk, "Client"),
        ("/api/v1/documents/{id}", document.pk, "Document"),
        ("/api/v1/group_settings/{id}", group.pk, "GroupSetting"),
    ]:
        answer = owner.api.delete(path.format(id=encode_id(pk)))
        assert answer.status_code == 200
        assert answer.json()["data"]["is_deleted"] is True
        assert "204" not in responses(schema, "delete", path)
        assert body_schema(schema, "delete", path, "200") == enveloped(component)


def test_an_unknown_include_is_a_documented_400(schema, owner: Member):
    answer = owner.api.get("/api/v1/clients?include=nope")
    assert answer.status_code == 400
    for method, path in [
        ("get", "/api/v1/clients"),
        ("get", "/api/v1/clients/{id}"),
        ("get", "/api/v1/clients/create"),
        ("delete", "/api/v1/clients/{id}"),
    ]:
        assert "400" in responses(schema, method, path), (method, path)


def test_unreadable_oversized_and_untyped_write_bodies_are_documented(
    schema, owner: Member
):
    unreadable = owner.api.post(
        "/api/v1/group_settings", b"[1]", content_type="application/json"
    )
    assert unreadable.status_code == 400
    untyped = owner.api.generic("POST", "/api/v1/group_settings", "?", content_type="")
    assert untyped.status_code == 415
    assert set(untyped.json()) == {"message", "errors"}
    for path, item in schema["paths"].items():
        for method in ("post", "put", "patch"):
            if method in item:
                codes = set(item[method]["responses"])
                assert {"400", "413", "415"} <= codes, (method, path)


def test_include_only_relations_are_optional_in_the_client_object(
    schema, owner: Member
):
    client = ClientFactory.create(company=owner.company)
    shown = owner.api.get(f"/api/v1/clients/{encode_id(client.pk)}").json()["data"]
    assert "group_settings" not in shown
    component = schema["components"]["schemas"]["Client"]
    assert "group_settings" in component["properties"]
    assert "group_settings" not in component["required"]
    assert "contacts" in component["required"]


def test_downloads_are_documented_with_any_content_type(
    schema, owner: Member, media: Any
):
    document = stored_document(ClientFactory.create(company=owner.company))
    answer = owner.api.get(f"/api/v1/documents/{encode_id(document.pk)}/download")
    assert answer["Content-Type"] == "application/pdf"
    content = responses(schema, "get", "/api/v1/documents/{id}/download")["200"][
        "content"
    ]
    assert list(content) == ["*/*"]


def test_an_upload_with_another_method_override_is_a_documented_405(
    schema, owner: Member, media: Any
):
    client = ClientFactory.create(company=owner.company)
    answer = owner.api.post(
        f"/api/v1/clients/{encode_id(client.pk)}/upload",
        {
            "_method": "DELETE",
            "documents[]": SimpleUploadedFile("a.txt", b"hello", "text/plain"),
        },
        format="multipart",
    )
    assert answer.status_code == 405
    for method in ("post", "put"):
        assert "405" in responses(schema, method, "/api/v1/clients/{id}/upload")


def test_document_bulk_is_documented_as_a_page_of_documents(schema):
    assert body_schema(schema, "post", "/api/v1/documents/bulk", "200") == {
        "$ref": "#/components/schemas/PaginatedDocumentList"
    }


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/clients?page={page}",
        "/api/v1/group_settings?page={page}",
        "/api/v1/documents?page={page}&per_page=8890",
    ],
)
def test_a_page_number_beyond_64_bits_is_an_empty_page_not_a_500(
    owner: Member, url: str
):
    ClientFactory.create(company=owner.company)
    answer = owner.api.get(url.format(page=10**38))
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["data"] == []
    assert body["meta"]["pagination"]["current_page"] == 2**53 - 1
    assert "next" not in body["meta"]["pagination"]["links"]


def test_a_huge_page_of_a_clients_documents_is_empty_too(owner: Member):
    client = ClientFactory.create(company=owner.company)
    answer = owner.api.post(
        f"/api/v1/clients/{encode_id(client.pk)}/documents?page={10**38}"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["data"] == []


@pytest.mark.parametrize("digit", ["¹", "٣", "²3"])
def test_a_non_ascii_digit_form_key_is_no_array_index(owner: Member, digit: str):
    answer: Any = owner.api.generic(
        "POST",
        "/api/v1/clients/bulk",
        f"{digit}=x&=y&action=archive",
        content_type="application/x-www-form-urlencoded; charset=utf-8",
    )
    assert answer.status_code == 422, answer.content
    answer = owner.api.post(
        "/api/v1/clients/bulk",
        {digit: "x", "": "y", "action": "archive"},
        format="multipart",
    )
    assert answer.status_code == 422, answer.content
    answer = owner.api.post(
        "/api/v1/clients",
        f"contacts[{digit}][email]=a@b.io&contacts[][email]=c@d.io",
        content_type="application/x-www-form-urlencoded; charset=utf-8",
    )
    assert answer.status_code in (200, 422), answer.content


def test_path_ids_are_documented_as_non_empty_hashids(schema, owner: Member):
    for path, item in schema["paths"].items():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    assert parameter["schema"]["minLength"] == 1, path
                    assert parameter["schema"]["pattern"] == "^[0-9A-Za-z]+$"
    # What an empty id reaches instead: the collection, which refuses the method.
    assert owner.api.delete("/api/v1/clients/").status_code == 405


def test_numeric_ids_are_documented_as_the_strings_answers_show(schema, owner: Member):
    request = schema["components"]["schemas"]["ClientRequest"]["properties"]
    for name in ("country_id", "shipping_country_id", "industry_id", "size_id"):
        types = [branch["type"] for branch in request[name]["oneOf"]]
        assert types == ["string", "integer"], name
        assert request[name]["nullable"] is True
    # Both forms are answered alike, and the answer shows the string.
    for country in ("840", 840):
        answer = owner.api.post(
            "/api/v1/clients", {"country_id": country, "size_id": "2"}, format="json"
        )
        assert answer.status_code == 200, answer.content
        assert answer.json()["data"]["country_id"] == "840"
        assert answer.json()["data"]["size_id"] == "2"


def test_bulk_values_are_documented_as_text_or_an_id(schema, owner: Member):
    bulk = schema["components"]["schemas"]["ClientBulkRequest"]["properties"]
    assert [branch["type"] for branch in bulk["new_value"]["oneOf"]] == [
        "string",
        "integer",
    ]
    client = ClientFactory.create(company=owner.company)
    answer = owner.api.post(
        "/api/v1/clients/bulk",
        {
            "action": "bulk_update",
            "ids": [encode_id(client.pk)],
            "column": "size_id",
            "new_value": 3,
        },
        format="json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["data"][0]["size_id"] == "3"


def test_request_components_carry_one_request_suffix_and_enums_have_names(schema):
    names = set(schema["components"]["schemas"])
    assert not [name for name in names if name.endswith("RequestRequest")]
    assert not [name for name in names if name.startswith("_")]
    assert {"ClientRequest", "ClientBulkRequest", "ContactRequest"} <= names
    assert {"BulkActionEnum", "ClientBulkActionEnum", "MethodOverrideEnum"} <= names
