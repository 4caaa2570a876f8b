"""`POST /clients/{id}/owner` (the primary contact), `POST /clients/{id}/status`
(archive / restore) and Paymo's `active` in an update body."""

from urllib.parse import urlencode

import pytest

from clients.models import Activity, Client
from config.api.hashids import encode_id
from contacts.models import ClientContact
from tests.clients.support import client_url, create, errors

TWO_CONTACTS = [
    {"first_name": "Ann", "email": "ann@example.com", "is_primary": True},
    {"first_name": "Bob", "email": "bob@example.com"},
]


def primary_email(data):
    primaries = [c["email"] for c in data["contacts"] if c["is_primary"]]
    assert len(primaries) == 1
    return primaries[0]


def test_owner_makes_the_contact_primary_and_the_previous_one_not(api):
    data = create(api, name="Acme", contacts=TWO_CONTACTS)
    bob = next(c for c in data["contacts"] if c["email"] == "bob@example.com")
    before = Activity.objects.count()
    response = api.post(
        client_url(data["id"], "/owner"), {"contact_id": bob["id"]}, format="json"
    )
    assert response.status_code == 200, response.content
    answer = response.json()["data"]
    assert primary_email(answer) == "bob@example.com"
    assert answer["contacts"][0]["email"] == "bob@example.com"  # primary first
    assert ClientContact.objects.filter(is_primary=True).count() == 1
    assert Activity.objects.count() == before + 1
    activity = Activity.objects.latest("id")
    assert activity.activity_type_id == Activity.UPDATE_CLIENT
    assert activity.notes == "Primary contact: Bob"
    # The PHP SDK's form body works the same way.
    ann = next(c for c in data["contacts"] if c["email"] == "ann@example.com")
    response = api.post(
        client_url(data["id"], "/owner"),
        urlencode({"contact_id": ann["id"]}),
        content_type="application/x-www-form-urlencoded",
    )
    assert primary_email(response.json()["data"]) == "ann@example.com"


def test_owner_refuses_a_contact_that_is_not_a_live_one_of_this_client(api, outsider):
    data = create(api, name="Acme", contacts=TWO_CONTACTS)
    other = create(api, name="Other", contacts=[{"email": "o@example.com"}])
    theirs = create(outsider.api, name="Theirs", contacts=[{"email": "t@x.example"}])
    bob = next(c for c in data["contacts"] if c["email"] == "bob@example.com")
    api.put(
        client_url(data["id"]),
        {"contacts": [c for c in data["contacts"] if c["id"] != bob["id"]]},
        format="json",
    )  # Bob is deleted now
    url = client_url(data["id"], "/owner")
    before = Activity.objects.count()
    for contact_id in (
        bob["id"],
        other["contacts"][0]["id"],
        theirs["contacts"][0]["id"],
        encode_id(10**9),
        "garbage",
    ):
        response = api.post(url, {"contact_id": contact_id}, format="json")
        assert errors(response) == {
            "contact_id": ["The selected contact id is invalid."]
        }
    for body in ({}, {"contact_id": ""}, {"contact_id": None}):
        assert errors(api.post(url, body, format="json")) == {
            "contact_id": ["The contact id field is required."]
        }
    assert Activity.objects.count() == before
    shown = api.get(client_url(data["id"])).json()["data"]
    assert primary_email(shown) == "ann@example.com"


@pytest.mark.parametrize("verb", ["/owner", "/status", "/tags"])
def test_the_verbs_refuse_a_deleted_client_with_400(api, verb):
    data = create(api, name="Gone", contacts=TWO_CONTACTS)
    api.delete(client_url(data["id"]))
    body = {
        "/owner": {"contact_id": data["contacts"][1]["id"]},
        "/status": {"status": "active"},
        "/tags": {"tags": ["x"]},
    }[verb]
    response = api.post(client_url(data["id"], verb), body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["message"].startswith("Record is deleted")
    assert Client.objects.get().is_deleted


def test_status_archives_and_restores_like_the_bulk_actions(api):
    data = create(api, name="Acme")
    url = client_url(data["id"], "/status")
    response = api.post(url, {"status": "archived"}, format="json")
    assert response.status_code == 200, response.content
    archived_at = response.json()["data"]["archived_at"]
    assert archived_at > 0
    # The same status again changes nothing and logs nothing.
    response = api.post(url, {"status": "ARCHIVED"}, format="json")
    assert response.json()["data"]["archived_at"] == archived_at
    response = api.post(url, {"status": "active"}, format="json")
    assert response.json()["data"]["archived_at"] == 0
    kinds = list(
        Activity.objects.order_by("id").values_list("activity_type_id", flat=True)
    )
    assert kinds == [
        Activity.CREATE_CLIENT,
        Activity.ARCHIVE_CLIENT,
        Activity.RESTORE_CLIENT,
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "The status field is required."),
        ({"status": ""}, "The status field is required."),
        (
            {"status": "deleted"},
            "The selected status is invalid; use active or archived.",
        ),
        (
            {"status": "suspended"},
            "The selected status is invalid; use active or archived.",
        ),
        ({"status": ["active"]}, "Not a valid string."),
    ],
)
def test_a_bad_status_is_a_422_and_changes_nothing(api, body, message):
    data = create(api, name="Acme")
    response = api.post(client_url(data["id"], "/status"), body, format="json")
    assert errors(response) == {"status": [message]}
    assert Client.objects.get().archived_at is None


def test_paymo_active_in_an_update_body_archives_and_restores(api):
    data = create(api, name="Acme")
    url = client_url(data["id"])
    response = api.put(url, {"active": False, "name": "Acme 2"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["data"]["archived_at"] > 0
    assert response.json()["data"]["name"] == "Acme 2"
    response = api.put(url, {"active": "true"}, format="json")
    assert response.json()["data"]["archived_at"] == 0
    response = api.put(url, {"active": "maybe", "name": "Nope"}, format="json")
    assert errors(response) == {"active": ["The active field must be true or false."]}
    assert Client.objects.get().name == "Acme 2"
    response = api.post(
        "/api/v1/clients", {"name": "Born archived", "active": False}, format="json"
    )
    assert response.json()["data"]["archived_at"] > 0


def test_owner_takes_the_same_queries_for_2_or_40_contacts(
    api, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = create(api, name="Small", contacts=TWO_CONTACTS)
    large = create(
        api,
        name="Large",
        contacts=[{"email": f"c{n}@example.com"} for n in range(40)],
    )
    api.get("/api/v1/ping")
    with CaptureQueriesContext(connection) as two:
        response = api.post(
            client_url(small["id"], "/owner"),
            {"contact_id": small["contacts"][1]["id"]},
            format="json",
        )
    assert response.status_code == 200
    with django_assert_num_queries(len(two.captured_queries)):
        response = api.post(
            client_url(large["id"], "/owner"),
            {"contact_id": large["contacts"][39]["id"]},
            format="json",
        )
    assert primary_email(response.json()["data"]) == "c39@example.com"
