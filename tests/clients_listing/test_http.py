"""The real `GET /api/v1/clients` with the listing parameters."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator

from clients.api.filters import ClientFilterSet
from clients.models import Client
from tests.factories import ClientFactory, ContactFactory

URL = "/api/v1/clients"


def names(response):
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["data"]]


def test_balance_gt_lists_the_right_rows(api, company):
    ClientFactory.create(company=company, name="Rich", balance=Decimal(50))
    ClientFactory.create(company=company, name="Poor", balance=Decimal(5))
    ClientFactory.create(company=company, name="Even", balance=Decimal(10))
    response = api.get(URL, {"balance": "gt:10"})
    assert names(response) == ["Rich"]
    assert response.json()["meta"]["pagination"]["total"] == 1


def test_a_malformed_balance_answers_422_on_balance(api, company):
    response = api.get(URL, {"balance": "abc"})
    assert response.status_code == 422
    assert response.json() == {
        "message": "The given data was invalid.",
        "errors": {
            "balance": [
                "The balance must be an operator (lt, lte, gt, gte or eq) and a "
                "number separated by a colon, e.g. gt:1000."
            ]
        },
    }


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("status=gone", "status"),
        ("sort=private_notes|asc", "sort"),
        ("sort=name|up", "sort"),
        ("between_balance=1", "between_balance"),
        ("created_at=soon", "created_at"),
        ("is_deleted=maybe", "is_deleted"),
        ("sort_dir=up", "sort_dir"),
    ],
)
def test_every_malformed_parameter_answers_422_keyed_by_it(api, company, query, key):
    response = api.get(f"{URL}?{query}")
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [key]


def test_status_and_sort_shape_the_page(api, company):
    for name in ("b", "a", "c", "gone"):
        ClientFactory.create(company=company, name=name)
    Client.objects.filter(name="gone").soft_delete()
    response = api.get(URL, {"status": "active", "sort": "name|desc", "per_page": 2})
    assert names(response) == ["c", "b"]
    assert response.json()["meta"]["pagination"]["total"] == 3
    assert names(api.get(URL)) == ["b", "a", "c", "gone"]


def test_filter_lists_a_client_once_across_matching_contacts(api, company):
    client = ClientFactory.create(company=company, name="Acme")
    for _ in range(3):
        ContactFactory.create(client=client, first_name="Needle")
    ClientFactory.create(company=company, name="Other")
    response = api.get(URL, {"filter": "needle"})
    assert names(response) == ["Acme"]
    assert response.json()["meta"]["pagination"]["total"] == 1


def test_filters_apply_within_what_a_restricted_user_may_see(company, make_member):
    restricted = make_member(company, is_owner=False, is_admin=False)
    user = restricted.membership.user
    ClientFactory.create(company=company, name="Mine rich", user=user, balance=50)
    ClientFactory.create(company=company, name="Mine poor", user=user, balance=1)
    ClientFactory.create(company=company, name="Theirs rich", balance=50)
    assert names(restricted.api.get(URL, {"balance": "gte:10"})) == ["Mine rich"]
    assert names(restricted.api.get(URL, {"filter": "theirs"})) == []


def test_other_companies_clients_never_match(api, company, outsider):
    foreign = ClientFactory.create(company=outsider.company, name="Needle", balance=99)
    ContactFactory.create(client=foreign, email="needle@example.com")
    for query in ("filter=needle", "email=needle@example.com", "balance=gt:10"):
        assert names(api.get(f"{URL}?{query}")) == []


def filtered_list_queries(api, rows_wanted):
    query = {
        "filter": "acme",
        "email": "billing@acme.test",
        "balance": "gt:0",
        "status": "active",
        "sort": "number|desc",
    }
    with CaptureQueriesContext(connection) as captured:
        response = api.get(URL, query)
    assert response.status_code == 200, response.content
    assert len(response.json()["data"]) == rows_wanted
    return len(captured)


def test_the_filtered_list_query_count_does_not_grow_with_rows(
    api, company, django_assert_max_num_queries
):
    def add_clients(count):
        for _ in range(count):
            client = ClientFactory.create(company=company, name="Acme", balance=5)
            ContactFactory.create(client=client, email="billing@acme.test")
            ContactFactory.create(client=client, email="other@acme.test")

    add_clients(1)
    api.get(URL)  # the token's first use of the minute writes last_used_at
    few = filtered_list_queries(api, 1)
    add_clients(14)
    many = filtered_list_queries(api, 15)
    assert many == few
    with django_assert_max_num_queries(5):
        filtered_list_queries(api, 15)


def test_the_clients_list_schema_documents_every_filter(db):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    (operation,) = [
        item["get"] for path, item in schema["paths"].items() if path.rstrip("/") == URL
    ]
    described = {p["name"]: p.get("description") for p in operation["parameters"]}
    for name, declared in ClientFilterSet.base_filters.items():
        assert described[name] == declared.extra["help_text"], name
