"""Helpers shared by the clients tests."""

from typing import Any

from rest_framework.test import APIClient

from config.api.hashids import encode_id

CLIENTS = "/api/v1/clients"
GROUPS = "/api/v1/group_settings"


def client_url(pk_or_hashid: int | str, suffix: str = "") -> str:
    hashid = pk_or_hashid if isinstance(pk_or_hashid, str) else encode_id(pk_or_hashid)
    return f"{CLIENTS}/{hashid}{suffix}"


def group_url(pk_or_hashid: int | str) -> str:
    hashid = pk_or_hashid if isinstance(pk_or_hashid, str) else encode_id(pk_or_hashid)
    return f"{GROUPS}/{hashid}"


def create(api: APIClient, **body: Any) -> dict[str, Any]:
    """POST a client as JSON and return its `data`, asserting a 200."""
    response = api.post(CLIENTS, body, format="json")
    assert response.status_code == 200, response.content
    data: dict[str, Any] = response.json()["data"]
    return data


def errors(response: Any) -> dict[str, list[str]]:
    """The `errors` of a 422, asserting the status and message."""
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["message"] == "The given data was invalid."
    result: dict[str, list[str]] = body["errors"]
    return result
