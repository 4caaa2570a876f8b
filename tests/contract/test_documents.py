"""The CRUD contract of `/api/v1/documents`.

Documents differ from the other resources in two ways, both declared here:
they are created by uploading files to a client (`/api/v1/clients/{id}/upload`),
not by a POST to their list, and deleting one removes it (row and file) instead of
marking it deleted.
"""

from typing import Any, ClassVar

import pytest
from django.db.models import Model

from companies.models import Company
from config.api.hashids import encode_id
from tests.conftest import Member
from tests.contract.base import HttpAnswer
from tests.contract.crud import CrudContract
from tests.documents.conftest import PDF, stored_document, upload
from tests.documents.test_document_endpoints import DOCUMENT_KEYS
from tests.factories import ClientFactory

TOKEN = 1
LIST_QUERIES = TOKEN + 2  # count, page
SHOW_QUERIES = TOKEN + 1


@pytest.mark.usefixtures("media")
class TestDocumentsContract(CrudContract):
    list_url = "/api/v1/documents"
    not_found_message = "Document not found"
    # Documents follow the permissions of the clients they belong to.
    permission_entity = "client"
    shown_keys = frozenset(DOCUMENT_KEYS)
    upload_name = "contract.pdf"
    create_body: ClassVar[dict[str, Any]] = {"is_public": "0"}
    update_body: ClassVar[dict[str, Any]] = {"name": "renamed.pdf", "is_public": False}
    expected_after_create: ClassVar[dict[str, Any]] = {
        "name": "contract.pdf",
        "type": "pdf",
        "size": len(PDF),
        "is_public": False,
        "is_deleted": False,
        "archived_at": 0,
    }
    expected_after_update: ClassVar[dict[str, Any]] = {
        "name": "renamed.pdf",
        "is_public": False,
    }
    has_contacts = False
    delete_is_soft = False
    list_queries = LIST_QUERIES
    show_queries = SHOW_QUERIES

    def make_row(self, company: Company) -> Model:
        document: Model = stored_document(ClientFactory.create(company=company))
        return document

    def post_create(self, member: Member) -> HttpAnswer:
        """Upload one file to a new client of the member's company."""
        client = ClientFactory.create(company=member.company)
        response: HttpAnswer = member.api.put(
            f"/api/v1/clients/{encode_id(client.pk)}/upload",
            {"documents[]": [upload(self.upload_name, PDF)], **self.create_body},
            format="multipart",
        )
        return response

    def created_row(self, response: HttpAnswer) -> dict[str, Any]:
        """The upload answers the client; the new document is among its documents."""
        (document,) = response.json()["data"]["documents"]
        row: dict[str, Any] = document
        return row

    def test_the_list_takes_no_post(self, api: Any) -> None:
        response = api.post(self.list_url, {"name": "x.pdf"}, format="json")
        assert response.status_code == 405
        assert response.json() == {
            "message": 'Method "POST" not allowed.',
            "errors": {},
        }
        assert self.total(api) == 0
