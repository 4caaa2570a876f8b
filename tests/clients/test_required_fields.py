"""A company's required custom fields, on every way a client is written."""

import io
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from clients.csv import ImportFailed, clients_import_csv
from clients.models import Client
from clients.services.clients import client_create, client_update
from config.api.hashids import encode_id
from contacts.models import ClientContact
from tests.clients.support import CLIENTS, client_url, create, errors
from tests.factories import ClientFactory, ContactFactory

VAT = "The VAT region field is required."
DEPARTMENT = "The Department field is required."


@pytest.fixture
def requiring(company):
    company.required_fields = {
        "client": {"custom_value2": "VAT region"},
        "contact": {"custom_value1": "Department"},
    }
    company.save()
    return company


def clients_written(company):
    return Client.objects.filter(company=company).count()


def test_a_create_without_a_required_client_field_is_refused_and_writes_nothing(
    api, requiring
):
    response = api.post(
        CLIENTS,
        {"name": "Acme", "contacts": [{"email": "a@acme.test", "custom_value1": "IT"}]},
        format="json",
    )
    assert errors(response) == {"custom_value2": [VAT]}
    assert clients_written(requiring) == 0
    assert not ClientContact.objects.exists()


@pytest.mark.parametrize("blank", ["", "   ", None])
def test_a_blank_required_value_counts_as_missing(api, requiring, blank):
    response = api.post(
        CLIENTS,
        {"name": "Acme", "custom_value2": blank, "contacts": [{"custom_value1": "IT"}]},
        format="json",
    )
    assert errors(response) == {"custom_value2": [VAT]}


def test_every_contact_needs_the_required_contact_fields(api, requiring):
    response = api.post(
        CLIENTS,
        {
            "name": "Acme",
            "custom_value2": "EU",
            "contacts": [{"custom_value1": "IT"}, {"email": "b@acme.test"}],
        },
        format="json",
    )
    assert errors(response) == {"contacts.1.custom_value1": [DEPARTMENT]}
    assert clients_written(requiring) == 0
    assert not ClientContact.objects.exists()


def test_a_create_without_contacts_is_refused_for_its_default_contact(api, requiring):
    response = api.post(CLIENTS, {"name": "Acme", "custom_value2": "EU"}, format="json")
    assert errors(response) == {"contacts.0.custom_value1": [DEPARTMENT]}
    assert clients_written(requiring) == 0


def test_a_complete_create_is_stored(api, requiring):
    data = create(
        api,
        name="Acme",
        custom_value2="EU",
        contacts=[{"email": "a@acme.test", "custom_value1": "IT"}],
    )
    assert data["custom_value2"] == "EU"
    assert data["contacts"][0]["custom_value1"] == "IT"


def test_the_php_form_encoding_obeys_the_rule(api, requiring):
    form = "application/x-www-form-urlencoded"
    body = {"name": "Acme", "custom_value2": "", "contacts[0][custom_value1]": "IT"}
    response = api.post(CLIENTS, urlencode(body), content_type=form)
    assert errors(response) == {"custom_value2": [VAT]}
    body["custom_value2"] = "EU"
    response = api.post(CLIENTS, urlencode(body), content_type=form)
    assert response.status_code == 200, response.content
    assert response.json()["data"]["contacts"][0]["custom_value1"] == "IT"


@pytest.fixture
def legacy(requiring):
    """A client (and contact) stored before the fields were required."""
    client = ClientFactory.create(company=requiring, name="Old", custom_value2="")
    ContactFactory.create(client=client, custom_value1="")
    return client


def test_an_update_that_leaves_the_field_out_keeps_working_on_an_older_client(
    api, legacy
):
    response = api.put(client_url(legacy.pk), {"name": "Renamed"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["data"]["name"] == "Renamed"


def test_an_update_that_empties_a_required_field_is_refused_and_changes_nothing(
    api, requiring
):
    client = ClientFactory.create(company=requiring, name="Filled", custom_value2="EU")
    response = api.put(
        client_url(client.pk), {"name": "Renamed", "custom_value2": ""}, format="json"
    )
    assert errors(response) == {"custom_value2": [VAT]}
    client.refresh_from_db()
    assert (client.name, client.custom_value2) == ("Filled", "EU")


def test_an_update_fills_in_the_field_of_an_older_client(api, legacy):
    response = api.put(client_url(legacy.pk), {"custom_value2": "EU"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["data"]["custom_value2"] == "EU"


def test_contacts_of_an_update_stored_ones_keep_their_values_new_ones_need_them(
    api, legacy
):
    contact = legacy.contacts.get()
    kept = {"id": encode_id(contact.pk), "first_name": "Kept"}
    response = api.put(
        client_url(legacy.pk),
        {"contacts": [kept, {"email": "new@old.test"}]},
        format="json",
    )
    assert errors(response) == {"contacts.1.custom_value1": [DEPARTMENT]}
    assert legacy.contacts.count() == 1
    response = api.put(
        client_url(legacy.pk),
        {"contacts": [{**kept, "custom_value1": " "}]},
        format="json",
    )
    assert errors(response) == {"contacts.0.custom_value1": [DEPARTMENT]}
    response = api.put(client_url(legacy.pk), {"contacts": [kept]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["data"]["contacts"][0]["first_name"] == "Kept"


def test_bulk_update_cannot_empty_a_required_field(api, requiring):
    client = ClientFactory.create(company=requiring, custom_value2="EU")
    body = {
        "action": "bulk_update",
        "ids": [encode_id(client.pk)],
        "column": "custom_value2",
        "new_value": "",
    }
    response = api.post(f"{CLIENTS}/bulk", body, format="json")
    assert errors(response) == {"new_value": [VAT]}
    client.refresh_from_db()
    assert client.custom_value2 == "EU"
    body["new_value"] = "US"
    assert api.post(f"{CLIENTS}/bulk", body, format="json").status_code == 200
    client.refresh_from_db()
    assert client.custom_value2 == "US"


def test_the_services_hold_the_rule_whoever_calls_them(requiring):
    with pytest.raises(ValidationError) as refused:
        client_create(company=requiring, user=None, data={"name": "Direct"})
    assert refused.value.message_dict == {"custom_value2": [VAT]}
    client = ClientFactory.create(company=requiring, custom_value2="EU")
    with pytest.raises(ValidationError):
        client_update(client=client, user=None, data={"custom_value2": None})


def test_another_companys_rules_do_not_apply(api, outsider):
    outsider.company.required_fields = {"client": {"custom_value1": "Region"}}
    outsider.company.save()
    assert create(api, name="Free")["custom_value1"] == ""


def test_unknown_entries_in_the_stored_rules_are_ignored(api, company):
    company.required_fields = {"client": {"name": "x", "custom_value9": "y"}, "z": 1}
    company.save()
    create(api, name="Fine")


CURRENT = "/api/v1/companies/current"


def test_the_current_company_tells_which_fields_are_required(api, requiring):
    response = api.get(CURRENT)
    assert response.status_code == 200
    assert response.json() == {
        "data": {
            "id": encode_id(requiring.pk),
            "name": requiring.name,
            "required_fields": {
                "client": [{"field": "custom_value2", "label": "VAT region"}],
                "contact": [{"field": "custom_value1", "label": "Department"}],
            },
        }
    }


def test_the_current_company_without_rules_lists_none(api, company):
    body = api.get(CURRENT).json()["data"]
    assert body["required_fields"] == {"client": [], "contact": []}


def test_the_current_company_is_the_token_lookup_alone(
    api, requiring, django_assert_num_queries
):
    api.get(CURRENT)  # the token's last use is recorded at most once a minute
    with django_assert_num_queries(1):
        assert api.get(CURRENT).status_code == 200


def test_the_current_company_needs_a_token():
    response = APIClient().get(CURRENT)
    assert response.status_code == 403  # as every route answers without a token


def test_the_csv_import_lists_every_missing_field_by_line_and_writes_nothing(
    requiring, tmp_path
):
    rows = (
        "name,custom_value2,contact_email,contact_custom_value1\n"
        "Good,EU,good@x.test,IT\n"
        "No region,,a@x.test,IT\n"
        "No department,EU,b@x.test,\n"
    )
    with pytest.raises(ImportFailed) as failed:
        clients_import_csv(company=requiring, stream=io.StringIO(rows))
    problems = {(p.line, p.column, p.message) for p in failed.value.problems}
    assert problems == {
        (3, "custom_value2", VAT),
        (4, "contact_custom_value1", DEPARTMENT),
    }
    assert clients_written(requiring) == 0
