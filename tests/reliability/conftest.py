"""Fixtures of the reliability tests: two companies full of rows, a temporary
media root, in-process WSGI calls, and snapshots to prove nothing changed."""

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.forms.models import model_to_dict
from PIL import Image

from clients.models import Activity, Client, ClientTag, GroupSetting, LedgerEntry, Tag
from clients.services.logos import client_logo_set
from clients.services.tags import client_tags_set
from companies.models import Company
from config.api.hashids import encode_id
from contacts.models import ClientContact
from documents.files import content_type_for
from documents.models import Document
from documents.services import documents_folder, new_stored_name
from tests.conftest import Member
from tests.factories import ClientFactory, ContactFactory, GroupSettingFactory
from webhooks.events import CLIENT_EVENTS
from webhooks.models import Webhook

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
SNAPSHOT_MODELS: tuple[type[Any], ...] = (
    Client,
    ClientContact,
    Document,
    GroupSetting,
    Activity,
    LedgerEntry,
    Webhook,
)


def png_bytes(size: tuple[int, int] = (3, 2)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(buffer, format="PNG")
    return buffer.getvalue()


def stored_files(root: Path) -> list[str]:
    """Every file under a media root, relative, with its size."""
    return sorted(
        f"{path.relative_to(root)}:{path.stat().st_size}"
        for path in root.rglob("*")
        if path.is_file()
    )


def stored_document(
    client: Client, name: str = "a.pdf", content: bytes = PDF
) -> Document:
    """A document of `client` whose file really is in `default_storage`."""
    extension = name.rsplit(".", 1)[1]
    path = default_storage.save(
        f"{documents_folder(client.company)}/{new_stored_name(extension)}",
        ContentFile(content),
    )
    document: Document = Document.objects.create(
        company=client.company,
        owner_type=ContentType.objects.get_for_model(Client),
        owner_id=client.pk,
        name=name,
        type=extension,
        hash=path.rsplit("/", 1)[1],
        path=path,
        size=len(content),
        content_type=content_type_for(extension),
    )
    return document


def fields_of(row: Any) -> Any:
    return row._meta.concrete_fields


def snapshot(company: Company | None = None) -> dict[str, list[dict[str, Any]]]:
    """Every field of every row of the snapshot models (of one company, or all)."""
    result: dict[str, list[dict[str, Any]]] = {}
    companies = Company.objects.order_by("pk")
    if company is not None:
        companies = companies.filter(pk=company.pk)
    # The client-number counter lives in the company's settings.
    result["Company"] = [model_to_dict(row) for row in companies]
    for model in SNAPSHOT_MODELS:
        rows = model.objects.all()
        if company is not None:
            rows = rows.filter(company=company)
        result[model.__name__] = [
            {
                **model_to_dict(row),
                # model_to_dict leaves out the fields that are not editable.
                **{f.attname: f.value_from_object(row) for f in fields_of(row)},
                "pk": row.pk,
                "updated": getattr(row, "updated_at", None),
            }
            for row in rows.order_by("pk")
        ]
    links = ClientTag.objects.order_by("pk")
    tags = Tag.objects.order_by("pk")
    if company is not None:
        links = links.filter(client__company=company)
        tags = tags.filter(company=company)
    result["ClientTag"] = [model_to_dict(row) for row in links]
    result["Tag"] = [{**model_to_dict(row), "key": row.key} for row in tags]
    return result


@dataclass
class Tenant:
    """A company's owner and a few rows of every kind, with their hashids."""

    member: Member
    clients: list[Client] = field(default_factory=list)
    contacts: list[ClientContact] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    groups: list[GroupSetting] = field(default_factory=list)
    webhooks: list[Webhook] = field(default_factory=list)

    @property
    def company(self) -> Company:
        return self.member.company

    @property
    def tag(self) -> str:
        """A tag of this company's clients that no other company has."""
        return f"{self.company.name} tag"

    @property
    def client_id(self) -> str:
        return encode_id(self.clients[0].pk)

    @property
    def contact_id(self) -> str:
        return encode_id(self.contacts[0].pk)

    @property
    def document_id(self) -> str:
        return encode_id(self.documents[0].pk)

    @property
    def group_id(self) -> str:
        return encode_id(self.groups[0].pk)

    @property
    def webhook_id(self) -> str:
        return encode_id(self.webhooks[0].pk)


def populate(member: Member, name: str) -> Tenant:
    """Two clients in a group, with contacts, a document each and activities; the
    first has a logo."""
    tenant = Tenant(member=member)
    company = member.company
    company.name = name
    company.save(update_fields=["name"])
    group = GroupSettingFactory.create(company=company, name=f"{company.name} group")
    tenant.groups.append(group)
    for index in range(2):
        client = ClientFactory.create(
            company=company,
            group_settings=group,
            name=f"{company.name} client {index}",
            user=member.membership.user,
        )
        tenant.clients.append(client)
        tenant.contacts.append(
            ContactFactory.create(
                client=client,
                email=f"contact{client.pk}@{name.split()[0].lower()}.example",
                phone=f"+1-555-{client.pk:04d}",
            )
        )
        tenant.documents.append(stored_document(client))
        if index == 0:
            client_logo_set(
                client=client,
                user=None,
                upload=SimpleUploadedFile("logo.png", png_bytes((40, 20))),
            )
        client_tags_set(client=client, names=[tenant.tag, "shared"])
        Activity.objects.create(
            company=company, client=client, activity_type_id=Activity.CREATE_CLIENT
        )
        LedgerEntry.objects.create(
            company=company,
            client=client,
            notes="opening",
            adjustment=Decimal(0),
            balance=Decimal(0),
        )
    # Subscribed to every client event: a write of another company's must not
    # give these a delivery.
    for event in CLIENT_EVENTS:
        tenant.webhooks.append(
            Webhook.objects.create(
                company=company,
                event_id=event.id,
                target_url=f"https://{name.split()[0].lower()}.example.com/hook",
                headers={"X-Tenant": f"{name} header"},
            )
        )
    return tenant


@pytest.fixture
def tenant_a(owner: Member, media: Path) -> Tenant:
    return populate(owner, "Alpha Industries")


@pytest.fixture
def tenant_b(outsider: Member, media: Path) -> Tenant:
    return populate(outsider, "Beta Works")


@pytest.fixture
def wsgi_app() -> Iterator[Callable[..., Any]]:
    """Django's real WSGI handler, kept on the test's database connection.

    Like Django's test client, it stops the request signals from closing the
    connection, which would end the test's transaction.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
