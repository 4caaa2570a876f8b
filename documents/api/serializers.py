"""Document output and the input of `PUT /documents/{id}`."""

from typing import Any

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from config.api.bulk import bulk_ids_field
from config.api.hashids import decode_id
from documents.models import Document
from documents.representation import document_representation


@extend_schema_serializer(
    description=(
        "A stored file of a client. `url` downloads it (with the token); `width` "
        "and `height` are 0 unless it is an image."
    )
)
class DocumentSerializer(serializers.Serializer[Document]):
    """The Document object (rendered by `document_representation`)."""

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
    """true/false, 1/0, "1"/"0", and "" as false (as form-encoded PHP clients send
    an unchecked box)."""

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
    ids = bulk_ids_field()

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
