"""The document object as the API answers it, with its download URL."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from rest_framework.request import Request

from config.api.fields import unix_time
from config.api.hashids import encode_id
from documents.models import Document

DOWNLOAD_PATH = "/api/v1/documents/{id}/download"


def document_download_url(
    document: Document, request: HttpRequest | Request | None
) -> str:
    """The absolute, authenticated download URL of a document (never a media URL)."""
    path = DOWNLOAD_PATH.format(id=encode_id(document.pk))
    if request is None:
        return f"{settings.APP_URL}{path}"
    return request.build_absolute_uri(path)


def document_representation(
    document: Document, request: HttpRequest | Request | None
) -> dict[str, Any]:
    """A document as the API shows it; a plain function, as list pages render many."""
    url = document_download_url(document, request)
    return {
        "id": encode_id(document.pk),
        "user_id": encode_id(document.user_id),
        "assigned_user_id": encode_id(document.assigned_user_id),
        "project_id": "",
        "vendor_id": "",
        "url": url,
        "preview": f"{url}?preview=1" if document.preview else "",
        "name": document.name,
        "type": document.type,
        "disk": document.disk,
        "hash": document.hash,
        "size": document.size,
        "width": document.width,
        "height": document.height,
        "is_default": document.is_default,
        "is_public": document.is_public,
        "created_at": unix_time(document.created_at),
        "updated_at": unix_time(document.updated_at),
        "archived_at": unix_time(document.archived_at),
        "is_deleted": document.is_deleted,
    }
