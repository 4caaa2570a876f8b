"""`GET /api/v1/clients?after=`: keyset pages for full exports."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from clients.models import Client
from tests.factories import ClientFactory, ContactFactory

URL = "/api/v1/clients"


def export(api, **params):
    """Every row of a keyset export, page by page; and the pages' query counts."""
    rows, counts, after = [], [], ""
    while True:
        with CaptureQueriesContext(connection) as queries:
            response = api.get(URL, {"per_page": 3, "after": after, **params})
        assert response.status_code == 200, response.content
        counts.append(len(queries))
        body = response.json()
        rows += body["data"]
        after = body["meta"]["pagination"]["next_after"]
        if not after:
            return rows, counts


def test_an_export_lists_every_client_once_with_contacts(api, company):
    made = [ClientFactory.create(company=company) for _ in range(10)]
    for client in made:
        ContactFactory.create(client=client)
    rows, _ = export(api)
    assert [row["name"] for row in rows] == [client.name for client in made]
    assert all(len(row["contacts"]) == 1 for row in rows)


def test_an_export_applies_the_filters(api, company):
    for index in range(8):
        ClientFactory.create(company=company, balance=Decimal(index))
    rows, _ = export(api, balance="gte:3")
    assert [row["balance"] for row in rows] == [3, 4, 5, 6, 7]


def test_every_page_of_an_export_costs_the_same(api, company):
    for _ in range(12):
        ContactFactory.create(client=ClientFactory.create(company=company))
    api.get(URL)
    _, counts = export(api)
    assert len(counts) == 5  # 3, 3, 3, 3 and an empty last page
    assert len(set(counts[:-1])) == 1


def test_an_export_shows_nothing_of_another_company(api, company, outsider):
    ClientFactory.create(company=company)
    theirs = ClientFactory.create(company=outsider.company)
    rows, _ = export(outsider.api)
    assert [row["name"] for row in rows] == [theirs.name]
    assert Client.objects.count() == 2
