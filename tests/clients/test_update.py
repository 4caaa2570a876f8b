"""`PUT`/`PATCH /api/v1/clients/{id}`."""

import pytest

from clients.models import Activity, Client
from tests.clients.support import CLIENTS, client_url, create, errors

DELETED = {
    "message": (
        "Record is deleted and cannot be edited. Restore the record to enable editing"
    ),
    "errors": {},
}


@pytest.mark.parametrize("method", ["put", "patch"])
def test_fields_not_sent_keep_their_values(api, method):
    data = create(api, name="Acme", city="Paris", custom_value1="c")
    response = getattr(api, method)(
        client_url(data["id"]), {"city": "Rome"}, format="json"
    )
    assert response.status_code == 200
    updated = response.json()["data"]
    assert (updated["name"], updated["city"], updated["custom_value1"]) == (
        "Acme",
        "Rome",
        "c",
    )


def test_a_client_can_put_its_own_json_back_unchanged(api):
    data = create(
        api, name="Acme", industry_id=2, contacts=[{"email": "a@example.com"}]
    )
    response = api.put(client_url(data["id"]), data, format="json")
    assert response.status_code == 200, response.content
    again = response.json()["data"]
    for key in ("updated_at", "contacts"):
        again.pop(key)
        data.pop(key)
    assert again == data


def test_it_writes_an_update_activity(api):
    data = create(api, name="Acme")
    api.put(client_url(data["id"]), {"name": "Acme 2"}, format="json")
    assert list(
        Activity.objects.order_by("id").values_list("activity_type_id", flat=True)
    ) == [1, 61]


def test_a_deleted_client_cannot_be_updated(api):
    data = create(api, name="Acme")
    api.delete(client_url(data["id"]))
    response = api.put(client_url(data["id"]), {"name": "New"}, format="json")
    assert response.status_code == 400
    assert response.json() == DELETED
    assert Client.objects.get().name == "Acme"


def test_a_deleted_client_answers_400_even_with_invalid_data(api):
    data = create(api, name="Acme")
    api.delete(client_url(data["id"]))
    response = api.patch(client_url(data["id"]), {"country_id": "x"}, format="json")
    assert response.status_code == 400


def test_an_archived_client_can_be_updated_and_stays_archived(api):
    data = create(api, name="Acme")
    api.post(
        f"{CLIENTS}/bulk", {"action": "archive", "ids": [data["id"]]}, format="json"
    )
    response = api.put(client_url(data["id"]), {"name": "New"}, format="json")
    updated = response.json()["data"]
    assert updated["name"] == "New"
    assert updated["archived_at"] > 0
    assert updated["is_deleted"] is False


def test_an_empty_country_id_becomes_the_company_country(api):
    data = create(api, name="Acme", country_id="276")
    response = api.put(client_url(data["id"]), {"country_id": ""}, format="json")
    assert response.json()["data"]["country_id"] == "840"


def test_contacts_left_out_are_untouched(api):
    data = create(api, name="Acme", contacts=[{"email": "a@example.com"}])
    response = api.put(client_url(data["id"]), {"name": "B"}, format="json")
    assert response.json()["data"]["contacts"] == data["contacts"]


def test_sent_contacts_replace_the_set(api):
    data = create(api, name="Acme", contacts=[{"email": "a@example.com"}])
    response = api.put(
        client_url(data["id"]),
        {"contacts": [{"email": "b@example.com"}]},
        format="json",
    )
    assert [c["email"] for c in response.json()["data"]["contacts"]] == [
        "b@example.com"
    ]


def test_invalid_input_changes_nothing(api):
    data = create(api, name="Acme")
    response = api.put(
        client_url(data["id"]),
        {"name": "B", "settings": {"currency_id": "x"}},
        format="json",
    )
    errors(response)
    assert Client.objects.get().name == "Acme"
    assert Activity.objects.count() == 1


def test_post_on_a_client_is_not_a_route(api):
    data = create(api, name="Acme")
    response = api.post(client_url(data["id"]), {"name": "B"}, format="json")
    assert response.status_code == 405
    assert set(response.json()) == {"message", "errors"}


def test_the_response_is_reread_from_the_database(api):
    data = create(api, name="Acme")
    response = api.put(client_url(data["id"]), {"name": "<i>B</i>c"}, format="json")
    assert response.json()["data"]["name"] == Client.objects.get().name == "Bc"


def test_a_form_encoded_update_works(api):
    data = create(api, name="Acme")
    response = api.put(
        client_url(data["id"]),
        "city=Oslo&is_tax_exempt=1&contacts[0][email]=x%40example.com",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200, response.content
    updated = response.json()["data"]
    assert (updated["city"], updated["is_tax_exempt"]) == ("Oslo", True)
    assert updated["contacts"][0]["email"] == "x@example.com"
