"""`__any_of`: the rows `__in` finds, with the ids as one array on PostgreSQL."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import config.lookups  # noqa: F401  (registers `__any_of`)
from clients.models import Client
from config.lookups import ids_condition
from contacts.models import ClientContact
from tests.factories import ClientFactory, CompanyFactory, ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clients() -> list[Client]:
    company = CompanyFactory.create()
    return [ClientFactory.create(company=company) for _ in range(4)]


def pks(queryset: Any) -> list[int]:
    return sorted(queryset.values_list("pk", flat=True))


def test_it_finds_the_rows_in_finds(clients):
    wanted = [clients[2].pk, clients[0].pk, clients[2].pk, None, 10**12]
    assert pks(Client.objects.filter(pk__any_of=wanted)) == pks(
        Client.objects.filter(pk__in=wanted)
    )
    assert pks(Client.objects.filter(pk__any_of=wanted)) == sorted(
        [clients[0].pk, clients[2].pk]
    )
    assert pks(Client.objects.exclude(pk__any_of=wanted)) == sorted(
        [clients[1].pk, clients[3].pk]
    )


def test_an_empty_list_matches_nothing(clients):
    assert not Client.objects.filter(pk__any_of=[]).exists()
    assert not Client.objects.filter(pk__any_of=[None]).exists()


def test_a_subquery_is_an_in_subquery(clients):
    first_two = Client.objects.filter(pk__in=[c.pk for c in clients[:2]])
    assert pks(Client.objects.filter(pk__any_of=first_two.values("pk"))) == pks(
        first_two
    )


def test_a_foreign_key_takes_it_too(clients):
    contact = ContactFactory.create(client=clients[1])
    ContactFactory.create(client=clients[3])
    found = ClientContact.objects.filter(client_id__any_of=[clients[1].pk])
    assert list(found.values_list("pk", flat=True)) == [contact.pk]


def test_thousands_of_ids_are_one_parameter_on_postgresql(clients):
    wanted = [clients[0].pk, *range(10**9, 10**9 + 5000)]
    with CaptureQueriesContext(connection) as captured:
        assert pks(Client.objects.filter(pk__any_of=wanted)) == [clients[0].pk]
    sql = captured.captured_queries[0]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql
        assert " IN (" not in sql
    else:
        assert " IN (" in sql


def test_the_raw_condition_finds_the_same_rows(clients):
    among, params = ids_condition('"id"', [clients[1].pk, clients[3].pk])
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT "id" FROM {Client._meta.db_table} WHERE {among} ORDER BY "id"',
            params,
        )
        found = [row[0] for row in cursor.fetchall()]
    assert found == [clients[1].pk, clients[3].pk]
    expected = 1 if connection.vendor == "postgresql" else 2
    assert len(params) == expected


def test_ids_at_the_edges_of_64_bits_and_given_as_text_find_the_same_rows(clients):
    edges = [2**63 - 1, -(2**63), 0, -1]
    wanted = [*edges, clients[2].pk]
    assert pks(Client.objects.filter(pk__any_of=wanted)) == [clients[2].pk]
    as_text = [str(clients[0].pk), str(clients[3].pk)]
    assert pks(Client.objects.filter(pk__any_of=as_text)) == pks(
        Client.objects.filter(pk__in=as_text)
    )
    among, params = ids_condition('"id"', [*edges, clients[1].pk])
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT "id" FROM {Client._meta.db_table} WHERE {among}', params
        )
        assert [row[0] for row in cursor.fetchall()] == [clients[1].pk]
