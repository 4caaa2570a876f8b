"""The OpenAPI schema describes every route, parameter, envelope and error."""

import json

import pytest
from django.contrib.admindocs.views import simplify_regex
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

SCHEMA_ROUTES = {"/api/v1/schema"}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def api_routes():
    """(path, methods) of every route under /api/v1/, read from the URL conf."""

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.callback

    for regex, callback in walk(get_resolver().url_patterns, ""):
        path = simplify_regex(regex).replace("<", "{").replace(">", "}")
        path = path.rstrip("/")
        if not path.startswith("/api/v1/") or path in SCHEMA_ROUTES:
            continue
        actions = getattr(callback, "actions", None)
        if actions:
            # DRF adds `head` to a viewset's actions once a GET was served.
            methods = {method.lower() for method in actions} - {"head", "options"}
        else:
            view_class = getattr(callback, "view_class", None) or callback.cls
            methods = {
                method
                for method in view_class.http_method_names
                if hasattr(view_class, method) and method not in {"options", "head"}
            }
        yield path, methods


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


def test_the_schema_generates_without_warnings_and_validates(db, tmp_path):
    out = tmp_path / "schema.json"
    call_command(
        "spectacular",
        "--fail-on-warn",
        "--validate",
        "--format",
        "openapi-json",
        "--file",
        str(out),
    )
    assert json.loads(out.read_text())["paths"]


def test_every_api_route_and_method_is_in_the_schema(schema):
    routes = list(api_routes())
    assert routes
    missing = [
        (path, sorted(methods - set(schema["paths"].get(path, {}))))
        for path, methods in routes
        if path not in schema["paths"] or methods - set(schema["paths"][path])
    ]
    assert missing == []


def test_paths_are_listed_without_a_trailing_slash(schema):
    assert all(not path.endswith("/") for path in schema["paths"])


def test_the_token_header_is_the_security_scheme_of_every_operation(schema):
    assert schema["components"]["securitySchemes"] == {
        "ApiKeyAuth": {
            "type": "apiKey",
            "in": "header",
            "name": "X-API-TOKEN",
            "description": "A company API token (made with `create_token`).",
        }
    }
    for path, method, operation in operations(schema):
        assert operation.get("security") == [{"ApiKeyAuth": []}], (path, method)


def test_every_operation_documents_its_errors_and_rate_limit_headers(schema):
    components = schema["components"]["schemas"]
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        for code in ("403", "429"):
            assert code in responses, (path, method, code)
        ref = responses["429"]["content"]["application/json"]["schema"]["$ref"]
        error = components[ref.rsplit("/", 1)[1]]
        assert {"message", "errors"} <= set(error["properties"]), (path, method)
        assert "Retry-After" in responses["429"]["headers"]
        if "{" in path:
            assert "404" in responses, (path, method)
        if method in {"post", "put", "patch"}:
            assert "422" in responses, (path, method)
        success = [code for code in responses if code.startswith("2")]
        assert success, (path, method)
        for code in success:
            assert "X-RateLimit-Remaining" in responses[code].get("headers", {})


def test_the_error_bodies_are_components(schema):
    components = schema["components"]["schemas"]
    assert set(components["Error"]["properties"]) == {"message", "errors"}
    assert set(components["ValidationError"]["properties"]) == {"message", "errors"}


def test_paginated_lists_use_the_data_and_meta_envelope(schema):
    lists = [
        (path, operation)
        for path, method, operation in operations(schema)
        if method == "get"
        and any(p["name"] == "per_page" for p in operation.get("parameters", []))
    ]
    assert lists
    components = schema["components"]["schemas"]
    for path, operation in lists:
        body = operation["responses"]["200"]["content"]["application/json"]["schema"]
        if "$ref" in body:
            body = components[body["$ref"].rsplit("/", 1)[1]]
        assert {"data", "meta"} <= set(body["properties"]), path


def test_every_filterset_parameter_is_documented(schema):
    from django_filters.rest_framework import DjangoFilterBackend

    checked = 0
    for path, methods in api_routes():
        if "get" not in methods:
            continue
        for pattern_path, callback in _callbacks():
            if pattern_path != path:
                continue
            view_class = getattr(callback, "cls", None)
            filterset_class = getattr(view_class, "filterset_class", None)
            if filterset_class is None or not any(
                issubclass(backend, DjangoFilterBackend)
                for backend in getattr(view_class, "filter_backends", [])
            ):
                continue
            if (getattr(callback, "actions", None) or {}).get("get") != "list":
                continue
            documented = {
                p["name"] for p in schema["paths"][path]["get"].get("parameters", [])
            }
            assert set(filterset_class.base_filters) <= documented, path
            checked += 1
    assert checked


def _callbacks():
    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.callback

    for regex, callback in walk(get_resolver().url_patterns, ""):
        path = simplify_regex(regex).replace("<", "{").replace(">", "}").rstrip("/")
        yield path, callback


def test_schema_and_docs_are_served_without_a_token(db, client):
    schema = client.get("/api/v1/schema", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content


def test_the_docs_keep_the_token_across_a_reload(db, client):
    page = client.get("/api/docs").content.decode()
    assert '"persistAuthorization": true' in page


def test_operations_have_ids_an_sdk_can_name_methods_after(schema):
    ids = [operation["operationId"] for _, _, operation in operations(schema)]
    assert len(ids) == len(set(ids))
    # drf-spectacular's defaults for extra actions name the HTTP verb instead.
    assert not [i for i in ids if i.endswith(("_create_retrieve", "_bulk_create"))]
    assert {"clients_blank", "clients_bulk", "clients_upload", "ping"} <= set(ids)
