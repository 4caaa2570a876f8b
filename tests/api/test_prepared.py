"""Prepared queries: the ORM's SQL compiled once, run with new values.

The tests run with the prepared reads and with PREPARED_READS off (the same
querysets through the ORM), except those of the compilation itself
(`prepared_only`).
"""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from clients.models import Client
from companies.models import Company
from config.prepared import (
    ROUTERS_REFUSED,
    ColumnsOver,
    PreparedQuery,
    PreparedRead,
    attnames,
    instance_from_row,
    keys_query,
)
from contacts.models import ClientContact
from tests.factories import ClientFactory, CompanyFactory, ContactFactory

pytestmark = pytest.mark.django_db


def names_of(company_id: int) -> QuerySet:
    return (
        Client.objects.filter(company_id=company_id).order_by("id").values_list("name")
    )


def test_it_runs_the_same_sql_with_new_values(prepared_only):
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


def test_list_lengths_share_power_of_two_shapes(prepared_only):
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


def test_a_parameter_that_never_reaches_the_sql_is_refused(prepared_only):
    query = PreparedQuery(lambda company_id: Client.objects.values_list("pk"))
    with pytest.raises(ValueError, match="company_id"):
        query.rows(company_id=1)


def test_a_sliced_queryset_is_refused(prepared_only):
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


def test_both_ways_give_the_same_rows(settings):
    company = CompanyFactory.create()
    for name in "abc":
        ClientFactory.create(company=company, name=name)
    query = PreparedQuery(names_of, paged=True)
    settings.PREPARED_READS = True
    prepared = query.rows(company_id=company.pk, limit=2, offset=1)
    settings.PREPARED_READS = False
    assert query.rows(company_id=company.pk, limit=2, offset=1) == prepared
    assert prepared == [["b"], ["c"]]


def test_switched_off_nothing_is_compiled(settings):
    settings.PREPARED_READS = False
    company = CompanyFactory.create()
    ClientFactory.create(company=company, name="Ada")
    query = PreparedQuery(names_of)
    assert query.rows(company_id=company.pk) == [["Ada"]]
    assert query._compiled == {}


def test_an_empty_list_answers_no_rows_without_a_query(django_assert_num_queries):
    ClientFactory.create()
    query = PreparedQuery(
        lambda ids: Client.objects.filter(pk__in=ids).order_by("id").values_list("pk")
    )
    with django_assert_num_queries(0):
        assert query.rows(ids=[]) == []
    assert query._compiled == {}
    read = PreparedRead(Client, lambda ids: Client.objects.filter(pk__in=ids))
    with django_assert_num_queries(0):
        assert read(ids=[]) == []


def test_an_instance_needs_exactly_its_columns():
    columns = attnames(Client)
    row = list(range(len(columns)))
    with pytest.raises(ValueError):
        instance_from_row(Client, columns, [*row, "annotation"])
    with pytest.raises(ValueError):
        instance_from_row(Client, columns, row[:-1])


def test_a_read_sets_its_annotations_as_attributes():
    client = ClientFactory.create()
    ContactFactory.create(client=client)
    other = ClientFactory.create(company=client.company)
    read = PreparedRead(
        Client,
        lambda company_id: Client.objects.filter(company_id=company_id)
        .annotate(
            with_contacts=Exists(ClientContact.objects.filter(client=OuterRef("pk")))
        )
        .order_by("id"),
        annotations=("with_contacts",),
    )
    first, second = read(company_id=client.company_id)
    assert (first, second) == (client, other)
    assert [vars(row)["with_contacts"] for row in (first, second)] == [True, False]
    assert first.name == client.name and first._state.adding is False


def test_a_paged_read_takes_limit_and_offset():
    company = CompanyFactory.create()
    made = [ClientFactory.create(company=company) for _ in range(4)]
    read = PreparedRead(
        Client,
        lambda company_id: Client.objects.filter(company_id=company_id).order_by("id"),
        paged=True,
    )
    assert read(company_id=company.pk, limit=2, offset=1) == made[1:3]


def test_database_routers_are_refused_at_first_use(settings, prepared_only):
    settings.DATABASE_ROUTERS = ["tests.api.test_prepared.Router"]
    query = PreparedQuery(names_of)
    with pytest.raises(ImproperlyConfigured, match="DATABASE_ROUTERS") as refused:
        query.rows(company_id=1)
    assert str(refused.value) == ROUTERS_REFUSED


def test_routers_work_with_the_prepared_reads_switched_off(settings):
    settings.DATABASE_ROUTERS = ["tests.api.test_prepared.Router"]
    settings.PREPARED_READS = False
    company = CompanyFactory.create()
    ClientFactory.create(company=company, name="Ada")
    assert PreparedQuery(names_of).rows(company_id=company.pk) == [["Ada"]]


def _with_contacts(queryset: QuerySet, minimum: int) -> QuerySet:
    contacts = ClientContact.objects.filter(client=OuterRef("pk"))
    return queryset.annotate(
        with_contacts=Exists(contacts), over=Exists(contacts.filter(id__gte=minimum))
    )


COLUMNS = ColumnsOver(Client, _with_contacts, annotations=("with_contacts", "over"))


def test_columns_over_any_filtered_and_sorted_list_read_what_the_orm_reads(
    prepared_only,
):
    company = CompanyFactory.create()
    made = [
        ClientFactory.create(company=company, balance=Decimal(balance), name=name)
        for balance, name in [(5, "e"), (300, "b"), (300, "a"), (40, "d"), (900, "c")]
    ]
    ContactFactory.create(client=made[1])
    ClientFactory.create(balance=Decimal(1000))  # another company's
    listings = [
        Client.objects.filter(company=company, balance__gt=10).order_by(
            "-balance", "id"
        ),
        Client.objects.filter(company=company).order_by("name"),
        Client.objects.filter(company=company).order_by("-id"),  # `ORDER BY` the key
        Client.objects.filter(company=company, contacts__isnull=False),  # a join
        Client.objects.filter(company=company).filter(
            Exists(ClientContact.objects.filter(client=OuterRef("pk")))
        ),
    ]
    for listed in listings:
        keys = keys_query(listed)
        assert keys is not None
        for offset in (0, 1, 4, 9):
            read = COLUMNS(keys, limit=2, offset=offset, minimum=0)
            expected = list(_with_contacts(listed, 0)[offset : offset + 2])
            assert read == expected
            assert [_shown(row) for row in read] == [_shown(row) for row in expected]
    joined = keys_query(listings[3])
    assert joined is not None
    [first] = COLUMNS(joined, limit=5, offset=0, minimum=10**9)
    assert (first, vars(first)["with_contacts"], vars(first)["over"]) == (
        made[1],
        True,
        False,
    )


def _shown(row: Client) -> tuple[Any, ...]:
    flags = vars(row)
    return (row.name, row.balance, flags["with_contacts"], flags["over"])


def test_a_list_that_cant_take_other_columns_is_left_to_the_orm(
    prepared_only, settings
):
    clients = Client.objects.all()
    assert keys_query(clients.distinct()) is None
    assert keys_query(clients[:5]) is None
    assert keys_query(clients.filter(pk__in=[])) is None  # no row can match
    assert keys_query(clients.union(clients)) is None
    settings.PREPARED_READS = False
    assert keys_query(clients) is None


class Router:
    """A router that routes nothing (the default database answers)."""
