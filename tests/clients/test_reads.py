"""The prepared client reads show clients exactly as `client_queryset` does."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from clients.api.outputs import client_representation
from clients.models import Client
from clients.selectors import (
    attach_contacts_and_documents,
    client_queryset,
    company_client,
    company_client_page,
)
from documents.models import Document
from tests.factories import ClientFactory, ContactFactory


def add_document(client: Client, name: str) -> Document:
    document: Document = Document.objects.create(
        company=client.company,
        owner_type=ContentType.objects.get_for_model(Client),
        owner_id=client.pk,
        name=name,
        type="pdf",
        hash="x" * 40 + ".pdf",
        path=f"k/documents/{name}",
    )
    return document


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
    add_document(made[0], "b.pdf")
    add_document(made[0], "a.pdf")
    return made


def shown_by_the_orm(company, pk):
    return client_representation(client_queryset(company=company).get(pk=pk), None)


def test_a_page_renders_as_the_orm_renders_it(company, clients):
    page, total = company_client_page(company=company, limit=20, offset=0)
    attach_contacts_and_documents(page)
    assert total == 3
    assert [client_representation(client, None) for client in page] == [
        shown_by_the_orm(company, client.pk) for client in clients
    ]


def test_one_client_renders_as_the_orm_renders_it(company, clients):
    for made in clients:
        client = company_client(company=company, pk=made.pk)
        assert client is not None
        attach_contacts_and_documents([client])
        assert client_representation(client, None) == shown_by_the_orm(company, made.pk)


def test_another_companys_client_is_not_found(company, clients, outsider):
    assert company_client(company=outsider.company, pk=clients[0].pk) is None
    assert company_client_page(company=outsider.company, limit=20, offset=0) == (
        [],
        0,
    )


def test_a_page_past_the_end_still_knows_the_total(company, clients):
    assert company_client_page(company=company, limit=2, offset=4) == ([], 3)
    assert company_client_page(company=company, limit=2, offset=2**63) == ([], 3)
