from decimal import Decimal
from urllib.parse import urlencode

import pytest

from clients.api.filters import ClientFilterSet
from config.api.hashids import encode_id
from tests.clients_listing.support import filterset
from tests.factories import ClientFactory, ContactFactory, GroupSettingFactory

EVERY_FILTER = {
    "status": "active,archived",
    "name": "acme",
    "filter": "acme",
    "balance": "gt:10",
    "between_balance": "0:5000",
    "email": "billing@acme.test",
    "created_at": "2000-01-01",
    "updated_at": "946684800",
    "is_deleted": "false",
    "custom_value1": "gold",
    "sort": "number|desc",
}


def build(company, rows):
    group = GroupSettingFactory.create(company=company)
    for index in range(rows):
        client = ClientFactory.create(
            company=company,
            name=f"Acme {index}",
            balance=Decimal(100 + index),
            custom_value1="gold",
            group_settings=group,
        )
        for _ in range(3):
            ContactFactory.create(
                client=client, email="billing@acme.test", first_name="Acme"
            )
    return group


@pytest.mark.parametrize("rows", [1, 25])
def test_every_filter_at_once_is_one_query_whatever_the_row_count(
    company, django_assert_num_queries, rows
):
    group = build(company, rows)
    params = {**EVERY_FILTER, "group": encode_id(group.pk)}
    result = filterset(company, urlencode(params))
    with django_assert_num_queries(1):
        assert result.is_valid(), result.errors
        clients = list(result.qs)
    assert len(clients) == rows


@pytest.mark.parametrize("rows", [1, 25])
def test_counting_a_search_is_one_query(company, django_assert_num_queries, rows):
    build(company, rows)
    result = filterset(company, "filter=acme&email=BILLING@acme.test&sort=name|desc")
    with django_assert_num_queries(1):
        assert result.qs.count() == rows


def test_the_contacts_search_is_a_subquery_not_a_join(company):
    sql = str(filterset(company, "filter=x&email=y").qs.query).upper()
    assert " JOIN " not in sql
    assert "DISTINCT" not in sql
    assert sql.count("EXISTS") == 2


def test_every_filter_is_documented_for_the_schema():
    for name, declared in ClientFilterSet.base_filters.items():
        assert declared.extra.get("help_text"), name
