"""Document output (API.md §4) and the input of `PUT /documents/{id}`."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request

from config.api.fields import unix_time
from config.api.hashids import decode_id, encode_id
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


@extend_schema_serializer(
    description=(
        "A stored file of a client. `url` downloads it (with the token); `width` "
        "and `height` are 0 unless it is an image."
    )
)
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


class LenientBooleanField(serializers.BooleanField):
    """true/false, 1/0, "1"/"0", and "" as false (API.md §2)."""

    def to_internal_value(self, data: Any) -> bool:
        if data == "":
            return False
        return bool(super().to_internal_value(data))


@extend_schema_serializer(
    component_name="DocumentUpload",
    description="Files to attach to a client, as multipart form fields.",
)
class UploadSerializer(serializers.Serializer[Any]):
    """The form fields of `PUT /clients/{id}/upload` (files are checked apart)."""

    documents = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text="The files (`documents[]`, or `documents`).",
    )
    is_public = LenientBooleanField(required=False, default=True)
    _method = serializers.ChoiceField(
        choices=["PUT", "POST"],
        required=False,
        help_text="Method override (upstream's SDKs send either); others are a 405.",
    )


@extend_schema_serializer(description="The new name and/or visibility of a document.")
class DocumentUpdateSerializer(serializers.Serializer[Any]):
    """`PUT /documents/{id}`: only `name` and `is_public` are written."""

    name = serializers.CharField(max_length=255, required=False, allow_blank=False)
    is_public = LenientBooleanField(required=False)


MAX_BULK_IDS = 5000
BULK_ACTION_NAMES = ("delete", "archive", "restore")


@extend_schema_serializer(
    description="An action and up to 5,000 hashed ids of the company's documents."
)
class DocumentBulkSerializer(serializers.Serializer[Any]):
    """`POST /documents/bulk`: an action and hashed ids of the company's documents."""

    action = serializers.ChoiceField(
        choices=BULK_ACTION_NAMES,
        error_messages={"invalid_choice": "The selected action is invalid."},
    )
    ids = serializers.ListField(
        child=serializers.CharField(allow_blank=True),
        allow_empty=False,
        max_length=MAX_BULK_IDS,
        error_messages={
            "empty": "The ids field is required.",
            "not_a_list": "The ids must be an array.",
            "max_length": f"The ids must not have more than {MAX_BULK_IDS} items.",
        },
    )

    def validate_ids(self, value: list[str]) -> list[int]:
        """Every id must be a document of the company, else nothing is done."""
        pks = {decode_id(hashid) for hashid in value}
        invalid = serializers.ValidationError("The selected ids is invalid.")
        if None in pks:
            raise invalid
        known = Document.objects.filter(
            company=self.context["company"], pk__in=pks
        ).count()
        if known != len(pks):
            raise invalid
        return sorted(pk for pk in pks if pk is not None)
