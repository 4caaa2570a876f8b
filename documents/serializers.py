"""Document output (API.md §4) and the input of `PUT /documents/{id}`."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from rest_framework import serializers
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


class DocumentSerializer(serializers.Serializer[Document]):
    """The Document object of API.md §4 (rendered by `document_representation`)."""

    id = serializers.CharField(read_only=True)
    user_id = serializers.CharField(read_only=True)
    assigned_user_id = serializers.CharField(read_only=True)
    project_id = serializers.CharField(read_only=True)
    vendor_id = serializers.CharField(read_only=True)
    url = serializers.URLField(read_only=True)
    preview = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    type = serializers.CharField(read_only=True)
    disk = serializers.CharField(read_only=True)
    hash = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True)
    width = serializers.IntegerField(read_only=True)
    height = serializers.IntegerField(read_only=True)
    is_default = serializers.BooleanField(read_only=True)
    is_public = serializers.BooleanField(read_only=True)
    created_at = serializers.IntegerField(read_only=True)
    updated_at = serializers.IntegerField(read_only=True)
    archived_at = serializers.IntegerField(read_only=True)
    is_deleted = serializers.BooleanField(read_only=True)

    def to_representation(self, instance: Document) -> dict[str, Any]:
        return document_representation(instance, self.context.get("request"))
