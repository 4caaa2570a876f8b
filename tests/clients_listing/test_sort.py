from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from clients.api.filters import SORTABLE
from clients.models import Client
from tests.clients_listing.support import at, errors, filterset, listed
from tests.factories import ClientFactory

BASE = at(2024, 1, 1)

# Three values per column, given to clients a, b, c (created in that order) so that
# ascending order is b, c, a — never the id order.
VALUES: dict[str, list[Any]] = {
    "name": ["Zed", "Abe", "Mia"],
    "id_number": ["ID-9", "ID-1", "ID-5"],
    "balance": [Decimal("300"), Decimal("-1"), Decimal("20.5")],
    "paid_to_date": [Decimal("9"), Decimal("1"), Decimal("5")],
    "credit_balance": [Decimal("9"), Decimal("1"), Decimal("5")],
    "created_at": [BASE + timedelta(days=3), BASE, BASE + timedelta(days=1)],
    "updated_at": [BASE + timedelta(days=3), BASE, BASE + timedelta(days=1)],
    "archived_at": [BASE + timedelta(days=3), BASE, BASE + timedelta(days=1)],
    "city": ["Zurich", "Athens", "Madrid"],
    "state": ["WY", "AK", "MT"],
    "postal_code": ["99999", "10000", "50000"],
    "country_id": [840, 36, 276],
    "website": ["z.example", "a.example", "m.example"],
    "phone": ["555-9", "555-1", "555-5"],
    "custom_value1": ["z", "a", "m"],
    "custom_value2": ["z", "a", "m"],
    "custom_value3": ["z", "a", "m"],
    "custom_value4": ["z", "a", "m"],
    "number": ["10", "2", "9"],
}
FIELD_OF = {"display_name": "name"}


def make_abc(company, field):
    """Clients a, b, c (labelled in private_notes) holding VALUES[field]."""
    for label, value in zip("abc", VALUES[field], strict=True):
        client = ClientFactory.create(company=company, private_notes=label)
        if field == "number":
            client.number = value
            client.save()
        else:
            Client.objects.filter(pk=client.pk).update(**{field: value})


def labels(company, query):
    return [client.private_notes for client in listed(company, query)]


def test_every_sortable_column_has_a_case():
    assert set(SORTABLE) - {"id"} == set(VALUES) | set(FIELD_OF)


@pytest.mark.parametrize("column", sorted(set(SORTABLE) - {"id"}))
def test_each_column_sorts_both_ways(company, column):
    make_abc(company, FIELD_OF.get(column, column))
    assert labels(company, f"sort={column}|asc") == ["b", "c", "a"]
    assert labels(company, f"sort={column}|desc") == ["a", "c", "b"]


def test_id_sorts_both_ways(company):
    make_abc(company, "name")
    assert labels(company, "sort=id|asc") == ["a", "b", "c"]
    assert labels(company, "sort=id|desc") == ["c", "b", "a"]


def test_the_default_order_is_id_ascending(company):
    make_abc(company, "name")
    assert labels(company, "") == ["a", "b", "c"]
    assert labels(company, "status=active") == ["a", "b", "c"]


@pytest.mark.parametrize("query", ["sort=name", "sort=name|", "sort=name|ASC"])
def test_a_sort_without_a_direction_is_ascending(company, query):
    make_abc(company, "name")
    assert labels(company, query) == ["b", "c", "a"]


def test_sort_column_and_direction_are_case_insensitive(company):
    make_abc(company, "name")
    assert labels(company, "sort=Name|DESC") == ["a", "c", "b"]


def test_number_sorts_numbers_by_value(company):
    for number in ("x-10", "0010", "x-2", "0009", "100", "A-1"):
        ClientFactory.create(company=company, name=number, number=number)
    listed_numbers = [c.number for c in listed(company, "sort=number|asc")]
    assert listed_numbers == ["0009", "0010", "100", "A-1", "x-2", "x-10"]
    listed_desc = [c.number for c in listed(company, "sort=number|desc")]
    assert listed_desc == listed_numbers[::-1]


@pytest.mark.parametrize("column", ["balance", "name", "city", "number"])
def test_ties_are_broken_by_id_in_the_same_direction(company, column):
    same = {"balance": Decimal(7), "name": "Same", "city": "Oslo", "number": ""}
    tied = [
        ClientFactory.create(company=company, **{column: same[column]})
        for _ in range(3)
    ]
    ids = [c.pk for c in tied]
    assert [c.pk for c in listed(company, f"sort={column}|asc")] == ids
    assert [c.pk for c in listed(company, f"sort={column}|desc")] == ids[::-1]


@pytest.mark.parametrize("column", ["archived_at", "country_id"])
def test_null_sorts_first_ascending_and_last_descending(company, column):
    make_abc(company, column)
    unset = ClientFactory.create(company=company, private_notes="unset")
    Client.objects.filter(pk=unset.pk).update(**{column: None})
    assert labels(company, f"sort={column}|asc") == ["unset", "b", "c", "a"]
    assert labels(company, f"sort={column}|desc") == ["a", "c", "b", "unset"]


def test_sort_dir_gives_the_direction_when_sort_names_none(company):
    make_abc(company, "name")
    assert labels(company, "sort=name&sort_dir=desc") == ["a", "c", "b"]
    assert labels(company, "sort=name|&sort_dir=DESC") == ["a", "c", "b"]
    assert labels(company, "sort=name&sort_dir=asc") == ["b", "c", "a"]


def test_a_direction_in_sort_wins_over_sort_dir(company):
    make_abc(company, "name")
    assert labels(company, "sort=name|asc&sort_dir=desc") == ["b", "c", "a"]


def test_sort_dir_alone_applies_to_the_default_id_order(company):
    make_abc(company, "name")
    assert labels(company, "sort_dir=desc") == ["c", "b", "a"]


def test_a_bad_sort_dir_is_an_error_on_sort_dir(company):
    assert errors(company, "sort=name&sort_dir=up") == {
        "sort_dir": ["The sort dir must be asc or desc."]
    }


@pytest.mark.parametrize("value", ["name|up", "name|ascending", "id|1"])
def test_a_bad_direction_is_an_error_on_sort(company, value):
    assert errors(company, f"sort={value}") == {
        "sort": ["The sort direction must be asc or desc."]
    }


@pytest.mark.parametrize("value", ["name|asc|x", "name||", "a|b|c|d"])
def test_more_than_two_parts_is_an_error_on_sort(company, value):
    assert errors(company, f"sort={value}") == {
        "sort": [
            "The sort must be a column and a direction separated by |, e.g. name|desc."
        ]
    }


@pytest.mark.parametrize(
    "value",
    ["private_notes|asc", "bogus", "|desc", "contacts|asc", "number_sort", "-name"],
)
def test_an_unsortable_column_is_an_error_on_sort(company, value):
    messages = errors(company, f"sort={value}")["sort"]
    assert len(messages) == 1
    assert messages[0].startswith("The sort column `")
    assert "is not sortable" in messages[0]


def test_an_invalid_sort_falls_back_to_the_default_order_in_qs(company):
    make_abc(company, "name")
    invalid = filterset(company, "sort=bogus|asc")
    assert not invalid.is_valid()
    assert [c.private_notes for c in invalid.qs] == ["a", "b", "c"]
