"""Requests an attacker or a generic HTTP tool sends: OPTIONS and unexpected
methods on every route, and hashids of numbers no row can have. Each answers a
clean 2xx/4xx JSON, never a 500."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from hashids import Hashids
from rest_framework.test import APIClient

from config.api.hashids import MIN_LENGTH, decode_id
from tests.conftest import Member
from tests.reliability.conftest import Tenant

pytestmark = pytest.mark.django_db


@pytest.fixture
def out_of_range(settings: Any) -> list[str]:
    codec = Hashids(salt=settings.HASH_SALT, min_length=MIN_LENGTH)
    return [codec.encode(number) for number in (2**63, 2**64 - 1, 10**30, 0)]


def api_paths(tenant: Tenant) -> list[str]:
    """Every path of the OpenAPI document, with the tenant's real ids in it."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    paths = []
    for template in document["paths"]:
        if template.startswith("/api/v1/documents"):
            row = tenant.document_id
        elif template.startswith("/api/v1/group_settings"):
            row = tenant.group_id
        else:
            row = tenant.client_id
        paths.append(
            template.replace("{id}", row).replace("{mergeable_id}", tenant.client_id)
        )
    return paths


def test_options_answers_every_route_with_its_methods(tenant_a: Tenant) -> None:
    paths = api_paths(tenant_a)
    assert len(paths) >= 15
    for path in paths:
        answer = tenant_a.member.api.options(path)
        assert answer.status_code == 200, (path, answer.content)
        body = answer.json()
        assert body["methods"] == sorted(answer["Allow"].replace(" ", "").split(","))
        assert "OPTIONS" in body["methods"]


def test_options_still_needs_a_token(tenant_a: Tenant) -> None:
    answer = APIClient().options(reverse("client-list"))
    assert answer.status_code == 403


def test_unexpected_methods_on_every_route_are_405_or_handled(
    tenant_a: Tenant,
) -> None:
    api = tenant_a.member.api
    for path in api_paths(tenant_a):
        for method in ("TRACE", "PATCH", "PUT", "DELETE", "HEAD", "CONNECT"):
            answer = api.generic(method, path)
            assert answer.status_code < 500, (method, path, answer.content)


def test_hashids_of_numbers_beyond_64_bits_decode_to_nothing(
    out_of_range: list[str],
) -> None:
    assert [decode_id(value) for value in out_of_range] == [None] * 4


def test_out_of_range_ids_in_paths_are_404(
    tenant_a: Tenant, out_of_range: list[str]
) -> None:
    api = tenant_a.member.api
    for hashid in out_of_range:
        for path in (
            f"/api/v1/clients/{hashid}",
            f"/api/v1/clients/{hashid}/edit",
            f"/api/v1/documents/{hashid}",
            f"/api/v1/documents/{hashid}/download",
            f"/api/v1/group_settings/{hashid}",
        ):
            answer = api.get(path)
            assert answer.status_code == 404, (path, answer.content)
        merge = api.post(
            f"/api/v1/clients/{tenant_a.client_id}/{hashid}/merge",
            HTTP_X_API_PASSWORD="password",
        )
        assert merge.status_code in (404, 412), merge.content


def test_out_of_range_ids_in_filters_and_bodies_are_refused(
    tenant_a: Tenant, out_of_range: list[str]
) -> None:
    api = tenant_a.member.api
    for hashid in out_of_range:
        listed = api.get("/api/v1/clients", {"group": hashid})
        assert listed.status_code in (200, 422), listed.content
        if listed.status_code == 200:
            assert listed.json()["data"] == []
        for path in (
            "/api/v1/clients/bulk",
            "/api/v1/documents/bulk",
            "/api/v1/group_settings/bulk",
        ):
            answer = api.post(
                path, {"action": "archive", "ids": [hashid]}, format="json"
            )
            assert answer.status_code == 422, (path, answer.content)
        created = api.post(
            "/api/v1/clients",
            {"name": "x", "group_settings_id": hashid, "assigned_user_id": hashid},
            format="json",
        )
        assert created.status_code == 422, created.content


def test_out_of_range_ids_cost_no_more_than_garbage(
    owner: Member, out_of_range: list[str]
) -> None:
    owner.api.get("/api/v1/ping")  # the token's last use is written once a minute
    counts = []
    for hashid in ("not-a-hashid", out_of_range[0]):
        with CaptureQueriesContext(connection) as queries:
            answer = owner.api.get(f"/api/v1/clients/{hashid}")
        assert answer.status_code == 404
        counts.append(len(queries))
    assert counts[0] == counts[1]
