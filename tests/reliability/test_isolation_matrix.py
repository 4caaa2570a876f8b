"""Tenant isolation matrix: every route under /api/v1/, read from the URL conf,
tried by company B's owner against company A's rows.

Each `(path, method)` of the URL conf must have an entry in `MATRIX`; a new route
without one fails `test_every_route_keeps_company_a_out_of_reach`, so no route
can be forgotten. Routes with ids (path or body) get A's ids and must answer like
an unknown id (404 with the same body; merge's second id 400 `Client not found`;
body ids 422); routes without ids must never show A's data. Afterwards every row
of A (clients, contacts, documents, groups, activities, ledger; every field) and
every stored file of A are exactly as before.
"""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.admindocs.views import simplify_regex
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from clients.models import Client, Tag
from config.api.hashids import encode_id
from contacts.models import ClientContact
from tests.factories import PASSWORD
from tests.isolation import UNKNOWN_PK, assert_foreign_id_is_not_found
from tests.reliability.conftest import Tenant, png_bytes, snapshot, stored_files
from webhooks.models import WebhookDelivery

Scenario = Callable[[Tenant, Tenant], None]
INVALID_IDS = {"ids": ["The selected ids is invalid."]}
VALIDATION = "The given data was invalid."


def api_routes() -> Iterator[tuple[str, str]]:
    """`(path, METHOD)` of every route under /api/v1/, from the URL conf."""

    def walk(patterns: list[Any], prefix: str) -> Iterator[tuple[str, Any]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.callback

    for regex, callback in walk(get_resolver().url_patterns, ""):
        path = simplify_regex(regex).replace("<", "{").replace(">", "}").rstrip("/")
        if not path.startswith("/api/v1/"):
            continue
        actions = getattr(callback, "actions", None)
        if actions:
            methods = set(actions)
        else:
            view = getattr(callback, "view_class", None) or callback.cls
            methods = {name for name in view.http_method_names if hasattr(view, name)}
        for method in sorted(methods - {"head", "options"}):
            yield path, method.upper()


ROUTES = sorted(set(api_routes()))


# --- helpers -----------------------------------------------------------------


def a_strings(a: Tenant) -> list[str]:
    """What must never appear in an answer to B: A's names, emails, keys.

    (Hashids are not unique across tables: B's user 2 and A's client 2 share one.)
    """
    values = [a.company.name, a.member.membership.user.email]
    values += [client.name for client in a.clients]
    values += [client.client_hash for client in a.clients]
    values += [contact.contact_key for contact in a.contacts]
    values += [contact.email for contact in a.contacts]
    values += [group.name for group in a.groups]
    values += [document.hash for document in a.documents]
    values += [a.tag]
    values += [webhook.target_url for webhook in a.webhooks]
    values += [webhook.secret for webhook in a.webhooks]
    values += [f"{a.company.name} header"]
    return values


def assert_nothing_of(a: Tenant, response: Any) -> None:
    text = response.content.decode("utf-8", "replace")
    leaked = [value for value in a_strings(a) if value and value in text]
    assert leaked == [], (response.status_code, leaked)


def listed_ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["data"]]


def gated(b: Tenant) -> APIClient:
    """B's owner with the right password (purge and merge)."""
    api = b.member.api
    api.credentials(HTTP_X_API_TOKEN=b.member.token, HTTP_X_API_PASSWORD=PASSWORD)
    return api


def not_found(message: str, method: str, url: str, data: Any = None) -> Scenario:
    """A's id in the path answers exactly like an unknown or garbage id."""

    def scenario(a: Tenant, b: Tenant) -> None:
        kinds = {
            "Client not found": a.clients[0].pk,
            "Document not found": a.documents[0].pk,
            "Group not found": a.groups[0].pk,
            "Webhook not found": a.webhooks[0].pk,
        }
        assert_foreign_id_is_not_found(
            b.member.api, method, url, kinds[message], message, data=data
        )

    return scenario


def bulk_refuses_a_ids(url: str, ids_of: Callable[[Tenant], list[int]]) -> Scenario:
    """A's ids, alone or mixed with B's, are a 422 on `ids`; nothing changes."""

    def scenario(a: Tenant, b: Tenant) -> None:
        for action in ("archive", "delete", "restore"):
            for ids in (ids_of(a), ids_of(a) + ids_of(b)):
                answer = b.member.api.post(
                    url,
                    {"action": action, "ids": [encode_id(pk) for pk in ids]},
                    format="json",
                )
                assert answer.status_code == 422, answer.content
                assert answer.json() == {"message": VALIDATION, "errors": INVALID_IDS}

    return scenario


# --- scenarios ---------------------------------------------------------------


def list_clients(a: Tenant, b: Tenant) -> None:
    api = b.member.api
    everything = api.get("/api/v1/clients?per_page=5000&include=activities,ledger")
    assert sorted(listed_ids(everything)) == sorted(encode_id(c.pk) for c in b.clients)
    assert_nothing_of(a, everything)
    for query in (
        f"client_id={a.client_id}",
        f"group={a.group_id}",
        f"email={a.contacts[0].email}",
        f"filter={a.contacts[0].email}",
        f"name={a.clients[0].name}",
        f"number={a.clients[0].number}",
        f"tags={a.tag}",
        f"tags_any={a.tag},nothing",
    ):
        assert listed_ids(api.get(f"/api/v1/clients?{query}")) == [], query
    for expression in (
        f'email = "{a.contacts[0].email}"',
        f'name = "{a.clients[0].name}"',
        f'group = "{a.group_id}"',
        f'number in ("{a.clients[0].number}") and is_deleted = false',
    ):
        answer = api.get("/api/v1/clients", {"where": expression})
        assert listed_ids(answer) == [], expression
    # A condition that matches every client still lists only B's.
    answer = api.get("/api/v1/clients", {"where": 'name like "%"', "per_page": "5000"})
    assert sorted(listed_ids(answer)) == sorted(encode_id(c.pk) for c in b.clients)


def create_client(a: Tenant, b: Tenant) -> None:
    api = b.member.api
    for body, key in (
        ({"name": "X", "group_settings_id": a.group_id}, "group_settings_id"),
        (
            {"name": "X", "assigned_user_id": encode_id(a.member.membership.user_id)},
            "assigned_user_id",
        ),
    ):
        answer = api.post("/api/v1/clients", body, format="json")
        assert answer.status_code == 422, answer.content
        assert list(answer.json()["errors"]) == [key]
    # A's contact ids in a create are unknown ids: new contacts, on B's client.
    answer = api.post(
        "/api/v1/clients",
        {"name": "X", "contacts": [{"id": a.contact_id, "email": "new@b.example"}]},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    contacts = answer.json()["data"]["contacts"]
    assert [c["email"] for c in contacts] == ["new@b.example"]
    assert contacts[0]["id"] != a.contact_id
    assert_nothing_of(a, answer)


def blank_client(a: Tenant, b: Tenant) -> None:
    answer = b.member.api.get("/api/v1/clients/create")
    assert answer.status_code == 200
    assert_nothing_of(a, answer)


def update_client_with_a_contact_ids(a: Tenant, b: Tenant) -> None:
    not_found("Client not found", "PUT", "/api/v1/clients/{id}", {"name": "B"})(a, b)
    mine = b.clients[0]
    for method in ("put", "patch"):
        answer = getattr(b.member.api, method)(
            f"/api/v1/clients/{encode_id(mine.pk)}",
            {
                "contacts": [
                    {"id": a.contact_id, "first_name": "Taken", "email": "t@b.example"},
                    {"id": encode_id(a.contacts[1].pk), "email": "u@b.example"},
                ]
            },
            format="json",
        )
        assert answer.status_code == 200, answer.content
        shown = answer.json()["data"]["contacts"]
        assert sorted(c["email"] for c in shown) == ["t@b.example", "u@b.example"]
        assert not {c["id"] for c in shown} & {encode_id(c.pk) for c in a.contacts}
        assert_nothing_of(a, answer)
    live = ClientContact.objects.filter(client=mine, is_deleted=False)
    assert {contact.company_id for contact in live} == {b.company.pk}
    answer = b.member.api.put(
        f"/api/v1/clients/{encode_id(mine.pk)}",
        {"group_settings_id": a.group_id},
        format="json",
    )
    assert answer.status_code == 422
    assert list(answer.json()["errors"]) == ["group_settings_id"]


def patch_client(a: Tenant, b: Tenant) -> None:
    not_found("Client not found", "PATCH", "/api/v1/clients/{id}", {"name": "B"})(a, b)
    update_client_with_a_contact_ids(a, b)


def client_bulk(a: Tenant, b: Tenant) -> None:
    bulk_refuses_a_ids("/api/v1/clients/bulk", lambda t: [c.pk for c in t.clients])(
        a, b
    )
    answer = b.member.api.post(
        "/api/v1/clients/bulk",
        {
            "action": "assign_group",
            "ids": [encode_id(b.clients[0].pk)],
            "group_settings_id": a.group_id,
        },
        format="json",
    )
    assert answer.status_code == 422
    assert list(answer.json()["errors"]) == ["group_settings_id"]
    answer = b.member.api.post(
        "/api/v1/clients/bulk",
        {
            "action": "bulk_update",
            "ids": [a.client_id],
            "column": "public_notes",
            "new_value": "pwned",
        },
        format="json",
    )
    assert answer.status_code == 422
    assert answer.json()["errors"] == INVALID_IDS
    for action in ("add_tags", "remove_tags"):
        answer = b.member.api.post(
            "/api/v1/clients/bulk",
            {"action": action, "ids": [a.client_id], "tags": [a.tag, "shared"]},
            format="json",
        )
        assert answer.status_code == 422
        assert answer.json()["errors"] == INVALID_IDS
    # B tagging its own clients with A's tag names makes B's own tags.
    answer = b.member.api.post(
        "/api/v1/clients/bulk",
        {"action": "add_tags", "ids": [encode_id(b.clients[0].pk)], "tags": [a.tag]},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    assert Tag.objects.filter(company=b.company, name=a.tag).count() == 1


def client_tags(a: Tenant, b: Tenant) -> None:
    not_found("Client not found", "POST", CLIENT + "/tags", {"tags": ["pwned"]})(a, b)
    mine = encode_id(b.clients[0].pk)
    answer = b.member.api.post(
        f"/api/v1/clients/{mine}/tags", {"tags": [a.tag, "shared"]}, format="json"
    )
    assert answer.status_code == 200, answer.content
    assert sorted(answer.json()["data"]["tags"]) == sorted([a.tag, "shared"])
    shared = Tag.objects.filter(key="shared").values_list("company_id", flat=True)
    assert sorted(shared) == sorted([a.company.pk, b.company.pk])


def client_owner(a: Tenant, b: Tenant) -> None:
    not_found(
        "Client not found", "POST", CLIENT + "/owner", {"contact_id": a.contact_id}
    )(a, b)
    # A's contact as the owner of B's client: an invalid contact, nothing changed.
    mine = encode_id(b.clients[0].pk)
    answer = b.member.api.post(
        f"/api/v1/clients/{mine}/owner", {"contact_id": a.contact_id}, format="json"
    )
    assert answer.status_code == 422, answer.content
    assert list(answer.json()["errors"]) == ["contact_id"]


def client_status(a: Tenant, b: Tenant) -> None:
    not_found("Client not found", "POST", CLIENT + "/status", {"status": "archived"})(
        a, b
    )


def upload(method: str) -> Scenario:
    def scenario(a: Tenant, b: Tenant) -> None:
        not_found("Client not found", method, "/api/v1/clients/{id}/upload")(a, b)
        for hashid in (a.client_id, encode_id(UNKNOWN_PK)):
            answer = getattr(b.member.api, method.lower())(
                f"/api/v1/clients/{hashid}/upload",
                {"documents[]": SimpleUploadedFile("x.png", png_bytes(), "image/png")},
                format="multipart",
            )
            assert answer.status_code == 404
            assert answer.json() == {"message": "Client not found", "errors": {}}

    return scenario


def logo(method: str) -> Scenario:
    """A's logo can't be read, replaced or removed; B's requests go 404."""

    def scenario(a: Tenant, b: Tenant) -> None:
        not_found("Client not found", method, "/api/v1/clients/{id}/logo")(a, b)
        for hashid in (a.client_id, encode_id(UNKNOWN_PK)):
            url = f"/api/v1/clients/{hashid}/logo"
            for query in ("", "?size=small"):
                answer = getattr(b.member.api, method.lower())(
                    url + query,
                    {"image": SimpleUploadedFile("x.png", png_bytes(), "image/png")},
                    format="multipart",
                )
                assert answer.status_code == 404
                assert answer.json() == {"message": "Client not found", "errors": {}}
        a_logo = Client.objects.get(pk=a.clients[0].pk)
        assert a_logo.logo_path and a_logo.logo_small_path

    return scenario


def client_documents(a: Tenant, b: Tenant) -> None:
    not_found("Client not found", "POST", "/api/v1/clients/{id}/documents")(a, b)


def purge(a: Tenant, b: Tenant) -> None:
    api = gated(b)
    for hashid in (a.client_id, encode_id(UNKNOWN_PK), "not-a-hashid"):
        answer = api.post(f"/api/v1/clients/{hashid}/purge")
        assert answer.status_code == 404, answer.content
        assert answer.json() == {"message": "Client not found", "errors": {}}


def merge(a: Tenant, b: Tenant) -> None:
    api = gated(b)
    mine = encode_id(b.clients[0].pk)
    # A's client as the one kept: 404, like an unknown one.
    for hashid in (a.client_id, encode_id(UNKNOWN_PK), "not-a-hashid"):
        answer = api.post(f"/api/v1/clients/{hashid}/{mine}/merge")
        assert answer.status_code == 404, answer.content
        assert answer.json() == {"message": "Client not found", "errors": {}}
    # A's client as the one merged away: 400, like an unknown one.
    for hashid in (a.client_id, encode_id(UNKNOWN_PK), "not-a-hashid"):
        answer = api.post(f"/api/v1/clients/{mine}/{hashid}/merge")
        assert answer.status_code == 400, answer.content
        assert answer.json() == {"message": "Client not found", "errors": {}}


def list_groups(a: Tenant, b: Tenant) -> None:
    answer = b.member.api.get("/api/v1/group_settings?per_page=5000")
    assert listed_ids(answer) == [encode_id(g.pk) for g in b.groups]
    assert_nothing_of(a, answer)


def create_group(a: Tenant, b: Tenant) -> None:
    answer = b.member.api.post(
        "/api/v1/group_settings",
        {"name": a.groups[0].name, "id": a.group_id},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["data"]["id"] != a.group_id


def group_bulk(a: Tenant, b: Tenant) -> None:
    bulk_refuses_a_ids(
        "/api/v1/group_settings/bulk", lambda t: [g.pk for g in t.groups]
    )(a, b)


def list_documents(a: Tenant, b: Tenant) -> None:
    api = b.member.api
    everything = api.get("/api/v1/documents?per_page=5000")
    assert sorted(listed_ids(everything)) == sorted(
        encode_id(d.pk) for d in b.documents
    )
    assert_nothing_of(a, everything)
    assert listed_ids(api.get(f"/api/v1/documents?client_id={a.client_id}")) == []
    assert listed_ids(api.get(f"/api/v1/documents?name={a.documents[0].name}")) == [
        encode_id(d.pk) for d in b.documents
    ]


def document_bulk(a: Tenant, b: Tenant) -> None:
    bulk_refuses_a_ids("/api/v1/documents/bulk", lambda t: [d.pk for d in t.documents])(
        a, b
    )


def download(a: Tenant, b: Tenant) -> None:
    not_found("Document not found", "GET", "/api/v1/documents/{id}/download")(a, b)
    answer = b.member.api.get(f"/api/v1/documents/{a.document_id}/download?preview=1")
    assert answer.status_code == 404


def list_webhooks(a: Tenant, b: Tenant) -> None:
    answer = b.member.api.get("/api/v1/webhooks?per_page=5000")
    assert listed_ids(answer) == [encode_id(w.pk) for w in b.webhooks]
    assert_nothing_of(a, answer)


def create_webhook(a: Tenant, b: Tenant) -> None:
    answer = b.member.api.post(
        "/api/v1/webhooks",
        {"target_url": "https://93.184.215.14/hook", "event_id": 1, "id": a.webhook_id},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["data"]["id"] != a.webhook_id
    assert_nothing_of(a, answer)


def webhook_bulk(a: Tenant, b: Tenant) -> None:
    bulk_refuses_a_ids("/api/v1/webhooks/bulk", lambda t: [w.pk for w in t.webhooks])(
        a, b
    )


def ping(a: Tenant, b: Tenant) -> None:
    answer = b.member.api.get("/api/v1/ping")
    assert answer.json()["company_name"] == b.company.name
    assert_nothing_of(a, answer)


def statics(a: Tenant, b: Tenant) -> None:
    answer = b.member.api.get("/api/v1/statics")
    assert answer.status_code == 200
    assert_nothing_of(a, answer)


def current_company(a: Tenant, b: Tenant) -> None:
    b.company.required_fields = {"client": {"custom_value1": "B's region"}}
    b.company.save()
    answer = b.member.api.get("/api/v1/companies/current")
    assert answer.status_code == 200
    data = answer.json()["data"]
    assert (data["id"], data["name"]) == (encode_id(b.company.pk), b.company.name)
    assert data["required_fields"]["client"] == [
        {"field": "custom_value1", "label": "B's region"}
    ]
    assert_nothing_of(a, answer)


def schema(a: Tenant, b: Tenant) -> None:
    answer = APIClient().get("/api/v1/schema", HTTP_ACCEPT="application/json")
    assert answer.status_code == 200
    assert_nothing_of(a, answer)


CLIENT = "/api/v1/clients/{id}"
GROUP = "/api/v1/group_settings/{id}"
DOCUMENT = "/api/v1/documents/{id}"
WEBHOOK = "/api/v1/webhooks/{id}"
MATRIX: dict[tuple[str, str], Scenario] = {
    ("/api/v1/ping", "GET"): ping,
    ("/api/v1/schema", "GET"): schema,
    ("/api/v1/statics", "GET"): statics,
    ("/api/v1/companies/current", "GET"): current_company,
    ("/api/v1/clients", "GET"): list_clients,
    ("/api/v1/clients", "POST"): create_client,
    ("/api/v1/clients/create", "GET"): blank_client,
    ("/api/v1/clients/bulk", "POST"): client_bulk,
    (CLIENT, "GET"): not_found("Client not found", "GET", CLIENT),
    (CLIENT, "PUT"): update_client_with_a_contact_ids,
    (CLIENT, "PATCH"): patch_client,
    (CLIENT, "DELETE"): not_found("Client not found", "DELETE", CLIENT),
    (CLIENT + "/edit", "GET"): not_found("Client not found", "GET", CLIENT + "/edit"),
    (CLIENT + "/purge", "POST"): purge,
    (CLIENT + "/{mergeable_id}/merge", "POST"): merge,
    (CLIENT + "/upload", "POST"): upload("POST"),
    (CLIENT + "/upload", "PUT"): upload("PUT"),
    (CLIENT + "/documents", "POST"): client_documents,
    (CLIENT + "/logo", "GET"): logo("GET"),
    (CLIENT + "/logo", "POST"): logo("POST"),
    (CLIENT + "/logo", "DELETE"): logo("DELETE"),
    (CLIENT + "/tags", "POST"): client_tags,
    (CLIENT + "/owner", "POST"): client_owner,
    (CLIENT + "/status", "POST"): client_status,
    ("/api/v1/group_settings", "GET"): list_groups,
    ("/api/v1/group_settings", "POST"): create_group,
    ("/api/v1/group_settings/bulk", "POST"): group_bulk,
    (GROUP, "GET"): not_found("Group not found", "GET", GROUP),
    (GROUP, "PUT"): not_found("Group not found", "PUT", GROUP, {"name": "B"}),
    (GROUP, "PATCH"): not_found("Group not found", "PATCH", GROUP, {"name": "B"}),
    (GROUP, "DELETE"): not_found("Group not found", "DELETE", GROUP),
    ("/api/v1/documents", "GET"): list_documents,
    ("/api/v1/documents/bulk", "POST"): document_bulk,
    (DOCUMENT, "GET"): not_found("Document not found", "GET", DOCUMENT),
    (DOCUMENT, "PUT"): not_found("Document not found", "PUT", DOCUMENT, {"name": "b"}),
    (DOCUMENT, "DELETE"): not_found("Document not found", "DELETE", DOCUMENT),
    (DOCUMENT + "/download", "GET"): download,
    ("/api/v1/webhooks", "GET"): list_webhooks,
    ("/api/v1/webhooks", "POST"): create_webhook,
    ("/api/v1/webhooks/bulk", "POST"): webhook_bulk,
    (WEBHOOK, "GET"): not_found("Webhook not found", "GET", WEBHOOK),
    (WEBHOOK, "PUT"): not_found("Webhook not found", "PUT", WEBHOOK, {"event_id": 1}),
    (WEBHOOK, "PATCH"): not_found(
        "Webhook not found", "PATCH", WEBHOOK, {"event_id": 1}
    ),
    (WEBHOOK, "DELETE"): not_found("Webhook not found", "DELETE", WEBHOOK),
    (WEBHOOK + "/deliveries", "GET"): not_found(
        "Webhook not found", "GET", WEBHOOK + "/deliveries"
    ),
}


@pytest.mark.parametrize(
    ("path", "method"), ROUTES, ids=[f"{m} {p}" for p, m in ROUTES]
)
def test_every_route_keeps_company_a_out_of_reach(
    path: str, method: str, tenant_a: Tenant, tenant_b: Tenant, media: Path
) -> None:
    scenario = MATRIX.get((path, method))
    assert scenario is not None, f"add {method} {path} to the isolation matrix"
    rows_before = snapshot(tenant_a.company)
    files_before = stored_files(media / tenant_a.company.company_key)
    deliveries_before = WebhookDelivery.objects.filter(
        webhook__company=tenant_a.company
    ).count()
    scenario(tenant_a, tenant_b)
    assert snapshot(tenant_a.company) == rows_before
    assert (
        WebhookDelivery.objects.filter(webhook__company=tenant_a.company).count()
        == deliveries_before
    )
    assert stored_files(media / tenant_a.company.company_key) == files_before
    assert Client.objects.filter(company=tenant_a.company).count() == 2


def test_the_matrix_has_no_stale_entries() -> None:
    assert sorted(set(MATRIX) - set(ROUTES)) == []
