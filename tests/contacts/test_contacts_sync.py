"""`contacts_sync`: the whole-set replacement of a client's contacts."""

import math
from typing import Any

import pytest
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection, transaction

from clients.models import Client
from config.api.hashids import encode_id
from contacts.models import ClientContact
from contacts.services import contacts_sync
from contacts.validation import validate_contacts
from tests.factories import ClientFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


def sync(client: Client, raw: list[Any] | None, *, creating: bool = False) -> None:
    """Validate `raw` as a request would and sync it."""
    contacts = None if raw is None else validate_contacts(raw)
    contacts_sync(client=client, contacts=contacts, user=None, creating=creating)


def live(client: Client) -> list[ClientContact]:
    """The client's non-deleted contacts, primary first."""
    return list(
        ClientContact.objects.filter(client=client, is_deleted=False).order_by(
            "-is_primary", "id"
        )
    )


def contact_of(client: Client, **fields: Any) -> ClientContact:
    contact: ClientContact = ContactFactory.create(client=client, **fields)
    return contact


@pytest.fixture
def client() -> Client:
    made: Client = ClientFactory.create()
    return made


@pytest.mark.parametrize("raw", [None, []])
def test_a_new_client_without_contacts_gets_one_blank_contact(
    client: Client, raw: list[Any] | None
) -> None:
    user: User = UserFactory.create()
    contacts = None if raw is None else validate_contacts(raw)
    contacts_sync(client=client, contacts=contacts, user=user, creating=True)
    [contact] = live(client)
    assert contact.is_primary
    assert contact.send_email
    assert (contact.first_name, contact.last_name, contact.email) == ("", "", "")
    assert contact.company_id == client.company_id
    assert contact.user_id == user.pk
    assert len(contact.contact_key) == 40


def test_a_new_client_gets_the_sent_contacts_in_order(client: Client) -> None:
    user: User = UserFactory.create()
    contacts = validate_contacts(
        [
            {"first_name": "Ada", "email": "ada@example.com", "phone": "1"},
            {"first_name": "Grace", "custom_value1": "cv"},
        ]
    )
    contacts_sync(client=client, contacts=contacts, user=user, creating=True)
    ada, grace = live(client)
    assert (ada.first_name, ada.email, ada.phone) == ("Ada", "ada@example.com", "1")
    assert (grace.first_name, grace.custom_value1) == ("Grace", "cv")
    assert ada.is_primary and not grace.is_primary
    assert ada.send_email and grace.send_email
    assert {ada.user_id, grace.user_id} == {user.pk}
    assert ada.contact_key != grace.contact_key


def test_leaving_contacts_out_of_an_update_changes_nothing(client: Client) -> None:
    kept = contact_of(client, first_name="Ada")
    stamp = kept.updated_at
    sync(client, None)
    [contact] = live(client)
    assert contact.pk == kept.pk
    assert contact.updated_at == stamp


def test_an_empty_array_on_update_leaves_one_blank_contact(client: Client) -> None:
    old = contact_of(client, first_name="Ada")
    sync(client, [])
    old.refresh_from_db()
    assert old.is_deleted
    [blank] = live(client)
    assert blank.pk != old.pk
    assert blank.is_primary and blank.send_email
    assert blank.first_name == blank.email == ""


def test_contacts_are_matched_by_hashed_id_and_updated(client: Client) -> None:
    ada = contact_of(client, first_name="Ada", phone="123", custom_value2="x")
    sync(client, [{"id": encode_id(ada.pk), "first_name": "Augusta"}])
    [contact] = live(client)
    assert contact.pk == ada.pk
    assert contact.contact_key == ada.contact_key
    assert contact.first_name == "Augusta"
    assert (contact.phone, contact.custom_value2) == ("123", "x")


def test_keys_sent_as_null_or_empty_clear_the_field(client: Client) -> None:
    ada = contact_of(client, email="ada@example.com", phone="123")
    sync(client, [{"id": encode_id(ada.pk), "email": None, "phone": ""}])
    ada.refresh_from_db()
    assert (ada.email, ada.phone) == ("", "")


def test_existing_contacts_left_out_are_soft_deleted(client: Client) -> None:
    ada = contact_of(client, first_name="Ada", is_primary=True)
    grace = contact_of(client, first_name="Grace", is_primary=False)
    sync(client, [{"id": encode_id(grace.pk)}])
    ada.refresh_from_db()
    assert ada.is_deleted
    assert ada.archived_at is not None
    assert [c.pk for c in live(client)] == [grace.pk]


def test_contacts_without_an_id_are_added_to_the_kept_ones(client: Client) -> None:
    ada = contact_of(client, first_name="Ada")
    sync(client, [{"id": encode_id(ada.pk)}, {"first_name": "New"}])
    first, second = live(client)
    assert first.pk == ada.pk
    assert second.first_name == "New"
    assert second.send_email


def test_an_id_of_another_clients_contact_makes_a_new_contact(client: Client) -> None:
    other_client: Client = ClientFactory.create(company=client.company)
    foreign = contact_of(other_client, first_name="Theirs")
    sync(client, [{"id": encode_id(foreign.pk), "first_name": "Mine"}])
    [mine] = live(client)
    assert mine.pk != foreign.pk
    assert mine.first_name == "Mine"
    assert mine.company_id == client.company_id
    foreign.refresh_from_db()
    assert foreign.client_id == other_client.pk
    assert foreign.first_name == "Theirs"
    assert not foreign.is_deleted


def test_an_id_of_another_companys_contact_makes_a_new_contact(client: Client) -> None:
    foreign = contact_of(ClientFactory.create(), first_name="Theirs", email="t@x.io")
    sync(client, [{"id": encode_id(foreign.pk), "email": "mine@x.io"}])
    [mine] = live(client)
    assert mine.pk != foreign.pk
    assert (mine.company_id, mine.email) == (client.company_id, "mine@x.io")
    foreign.refresh_from_db()
    assert (foreign.email, foreign.is_deleted) == ("t@x.io", False)
    assert foreign.company_id != client.company_id


def test_an_id_of_a_deleted_contact_makes_a_new_contact(client: Client) -> None:
    gone = contact_of(client, first_name="Gone", is_deleted=True)
    sync(client, [{"id": encode_id(gone.pk), "first_name": "Back"}])
    [contact] = live(client)
    assert contact.pk != gone.pk
    gone.refresh_from_db()
    assert (gone.first_name, gone.is_deleted) == ("Gone", True)


def test_an_undecodable_id_makes_a_new_contact(client: Client) -> None:
    ada = contact_of(client)
    sync(client, [{"id": "nonsense", "first_name": "New"}])
    [contact] = live(client)
    assert contact.pk != ada.pk
    assert contact.first_name == "New"


def test_the_same_id_twice_updates_once_and_adds_the_repeat(client: Client) -> None:
    ada = contact_of(client, first_name="Ada")
    hashid = encode_id(ada.pk)
    sync(client, [{"id": hashid, "first_name": "A"}, {"id": hashid, "first_name": "B"}])
    first, second = live(client)
    assert (first.pk, first.first_name) == (ada.pk, "A")
    assert second.first_name == "B"


def test_the_first_of_several_primaries_stays_the_only_primary(client: Client) -> None:
    sync(
        client,
        [
            {"first_name": "a"},
            {"first_name": "b", "is_primary": True},
            {"first_name": "c", "is_primary": "1"},
        ],
        creating=True,
    )
    primary, *others = live(client)
    assert primary.first_name == "b"
    assert [c.is_primary for c in others] == [False, False]


def test_without_a_primary_the_first_contact_becomes_primary(client: Client) -> None:
    sync(
        client,
        [{"first_name": "a", "is_primary": False}, {"first_name": "b"}],
        creating=True,
    )
    assert [(c.first_name, c.is_primary) for c in live(client)] == [
        ("a", True),
        ("b", False),
    ]


def test_a_contact_keeps_being_primary_when_is_primary_is_not_sent(
    client: Client,
) -> None:
    ada = contact_of(client, first_name="Ada", is_primary=True)
    bob = contact_of(client, first_name="Bob", is_primary=False)
    sync(client, [{"id": encode_id(bob.pk)}, {"id": encode_id(ada.pk)}])
    assert [(c.pk, c.is_primary) for c in live(client)] == [
        (ada.pk, True),
        (bob.pk, False),
    ]


def test_making_another_contact_primary_demotes_the_old_one(client: Client) -> None:
    ada = contact_of(client, first_name="Ada", is_primary=True)
    bob = contact_of(client, first_name="Bob", is_primary=False)
    sync(
        client,
        [
            {"id": encode_id(ada.pk), "is_primary": False},
            {"id": encode_id(bob.pk), "is_primary": True},
        ],
    )
    assert [(c.pk, c.is_primary) for c in live(client)] == [
        (bob.pk, True),
        (ada.pk, False),
    ]


def test_when_nobody_gets_email_the_primary_does(client: Client) -> None:
    sync(
        client,
        [
            {"first_name": "a", "send_email": False},
            {"first_name": "b", "send_email": "0", "is_primary": True},
        ],
        creating=True,
    )
    assert [(c.first_name, c.send_email) for c in live(client)] == [
        ("b", True),
        ("a", False),
    ]


def test_send_email_false_is_kept_when_another_contact_gets_email(
    client: Client,
) -> None:
    sync(
        client,
        [{"first_name": "a", "send_email": False}, {"first_name": "b"}],
        creating=True,
    )
    assert [(c.first_name, c.send_email) for c in live(client)] == [
        ("a", False),
        ("b", True),
    ]


def test_a_password_is_hashed_on_a_new_contact(client: Client) -> None:
    sync(client, [{"password": "Secret1x"}], creating=True)
    [contact] = live(client)
    assert contact.password != "Secret1x"
    assert check_password("Secret1x", contact.password)


def test_a_masked_password_on_a_new_contact_sets_none(client: Client) -> None:
    sync(client, [{"email": "a@b.co", "password": "**********"}], creating=True)
    [contact] = live(client)
    assert contact.password == ""


@pytest.mark.parametrize("sent", ["**********", "", None])
def test_a_masked_or_empty_password_leaves_an_existing_one_alone(
    client: Client, sent: object
) -> None:
    ada = contact_of(client, password="hash-that-stays")
    sync(client, [{"id": encode_id(ada.pk), "password": sent}])
    ada.refresh_from_db()
    assert ada.password == "hash-that-stays"


def test_a_new_password_replaces_an_existing_one(client: Client) -> None:
    ada = contact_of(client, password="old-hash")
    sync(client, [{"id": encode_id(ada.pk), "password": "Newer1pass"}])
    ada.refresh_from_db()
    assert check_password("Newer1pass", ada.password)


def test_an_unchanged_contact_keeps_its_updated_at(client: Client) -> None:
    ada = contact_of(client, first_name="Ada", is_primary=True, send_email=True)
    bob = contact_of(client, first_name="Bob", is_primary=False)
    ada_stamp, bob_stamp = ada.updated_at, bob.updated_at
    sync(
        client,
        [
            {"id": encode_id(ada.pk), "first_name": "Ada"},
            {"id": encode_id(bob.pk), "first_name": "Robert"},
        ],
    )
    ada.refresh_from_db()
    bob.refresh_from_db()
    assert ada.updated_at == ada_stamp
    assert bob.updated_at > bob_stamp


def test_a_failing_write_leaves_the_contacts_as_they_were(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    ada = contact_of(client, first_name="Ada")

    def broken_insert(*args: object, **kwargs: object) -> None:
        raise RuntimeError("insert failed")

    monkeypatch.setattr(ClientContact.objects, "bulk_create", broken_insert)
    # In the transaction of a client write, as every caller runs it: the sync
    # has no savepoint of its own, the failed write rolls back whole.
    with pytest.raises(RuntimeError), transaction.atomic():
        sync(client, [{"first_name": "New"}])
    ada.refresh_from_db()
    assert not ada.is_deleted
    assert [c.pk for c in live(client)] == [ada.pk]


def insert_statements(count: int) -> int:
    """How many INSERTs Django needs for `count` contacts on this database.

    PostgreSQL takes any number in one; SQLite caps a statement at 999 parameters.
    """
    fields = [f for f in ClientContact._meta.concrete_fields if not f.primary_key]
    batch = connection.ops.bulk_batch_size(fields, [None] * count)
    return math.ceil(count / batch)


@pytest.mark.parametrize("count", [2, 50])
def test_creating_contacts_takes_a_fixed_number_of_queries(
    client: Client, count: int, django_assert_num_queries: Any
) -> None:
    contacts = validate_contacts(
        [{"first_name": f"c{n}", "email": f"c{n}@x.io"} for n in range(count)]
    )
    # The INSERT(s): no savepoint of its own, the caller's transaction holds it.
    with django_assert_num_queries(insert_statements(count)):
        contacts_sync(client=client, contacts=contacts, user=None, creating=True)
    assert len(live(client)) == count


@pytest.mark.parametrize("count", [2, 50])
def test_replacing_contacts_takes_a_fixed_number_of_queries(
    client: Client, count: int, django_assert_num_queries: Any
) -> None:
    existing = [contact_of(client, is_primary=False) for _ in range(count)]
    contacts = validate_contacts(
        [
            {
                "id": encode_id(contact.pk),
                "first_name": "Renamed",
                "password": "Pass1wd",
            }
            for contact in existing[1:]
        ]
        + [{"first_name": "New"}]
    )
    # SELECT the contacts, soft-delete UPDATE, bulk UPDATE, INSERT (the caller
    # holds the client's lock; no savepoint of its own).
    with django_assert_num_queries(4):
        contacts_sync(client=client, contacts=contacts, user=None, creating=False)
    kept = live(client)
    assert len(kept) == count
    assert sum(c.is_primary for c in kept) == 1
    assert {c.first_name for c in kept} == {"Renamed", "New"}


def test_an_anonymous_user_makes_contacts_without_a_user(client: Client) -> None:
    contacts_sync(
        client=client,
        contacts=[{"first_name": "A"}],
        user=AnonymousUser(),
        creating=True,
    )
    [contact] = live(client)
    assert contact.user_id is None
