"""ClientFilterSet behind the shared filter backend, on a bare list view."""

from decimal import Decimal

import pytest
from drf_spectacular.generators import SchemaGenerator

from clients.api.filters import ClientFilterSet
from tests.factories import ClientFactory

pytestmark = pytest.mark.urls("tests.clients_listing.urls")
URL = "/api/v1/test-client-listing"


def test_a_filtered_list_answers_the_matching_rows(api, company):
    ClientFactory.create(company=company, name="Rich", balance=Decimal(50))
    ClientFactory.create(company=company, name="Poor", balance=Decimal(5))
    response = api.get(URL, {"balance": "gt:10"})
    assert response.status_code == 200
    assert [row["name"] for row in response.json()["data"]] == ["Rich"]
    assert response.json()["meta"]["pagination"]["total"] == 1


def test_a_malformed_filter_answers_422_keyed_by_the_parameter(api, company):
    response = api.get(URL, {"balance": "abc", "sort": "name|sideways"})
    assert response.status_code == 422
    assert response.json() == {
        "message": "The given data was invalid.",
        "errors": {
            "balance": [
                "The balance must be an operator (lt, lte, gt, gte or eq) and a "
                "number separated by a colon, e.g. gt:1000."
            ],
            "sort": ["The sort direction must be asc or desc."],
        },
    }


def test_the_list_is_sorted_and_pages_are_stable(api, company):
    for name in ("b", "a", "b", "c"):
        ClientFactory.create(company=company, name=name)
    first = api.get(URL, {"sort": "name|desc", "per_page": 5, "page": 1}).json()
    second = api.get(URL, {"sort": "name|desc", "per_page": 5, "page": 2}).json()
    assert [row["name"] for row in first["data"]] == ["c", "b", "b", "a"]
    assert second["data"] == []


def test_another_companys_clients_are_never_listed(api, company, outsider):
    ClientFactory.create(company=outsider.company, name="Foreign", balance=100)
    assert api.get(URL, {"balance": "gt:10"}).json()["data"] == []
    assert api.get(URL, {"filter": "foreign"}).json()["data"] == []


def test_the_schema_documents_every_filter(db):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    (operation,) = [
        item["get"] for path, item in schema["paths"].items() if path.rstrip("/") == URL
    ]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    for name, declared in ClientFilterSet.base_filters.items():
        assert parameters[name]["description"] == declared.extra["help_text"]
        assert parameters[name]["in"] == "query"
    assert parameters["is_deleted"]["schema"]["type"] == "boolean"
    assert parameters["sort"]["schema"]["type"] == "string"
