"""Fixtures for the documents tests: a temporary media root and file builders."""

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from clients.models import Client
from companies.models import Company
from documents.files import content_type_for
from documents.models import Document
from documents.services import documents_folder, new_stored_name
from tests.factories import ClientFactory


@pytest.fixture
def client_row(company: Company) -> Client:
    return ClientFactory.create(company=company)


def stored_files(root: Path) -> list[Path]:
    """Every file under a media root."""
    return sorted(path for path in root.rglob("*") if path.is_file())


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (3, 2)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(buffer, format=fmt)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in (members or {"a.txt": b"hello"}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600


def upload(name: str, content: bytes, content_type: str = "") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, content, content_type=content_type or "application/octet-stream"
    )


@pytest.fixture
def make_upload() -> Callable[..., SimpleUploadedFile]:
    return upload


def stored_document(
    client: Client, name: str = "a.pdf", content: bytes = PDF, **fields: Any
) -> Document:
    """A document of `client` whose file really is in `default_storage`."""
    extension = name.rsplit(".", 1)[1]
    path = default_storage.save(
        f"{documents_folder(client.company)}/{new_stored_name(extension)}",
        ContentFile(content),
    )
    values: dict[str, Any] = {
        "company": client.company,
        "owner_type": ContentType.objects.get_for_model(Client),
        "owner_id": client.pk,
        "name": name,
        "type": extension,
        "hash": path.rsplit("/", 1)[1],
        "path": path,
        "size": len(content),
        "content_type": content_type_for(extension),
        **fields,
    }
    document: Document = Document.objects.create(**values)
    return document


@pytest.fixture
def make_document(media: Path) -> Callable[..., Document]:
    return stored_document
