"""The contact object and how clients load their contacts."""

from datetime import UTC, datetime
from typing import Any

import pytest

from clients.models import Client
from config.api.hashids import encode_id
from contacts.models import ClientContact
from contacts.queries import live_contacts_prefetch
from contacts.representation import ContactSerializer, contact_representation
from contacts.services import contacts_sync
from contacts.validation import validate_contacts
from tests.factories import ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db

KEYS = [
    "id",
    "first_name",
    "last_name",
    "email",
    "created_at",
    "updated_at",
    "archived_at",
    "is_primary",
    "is_locked",
    "phone",
    "custom_value1",
    "custom_value2",
    "custom_value3",
    "custom_value4",
    "contact_key",
    "send_email",
    "last_login",
    "password",
    "link",
]


def make_contact(**fields: Any) -> ClientContact:
    contact: ClientContact = ContactFactory.create(**fields)
    return contact


def test_a_contact_has_every_field_of_the_contract() -> None:
    contact = make_contact(
        first_name="Ada",
        last_name="Lovelace",
        email="ada@example.com",
        phone="555",
        custom_value3="cv3",
    )
    shown = contact_representation(contact, "https://app.example")
    assert list(shown) == KEYS
    assert shown["id"] == encode_id(contact.pk)
    assert (shown["first_name"], shown["last_name"]) == ("Ada", "Lovelace")
    assert (shown["email"], shown["phone"]) == ("ada@example.com", "555")
    assert shown["custom_value3"] == "cv3"
    assert shown["custom_value1"] == ""
    assert shown["contact_key"] == contact.contact_key
    assert (shown["is_primary"], shown["is_locked"], shown["send_email"]) == (
        True,
        False,
        True,
    )
    assert shown["link"] == (
        f"https://app.example/client/key_login/{contact.contact_key}"
    )


def test_times_are_unix_seconds_and_zero_when_unset() -> None:
    contact = make_contact()
    shown = contact_representation(contact, "")
    assert shown["created_at"] == int(contact.created_at.timestamp())
    assert shown["updated_at"] == int(contact.updated_at.timestamp())
    assert (shown["archived_at"], shown["last_login"]) == (0, 0)
    contact.last_login = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    contact.archived_at = datetime(2024, 2, 1, tzinfo=UTC)
    shown = contact_representation(contact, "")
    assert shown["last_login"] == 1704164645
    assert shown["archived_at"] == 1706745600


def test_a_set_password_is_masked_and_never_shown() -> None:
    hashed = contact_representation(make_contact(password="pbkdf2$hash"))
    assert hashed["password"] == "**********"
    assert contact_representation(make_contact(password=""))["password"] == ""


def test_the_link_defaults_to_the_configured_app_url(settings: Any) -> None:
    settings.APP_URL = "https://billing.example.org"
    contact = make_contact()
    assert contact_representation(contact)["link"] == (
        f"https://billing.example.org/client/key_login/{contact.contact_key}"
    )


def test_the_output_serializer_renders_the_same_object() -> None:
    contact = make_contact(first_name="Ada", password="x")
    assert ContactSerializer(contact).data == contact_representation(contact)
    assert list(ContactSerializer().fields) == KEYS


def test_a_contacts_own_output_can_be_sent_back_unchanged() -> None:
    contact = make_contact(first_name="Ada", email="ada@example.com", password="h")
    client = contact.client
    contacts_sync(
        client=client,
        contacts=validate_contacts([contact_representation(contact)]),
        user=None,
        creating=False,
    )
    again = ClientContact.objects.get(client=client, is_deleted=False)
    assert again.pk == contact.pk
    assert (again.first_name, again.email, again.password) == (
        "Ada",
        "ada@example.com",
        "h",
    )
    assert again.updated_at == contact.updated_at


def test_the_prefetch_loads_live_contacts_primary_first(
    django_assert_num_queries: Any,
) -> None:
    clients: list[Client] = ClientFactory.create_batch(3)
    for client in clients:
        make_contact(client=client, first_name="second", is_primary=False)
        make_contact(client=client, first_name="primary", is_primary=True)
        make_contact(
            client=client, first_name="gone", is_primary=False, is_deleted=True
        )
    with django_assert_num_queries(2):
        loaded = list(
            Client.objects.filter(pk__in=[c.pk for c in clients])
            .order_by("id")
            .prefetch_related(live_contacts_prefetch())
        )
        names = [[c.first_name for c in client.contacts.all()] for client in loaded]
    assert names == [["primary", "second"]] * 3
