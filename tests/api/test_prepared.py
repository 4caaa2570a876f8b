"""Prepared queries: the ORM's SQL compiled once, run with new values."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db.models import QuerySet
from django.utils import timezone

from clients.models import Client
from companies.models import Company
from config.api.prepared import PreparedQuery, attnames, instance_from_row
from tests.factories import ClientFactory, CompanyFactory

pytestmark = pytest.mark.django_db


def names_of(company_id: int) -> QuerySet:
    return (
        Client.objects.filter(company_id=company_id).order_by("id").values_list("name")
    )


def test_it_runs_the_same_sql_with_new_values():
    first, second = CompanyFactory.create(), CompanyFactory.create()
    ClientFactory.create(company=first, name="Ada")
    ClientFactory.create(company=second, name="Grace")
    query = PreparedQuery(names_of)
    assert query.rows(company_id=first.pk) == [["Ada"]]
    assert query.rows(company_id=second.pk) == [["Grace"]]
    assert len(query._compiled) == 1


def test_a_paged_query_takes_limit_and_offset():
    company = CompanyFactory.create()
    for name in "abcde":
        ClientFactory.create(company=company, name=name)
    query = PreparedQuery(names_of, paged=True)
    assert query.rows(company_id=company.pk, limit=2, offset=1) == [["b"], ["c"]]
    assert query.rows(company_id=company.pk, limit=2, offset=4) == [["e"]]
    assert query.rows(company_id=company.pk, limit=2, offset=9) == []


@pytest.mark.parametrize("length", [1, 2, 3, 5, 8, 9])
def test_a_list_parameter_matches_exactly_its_values(length):
    company = CompanyFactory.create()
    clients = [ClientFactory.create(company=company) for _ in range(10)]
    query = PreparedQuery(
        lambda ids: Client.objects.filter(pk__in=ids).order_by("id").values_list("pk")
    )
    wanted = [client.pk for client in clients[:length]]
    assert query.rows(ids=wanted) == [[pk] for pk in wanted]


def test_list_lengths_share_power_of_two_shapes():
    query = PreparedQuery(lambda ids: Client.objects.filter(pk__in=ids).values("pk"))
    for length in (3, 4, 5, 7, 8):
        query.rows(ids=list(range(1, length + 1)))
    assert len(query._compiled) == 2  # 4 and 8


def test_a_string_parameter_is_bound():
    company = CompanyFactory.create()
    ClientFactory.create(company=company, name="Ada", number="0042")
    query = PreparedQuery(
        lambda number: Client.objects.filter(number=number).values_list("name")
    )
    assert query.rows(number="0042") == [["Ada"]]
    assert query.rows(number="0042' OR '1'='1") == []


def test_a_parameter_that_never_reaches_the_sql_is_refused():
    query = PreparedQuery(lambda company_id: Client.objects.values_list("pk"))
    with pytest.raises(ValueError, match="company_id"):
        query.rows(company_id=1)


def test_a_sliced_queryset_is_refused():
    query = PreparedQuery(lambda company_id: names_of(company_id)[:5])
    with pytest.raises(ValueError, match="sliced"):
        query.rows(company_id=1)


def test_columns_come_back_converted_as_the_orm_gives_them():
    archived = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)
    client = ClientFactory.create(
        balance=Decimal("12.345"),
        archived_at=archived,
        is_tax_exempt=True,
        settings={"currency_id": "1", "nested": {"a": [1, 2]}},
    )
    query = PreparedQuery(
        lambda pk: Client.objects.filter(pk=pk).values_list(*attnames(Client))
    )
    [row] = query.rows(pk=client.pk)
    orm = Client.objects.get(pk=client.pk)
    fresh = instance_from_row(Client, attnames(Client), row)
    for name in attnames(Client):
        assert getattr(fresh, name) == getattr(orm, name), name
        assert type(getattr(fresh, name)) is type(getattr(orm, name)), name
    assert fresh.archived_at == archived
    assert timezone.is_aware(fresh.created_at)


def test_an_instance_from_a_row_is_a_saved_instance():
    client = ClientFactory.create(name="Ada")
    query = PreparedQuery(
        lambda pk: Client.objects.filter(pk=pk).values_list(*attnames(Client))
    )
    fresh = instance_from_row(Client, attnames(Client), query.rows(pk=client.pk)[0])
    assert fresh._state.adding is False
    assert fresh == client
    assert isinstance(fresh.company, Company)
    fresh.name = "Grace"
    fresh.save(update_fields=["name"])
    assert Client.objects.get(pk=client.pk).name == "Grace"


def test_a_value_of_another_type_is_refused():
    query = PreparedQuery(names_of)
    with pytest.raises(TypeError, match="company_id"):
        query.rows(company_id=Decimal(1))
