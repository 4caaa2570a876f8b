"""The client object: ids, strings, numbers and timestamps as upstream sends them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from clients.models import Client
from config.api.hashids import encode_id
from tests.clients.support import client_url, create
from tests.factories import (
    ClientFactory,
    ContactFactory,
    GroupSettingFactory,
    client_document,
)

FIELDS = {
    "id": str,
    "user_id": str,
    "assigned_user_id": str,
    "name": str,
    "website": str,
    "private_notes": str,
    "public_notes": str,
    "balance": float,
    "paid_to_date": float,
    "credit_balance": float,
    "payment_balance": float,
    "group_settings_id": str,
    "last_login": int,
    "size_id": str,
    "industry_id": str,
    "client_hash": str,
    "address1": str,
    "address2": str,
    "city": str,
    "state": str,
    "postal_code": str,
    "country_id": str,
    "phone": str,
    "custom_value1": str,
    "custom_value2": str,
    "custom_value3": str,
    "custom_value4": str,
    "shipping_address1": str,
    "shipping_address2": str,
    "shipping_city": str,
    "shipping_state": str,
    "shipping_postal_code": str,
    "shipping_country_id": str,
    "settings": dict,
    "is_deleted": bool,
    "vat_number": str,
    "id_number": str,
    "number": str,
    "classification": str,
    "is_tax_exempt": bool,
    "has_valid_vat_number": bool,
    "routing_id": str,
    "created_at": int,
    "updated_at": int,
    "archived_at": int,
    "display_name": str,
    "contacts": list,
    "documents": list,
    "gateway_tokens": list,
    "logo": str,
    "logo_thumb_large": str,
    "logo_thumb_medium": str,
    "logo_thumb_small": str,
    "tags": list,
}


def show(api, client):
    response = api.get(client_url(client.pk))
    assert response.status_code == 200
    return response.json()["data"]


def test_every_field_is_there_with_its_json_type(api, company):
    client = ClientFactory.create(company=company, balance=Decimal("10.5"))
    data = show(api, client)
    assert set(data) == set(FIELDS)
    for key, kind in FIELDS.items():
        assert isinstance(data[key], kind), (key, data[key])
    assert data["balance"] == 10.5
    assert data["gateway_tokens"] == []


def test_null_ids_and_numbers_are_empty_strings(api, company):
    client = ClientFactory.create(company=company, country_id=None, size_id=None)
    data = show(api, client)
    for key in (
        "user_id",
        "assigned_user_id",
        "group_settings_id",
        "size_id",
        "industry_id",
        "country_id",
        "shipping_country_id",
    ):
        assert data[key] == "", key


def test_ids_are_hashids_and_numbers_strings(api, company, owner):
    group = GroupSettingFactory.create(company=company)
    client = ClientFactory.create(
        company=company,
        user=owner.membership.user,
        group_settings=group,
        country_id=840,
        industry_id=7,
        size_id=2,
    )
    data = show(api, client)
    assert data["id"] == encode_id(client.pk)
    assert data["user_id"] == encode_id(owner.membership.user_id)
    assert data["group_settings_id"] == encode_id(group.pk)
    assert (data["country_id"], data["industry_id"], data["size_id"]) == (
        "840",
        "7",
        "2",
    )


def test_timestamps_are_unix_seconds_and_zero_when_unset(api, company):
    client = ClientFactory.create(company=company)
    data = show(api, client)
    assert data["created_at"] == int(client.created_at.timestamp())
    assert (data["archived_at"], data["last_login"]) == (0, 0)


def test_archived_at_is_set_for_archived_and_deleted_clients(api, company):
    moment = timezone.now() - timedelta(days=1)
    archived = ClientFactory.create(company=company, archived_at=moment)
    deleted = ClientFactory.create(company=company, archived_at=moment, is_deleted=True)
    assert show(api, archived)["archived_at"] == int(moment.timestamp())
    assert show(api, deleted)["is_deleted"] is True


@pytest.mark.parametrize(
    ("name", "contact", "expected"),
    [
        ("Acme", {"first_name": "Ada"}, "Acme"),
        ("A", {"first_name": "Ada", "last_name": "L"}, "Ada L"),
        ("", {"first_name": "", "last_name": "Lovelace"}, "Lovelace"),
        ("", {"first_name": "", "last_name": "", "email": "a@b.co"}, "a@b.co"),
        ("", {"first_name": "", "last_name": "", "email": " "}, "No Contact Set"),
        ("", None, "No Contact Set"),
    ],
)
def test_display_name(api, company, name, contact, expected):
    client = ClientFactory.create(company=company, name=name)
    if contact is not None:
        ContactFactory.create(client=client, **{"email": "", **contact})
    assert show(api, client)["display_name"] == expected


def test_display_name_uses_the_primary_contact(api, company):
    client = ClientFactory.create(company=company, name="")
    ContactFactory.create(client=client, first_name="Second", is_primary=False)
    ContactFactory.create(
        client=client, first_name="Primary", last_name="", is_primary=True
    )
    assert show(api, client)["display_name"] == "Primary"


def test_contacts_are_primary_first_and_deleted_ones_hidden(api, company):
    client = ClientFactory.create(company=company)
    first = ContactFactory.create(client=client, is_primary=False)
    ContactFactory.create(client=client, is_primary=False, is_deleted=True)
    primary = ContactFactory.create(client=client, is_primary=True)
    contacts = show(api, client)["contacts"]
    assert [c["id"] for c in contacts] == [encode_id(primary.pk), encode_id(first.pk)]


def test_documents_are_listed(api, company):
    client = ClientFactory.create(company=company)
    document = client_document(client)
    documents = show(api, client)["documents"]
    assert [d["id"] for d in documents] == [encode_id(document.pk)]
    download = f"/api/v1/documents/{encode_id(document.pk)}/download"
    assert documents[0]["url"].endswith(download)


def test_the_blank_client_has_defaults_and_empty_arrays(api, owner):
    response = api.get("/api/v1/clients/create")
    assert response.status_code == 200
    data = response.json()["data"]
    assert set(data) == set(FIELDS)
    assert data["id"] == ""
    assert len(data["client_hash"]) == 40
    assert (
        data["client_hash"]
        != api.get("/api/v1/clients/create").json()["data"]["client_hash"]
    )
    assert (data["contacts"], data["documents"], data["gateway_tokens"]) == ([], [], [])
    assert data["country_id"] == "840"
    assert data["settings"]["currency_id"] == "1"
    assert data["user_id"] == encode_id(owner.membership.user_id)
    assert (data["created_at"], data["updated_at"]) == (0, 0)
    assert not Client.objects.exists()


def test_show_and_edit_answer_the_same(api, company):
    client = ClientFactory.create(company=company)
    assert (
        api.get(client_url(client.pk, "/edit")).json()
        == api.get(client_url(client.pk)).json()
    )


def test_the_created_client_has_the_same_shape(api):
    assert set(create(api, name="Acme")) == set(FIELDS)
