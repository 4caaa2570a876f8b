"""Required custom fields in Django admin: set on the company, obeyed by the
client change and add forms."""

import pytest
from django.urls import reverse

from clients.models import Client
from contacts.models import ClientContact
from tests.factories import ClientFactory, CompanyFactory, ContactFactory
from tests.ops.test_client_admin import (
    ADD,
    change_url,
    client_form,
    contact_formset,
    contact_row,
    documents_formset,
)


@pytest.fixture
def company(db):
    return CompanyFactory.create(
        required_fields={
            "client": {"custom_value2": "VAT region"},
            "contact": {"custom_value1": "Department"},
        }
    )


def company_form(company, **labels):
    data = {"name": company.name, "settings": '{"country_id": "840"}'}
    data.update({f"required_{key}": value for key, value in labels.items()})
    data.update(
        {
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        }
    )
    return data


def test_the_company_form_sets_and_clears_the_labels(admin_client, company):
    url = reverse("admin:companies_company_change", args=[company.pk])
    page = admin_client.get(url).content.decode()
    assert 'value="VAT region"' in page
    response = admin_client.post(
        url,
        company_form(
            company, client_custom_value4=" Sector ", contact_custom_value2="Role"
        ),
    )
    assert response.status_code == 302, response.context["errors"]
    company.refresh_from_db()
    assert company.required_fields == {
        "client": {"custom_value4": "Sector"},
        "contact": {"custom_value2": "Role"},
    }


def test_the_change_form_refuses_an_empty_required_client_field(admin_client, company):
    client = ClientFactory.create(company=company, name="Kept", custom_value2="EU")
    contact = ContactFactory.create(client=client, custom_value1="IT")
    data = {
        **client_form(client, name="Changed", custom_value2=""),
        **contact_formset([contact_row(contact, custom_value1="IT")]),
        **documents_formset(client),
    }
    response = admin_client.post(change_url(client), data)
    assert response.status_code == 200
    assert "The VAT region field is required." in response.content.decode()
    client.refresh_from_db()
    assert (client.name, client.custom_value2) == ("Kept", "EU")


def test_the_inline_shows_and_checks_the_required_contact_field(admin_client, company):
    client = ClientFactory.create(company=company, custom_value2="EU")
    contact = ContactFactory.create(client=client, custom_value1="IT")
    page = admin_client.get(change_url(client)).content.decode()
    assert "contacts-0-custom_value1" in page
    assert "contacts-0-custom_value2" not in page
    data = {
        **client_form(client),
        **contact_formset([contact_row(contact, custom_value1=" ")]),
        **documents_formset(client),
    }
    response = admin_client.post(change_url(client), data)
    assert response.status_code == 200
    assert "The Department field is required." in response.content.decode()
    contact.refresh_from_db()
    assert contact.custom_value1 == "IT"


def test_adding_a_client_obeys_the_rules_then_saves(admin_client, company):
    data = {
        **client_form(None, name="Fresh"),
        "company": str(company.pk),
        **contact_formset(
            [], extra_rows=[{"email": "a@fresh.test", "send_email": True}]
        ),
        **documents_formset(),
    }
    response = admin_client.post(ADD, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The VAT region field is required." in page
    assert "The Department field is required." in page
    assert not Client.objects.filter(name="Fresh").exists()

    data["custom_value2"] = "EU"
    data["contacts-0-custom_value1"] = "Sales"
    response = admin_client.post(ADD, data)
    assert response.status_code == 302, response.context["errors"]
    client = Client.objects.get(name="Fresh")
    assert client.custom_value2 == "EU"
    assert ClientContact.objects.get(client=client).custom_value1 == "Sales"


def test_adding_a_client_without_contacts_asks_for_one(admin_client, company):
    data = {
        **client_form(None, name="Lonely", custom_value2="EU"),
        "company": str(company.pk),
        **contact_formset([]),
        **documents_formset(),
    }
    response = admin_client.post(ADD, data)
    assert response.status_code == 200
    assert "Add a contact with Department." in response.content.decode()
    assert not Client.objects.filter(name="Lonely").exists()
