"""What staff read in the admin: the site's name, money, filter titles and messages."""

import re
import warnings
from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.paginator import UnorderedObjectListWarning
from django.urls import reverse

from clients.admin.actions import purged_message
from config.admin import in_staff_words, money
from tests.factories import GroupSettingFactory, MembershipFactory


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("26343.850000"), "26,343.85"),
        (Decimal("0.000000"), "0.00"),
        (Decimal("1000000"), "1,000,000.00"),
        (Decimal("-1234.5"), "-1,234.50"),
        (Decimal("0.125000"), "0.125"),
        (Decimal("12.345678"), "12.345678"),
        (Decimal("1E+3"), "1,000.00"),
        (7, "7.00"),
    ],
)
def test_money_has_separators_and_hides_no_stored_decimal(amount, text):
    assert money(amount) == text


@pytest.mark.parametrize(
    ("message", "api_name", "label", "subject", "expected"),
    [
        (
            "The contacts.0.email must be a valid email address.",
            "contacts.0.email",
            "Email",
            "Contact 1",
            "Contact 1: email must be a valid email address.",
        ),
        (
            "The contacts.2.first_name may not be greater than 255 characters.",
            "contacts.2.first_name",
            "First name",
            "Contact 3",
            "Contact 3: first name may not be greater than 255 characters.",
        ),
        (
            "The contacts.1.email field has a duplicate value.",
            "contacts.1.email",
            "Email",
            "Contact 2",
            "Contact 2: email has a duplicate value.",
        ),
        (
            "The selected group settings id is invalid.",
            "group_settings_id",
            "Group",
            "",
            "The selected group is invalid.",
        ),
        (
            "The id number has already been taken.",
            "id_number",
            "ID number",
            "",
            "The ID number has already been taken.",
        ),
        (
            "Only one contact can be primary.",
            "contacts.0.is_primary",
            "Primary",
            "Contact 1",
            "Only one contact can be primary.",
        ),
    ],
)
def test_api_messages_are_put_in_staff_words(
    message, api_name, label, subject, expected
):
    assert in_staff_words(message, api_name, label, subject) == expected


def test_the_purge_message_has_plurals_quotes_and_a_limit():
    assert purged_message(["Acme Co."]) == "Purged 1 client: “Acme Co.”"
    assert purged_message(["A", "B"]) == "Purged 2 clients: “A”, “B”"
    names = [f"Client {n}" for n in range(12)]
    text = purged_message(names)
    assert text.startswith("Purged 12 clients: “Client 0”, ")
    assert text.endswith("“Client 9” and 2 more")


def test_the_admin_names_the_product(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "Clients API administration" in page
    assert re.search(r"<title>[^<]*Clients API admin</title>", page)
    assert "Django administration" not in page
    assert "Django site admin" not in page


LISTS = [
    "companies_company",
    "companies_membership",
    "companies_apitoken",
    "clients_client",
    "clients_groupsetting",
    "clients_activity",
    "clients_ledgerentry",
    "documents_document",
]


@pytest.mark.parametrize("name", LISTS)
def test_no_filter_is_titled_after_a_field_name(admin_client, name):
    page = admin_client.get(reverse(f"admin:{name}_changelist")).content.decode()
    assert not re.search(r"By (is|has) ", page)
    assert "type id" not in page


@pytest.mark.parametrize(
    ("app_label", "model_name", "field_name"),
    [
        ("companies", "apitoken", "membership"),
        ("clients", "client", "group_settings"),
        ("clients", "client", "company"),
        ("clients", "client", "assigned_user"),
        ("companies", "membership", "company"),
        ("companies", "membership", "user"),
    ],
)
def test_autocompletes_page_an_ordered_list(
    admin_client, app_label, model_name, field_name
):
    MembershipFactory.create_batch(2)
    GroupSettingFactory.create_batch(2)
    params = dict(app_label=app_label, model_name=model_name, field_name=field_name)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnorderedObjectListWarning)
        response = admin_client.get(reverse("admin:autocomplete"), params)
    assert response.status_code == 200
    assert response.json()["results"]


def test_every_admin_list_pages_an_ordered_list(admin_client):
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnorderedObjectListWarning)
        for model, model_admin in admin.site._registry.items():
            meta = model._meta
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
            assert admin_client.get(url).status_code == 200, model_admin
