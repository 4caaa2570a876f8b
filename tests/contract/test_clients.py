"""The CRUD contract of `/api/v1/clients`."""

from typing import Any, ClassVar

from django.db.models import Model

from companies.models import Company
from tests.clients.test_output_shape import FIELDS
from tests.clients.test_query_counts import LIST, SHOW
from tests.contract.crud import CrudContract
from tests.factories import ClientFactory


class TestClientsContract(CrudContract):
    list_url = "/api/v1/clients"
    not_found_message = "Client not found"
    permission_entity = "client"
    shown_keys = frozenset(FIELDS)
    create_body: ClassVar[dict[str, Any]] = {
        "name": "Acme Ltd",
        "city": "Lisbon",
        "contacts": [{"first_name": "Ada", "email": "ada@example.com"}],
    }
    update_body: ClassVar[dict[str, Any]] = {
        "name": "Acme Renamed",
        "city": "Porto",
        "contacts": [{"first_name": "Grace", "email": "grace@example.com"}],
    }
    expected_after_create: ClassVar[dict[str, Any]] = {
        "name": "Acme Ltd",
        "city": "Lisbon",
        "is_deleted": False,
        "archived_at": 0,
    }
    expected_after_update: ClassVar[dict[str, Any]] = {
        "name": "Acme Renamed",
        "city": "Porto",
    }
    has_contacts = True
    delete_is_soft = True
    detail_methods = ("GET", "PUT", "PATCH", "DELETE")
    write_methods = ("PUT", "PATCH", "DELETE")
    list_queries = LIST
    show_queries = SHOW

    def make_row(self, company: Company) -> Model:
        client: Model = ClientFactory.create(company=company)
        return client
