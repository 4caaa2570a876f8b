"""The client selectors show clients exactly as a plain ORM read does.

Every test runs with the prepared reads and with PREPARED_READS off (the
`prepared_reads` parametrisation in tests/conftest.py).
"""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from clients.api.filters import ClientFilterSet
from clients.api.outputs import client_representation
from clients.models import Client
from clients.selectors import client_get, client_page, clients_of
from config.api.pagination import KeysetPage, Page, PageWindow
from tests.factories import ClientFactory, ContactFactory, client_document

FIRST_PAGE = PageWindow(per_page=20)


@pytest.fixture
def clients(company):
    """Three clients: contacts (one deleted), documents, money, times, settings."""
    made = [
        ClientFactory.create(
            company=company,
            balance=Decimal("1234.5"),
            paid_to_date=Decimal("0.000001"),
            archived_at=timezone.now() if index == 1 else None,
            is_deleted=index == 2,
            settings={"currency_id": "1", "payment_terms": 7},
        )
        for index in range(3)
    ]
    ContactFactory.create(client=made[0], is_primary=False)
    ContactFactory.create(client=made[0], is_primary=True)
    ContactFactory.create(client=made[0], is_deleted=True)
    ContactFactory.create(client=made[1], first_name="", last_name="", email="x@y.z")
    client_document(made[0], "b.pdf")
    client_document(made[0], "a.pdf")
    return made


def shown_by_the_orm(pk, includes=()):
    """The representation of a client the plain ORM loaded (it then reads its
    contacts and documents itself)."""
    return client_representation(Client.objects.get(pk=pk), None, includes)


def shown(clients, includes=()):
    return [client_representation(client, None, includes) for client in clients]


def test_a_page_renders_as_the_orm_renders_it(company, clients):
    page = client_page(company=company, membership=None, window=FIRST_PAGE)
    assert isinstance(page, Page)
    assert page.total == 3
    assert shown(page.rows) == [shown_by_the_orm(client.pk) for client in clients]


def test_one_client_renders_as_the_orm_renders_it(company, clients):
    for made in clients:
        client = client_get(company=company, pk=made.pk)
        assert client is not None
        assert client_representation(client, None) == shown_by_the_orm(made.pk)


def test_includes_render_as_the_orm_renders_them(company, clients):
    includes = frozenset({"activities", "group_settings", "ledger"})
    page = client_page(
        company=company, membership=None, window=FIRST_PAGE, includes=includes
    )
    expected = [shown_by_the_orm(client.pk, includes) for client in clients]
    assert shown(page.rows, includes) == expected
    one = client_get(company=company, pk=clients[0].pk, includes=includes)
    assert shown([one], includes) == expected[:1]


def test_another_companys_client_is_not_found(company, clients, outsider):
    assert client_get(company=outsider.company, pk=clients[0].pk) is None
    page = client_page(company=outsider.company, membership=None, window=FIRST_PAGE)
    assert page == Page([], 0)


def test_a_page_past_the_end_still_knows_the_total(company, clients):
    past = PageWindow(per_page=2, page=3)
    assert client_page(company=company, membership=None, window=past) == Page([], 3)
    far = PageWindow(per_page=5000, page=2**53 - 1)
    assert client_page(company=company, membership=None, window=far) == Page([], 3)


def test_a_member_sees_only_their_clients(make_member, company, clients):
    member = make_member(company, is_owner=False, is_admin=False)
    Client.objects.filter(pk=clients[1].pk).update(assigned_user=member.membership.user)
    membership = member.membership
    page = client_page(company=company, membership=membership, window=FIRST_PAGE)
    assert page == Page([clients[1]], 1)
    assert client_get(company=company, membership=membership, pk=clients[0].pk) is None
    found = client_get(company=company, membership=membership, pk=clients[1].pk)
    assert found is not None and found.pk == clients[1].pk


def test_a_filtered_list_is_shaped_and_counted(company, clients):
    filters = ClientFilterSet(
        {"status": "active,archived", "sort": "id|desc"},
        queryset=clients_of(company=company),
    )
    assert filters.is_valid()
    page = client_page(
        company=company, membership=None, window=FIRST_PAGE, filtered=filters.qs
    )
    assert page == Page(page.rows, 2)
    expected = [shown_by_the_orm(client.pk) for client in clients[1::-1]]
    assert shown(page.rows) == expected


def test_a_keyset_page_names_the_next_after(company, clients):
    window = PageWindow(per_page=2, after=0)
    page = client_page(company=company, membership=None, window=window)
    assert isinstance(page, KeysetPage)
    assert [client.pk for client in page.rows] == [clients[0].pk, clients[1].pk]
    last = PageWindow(per_page=2, after=clients[1].pk)
    rest = client_page(company=company, membership=None, window=last)
    assert rest == KeysetPage(rest.rows, "")
    assert shown(rest.rows) == [shown_by_the_orm(clients[2].pk)]


def test_a_bulk_answer_pages_its_ids_without_counting(
    company, clients, django_assert_num_queries
):
    ids = [clients[0].pk, clients[2].pk]
    window = PageWindow(per_page=1, page=2)
    with django_assert_num_queries(2):  # the page's client, its contacts
        page = client_page(company=company, membership=None, window=window, ids=ids)
    assert page == Page(page.rows, 2)
    assert shown(page.rows) == [shown_by_the_orm(clients[2].pk)]


def test_the_whole_company_page_is_one_query_with_its_contacts(
    company, clients, django_assert_num_queries
):
    ContentType.objects.get_for_model(Client)
    # clients[0] has documents: one query more for them.
    with django_assert_num_queries(3):
        client_page(company=company, membership=None, window=FIRST_PAGE)
    with django_assert_num_queries(2):
        client_get(company=company, pk=clients[1].pk)
