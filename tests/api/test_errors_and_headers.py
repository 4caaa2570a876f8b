import logging

import pytest

from config.api.hashids import encode_id
from tests.factories import ClientFactory

pytestmark = pytest.mark.urls("tests.api.urls")


def test_validation_errors_are_422_with_dotted_keys(api):
    response = api.post(
        "/api/v1/test-memberships",
        {"contacts": [{"email": "ok@example.com"}, {"email": "nope"}]},
        format="json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["message"] == "The given data was invalid."
    assert set(body["errors"]) == {"name", "contacts.1.email"}
    assert all(isinstance(m, str) for msgs in body["errors"].values() for m in msgs)


def test_an_unknown_path_under_the_api_is_404_json(api):
    response = api.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"message": "Not found", "errors": {}}


def test_an_undecodable_or_unknown_id_is_404_with_the_resource_message(api):
    for hashid in ("garbage", "VolejRejNm9", encode_id(987_654_321)):
        response = api.get(f"/api/v1/test-memberships/{hashid}")
        assert response.status_code == 404
        assert response.json() == {"message": "Membership not found", "errors": {}}


def test_another_companys_id_is_404_like_an_unknown_one(api, outsider):
    from tests.isolation import assert_foreign_id_is_not_found

    assert_foreign_id_is_not_found(
        api,
        "GET",
        "/api/v1/test-memberships/{id}",
        outsider.membership.pk,
        "Membership not found",
    )


def test_a_method_not_allowed_is_405_json(api):
    response = api.delete("/api/v1/ping")
    assert response.status_code == 405
    assert response.json()["errors"] == {}
    assert "not allowed" in response.json()["message"]


def test_malformed_json_is_400(api):
    response = api.post(
        "/api/v1/test-echo", data="{bad json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {}


@pytest.mark.parametrize("body", ["5", '"text"', "[1, 2]", "null"])
def test_a_json_body_that_is_not_an_object_is_400(api, body):
    response = api.post("/api/v1/test-echo", data=body, content_type="application/json")
    assert response.status_code == 400


def test_an_empty_json_array_is_read_as_an_empty_object(api):
    response = api.post("/api/v1/test-echo", data="[]", content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {"data": {}}


def test_an_unexpected_error_is_500_json_and_logged(api, caplog):
    with caplog.at_level(logging.ERROR, logger="config.api"):
        response = api.get("/api/v1/test-boom")
    assert response.status_code == 500
    assert response.json() == {"message": "Server error", "errors": {}}
    assert any(record.exc_info for record in caplog.records)


@pytest.mark.parametrize(
    "accept", [None, "*/*", "text/html", "application/json", "image/png"]
)
def test_any_accept_header_but_xml_gets_json(api, accept):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = api.get("/api/v1/ping", **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_every_response_carries_the_version_headers(api):
    for response in (api.get("/api/v1/ping"), api.get("/api/v1/nothing-here")):
        assert response["X-Minimum-Client-Version"] == "5.0.16"
        assert response["X-Api-Version"] == "5.0.16"
        assert response["X-App-Version"]


def test_paths_work_with_and_without_a_trailing_slash_without_redirects(api):
    for path in ("/api/v1/ping", "/api/v1/ping/"):
        assert api.get(path).status_code == 200
    for path in ("/api/v1/test-echo", "/api/v1/test-echo/"):
        response = api.post(path, {"a": 1}, format="json")
        assert response.status_code == 200
        assert response.json() == {"data": {"a": 1}}


def test_cors_preflight_answers_200_with_the_api_headers(client):
    response = client.options(
        "/api/v1/ping",
        HTTP_ORIGIN="https://app.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="PUT",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="x-api-token, x-api-password, content-type",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    allowed = response["Access-Control-Allow-Headers"].lower()
    for header in (
        "x-api-token",
        "x-api-password",
        "x-api-password-base64",
        "idempotency-key",
    ):
        assert header in allowed
    assert "PATCH" in response["Access-Control-Allow-Methods"]


def test_cors_exposes_the_version_and_rate_limit_headers(api):
    response = api.get("/api/v1/ping", HTTP_ORIGIN="https://app.example.com")
    exposed = response["Access-Control-Expose-Headers"]
    for header in (
        "X-App-Version",
        "ETag",
        "Content-Disposition",
        "X-RateLimit-Remaining",
    ):
        assert header in exposed


def test_integers_beyond_64_bits_are_rendered_not_a_500():
    from config.api.renderers import dumps

    assert dumps({"n": 10**20, "m": 1.5}) == b'{"n":100000000000000000000,"m":1.5}'


def test_token_answers_are_never_stored_by_caches(api, company):
    client_id = encode_id(ClientFactory.create(company=company).pk)
    for path in (
        "/api/v1/clients",
        f"/api/v1/clients/{client_id}",
        "/api/v1/documents",
        "/api/v1/group_settings",
        "/api/v1/ping",
        "/api/v1/clients/unknown",
    ):
        response = api.get(path)
        assert response["Cache-Control"] == "private, no-store", path
    created = api.post("/api/v1/clients", {"name": "x"}, format="json")
    assert created["Cache-Control"] == "private, no-store"


def test_a_wrong_token_answer_is_not_stored_either(db, client):
    response = client.get("/api/v1/clients", HTTP_X_API_TOKEN="wrong-token")
    assert response.status_code == 403
    assert response["Cache-Control"] == "private, no-store"


def test_statics_keep_their_revalidation(api):
    assert api.get("/api/v1/statics")["Cache-Control"] == "private, no-cache"


@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_json_nested_deeper_than_32_levels_is_400(api, opening):
    closing = "]" if opening == "[" else "}"
    body = '{"name": ' + opening * 1000 + '"x"' + closing * 1000 + "}"

    response = api.post("/api/v1/clients", data=body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "message": "The request body is nested too deeply.",
        "errors": {},
    }


def test_json_nested_32_levels_is_read(api):
    body = '{"name": "n", "settings": {"custom": ' + "[" * 30 + "]" * 30 + "}}"
    response = api.post("/api/v1/clients", data=body, content_type="application/json")
    assert response.status_code == 422  # settings allow less: the body was read
    assert "settings" in response.json()["errors"]
