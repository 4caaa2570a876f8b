"""`/clients/{id}/logo`: upload (POST), download (GET) and remove (DELETE) a logo."""

import logging
from typing import Any

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from clients.api import examples
from clients.api.conditional import client_write_guard
from clients.api.documents import UPLOAD_INCLUDE_PARAMETER, ClientFilesViewSet
from clients.api.openapi import IDEMPOTENT_HEADERS
from clients.api.outputs import ClientSerializer
from clients.fields import LOGO_THUMBNAIL_SIZES
from clients.models import Client
from clients.selectors import parse_includes
from clients.services.logos import (
    IMAGE_KEY,
    LOGO_EXTENSIONS,
    client_logo_delete,
    client_logo_set,
)
from config.api.errors import NotFoundError
from config.api.openapi_headers import ETAG_HEADER, IF_MATCH
from config.api.parsers import ApiJSONParser, PhpFormParser, PhpMultiPartParser
from config.api.schema import error_response
from documents.api.parsers import close_uploads
from documents.files import content_type_for, file_extension

logger = logging.getLogger("documents")

NO_LOGO = "The client has no logo"
SIZES = tuple(LOGO_THUMBNAIL_SIZES)
SIZE_FIELDS = {size: f"logo_{size}_path" for size in SIZES}
IMAGE_REQUIRED = "The image field is required."
UPLOAD_DESCRIPTION = (
    f"Multipart, the file under `image` ({', '.join(LOGO_EXTENSIONS)}; its content "
    "must match its type; at most `LOGO_MAX_UPLOAD_MB`, default 5, and "
    "`LOGO_MAX_PIXELS`, default 4096 x 4096). Replaces any logo; the thumbnails "
    "(large 512, medium 256, small 64 px: the square each fits in) are made now. "
    "Answers the client, whose `logo` and `logo_thumb_*` are download URLs. "
    "Errors: 422 keyed `image` for a missing, unreadable, mismatched, too large or "
    "decompression-bomb image, and then nothing is stored; 400 for a deleted "
    "client; 404 for an unknown client."
)


def uploaded_image(data: Any) -> Any:
    """The file sent under `image`, or None when there is none."""
    image = data.get(IMAGE_KEY) if hasattr(data, "get") else None
    return None if image is None or image == "" else image


class LogoUploadSerializer(serializers.Serializer[Any]):
    """The upload body (for the schema)."""

    image = serializers.ImageField(help_text="A JPEG, PNG or GIF image.")


class ClientLogoViewSet(ClientFilesViewSet):
    """`/clients/{id}/logo`."""

    parser_classes = [PhpMultiPartParser, PhpFormParser, ApiJSONParser]
    reading_actions = ("download",)

    @extend_schema(
        operation_id="clients_logo_upload",
        summary="Set a client's logo",
        description=UPLOAD_DESCRIPTION,
        parameters=[
            UPLOAD_INCLUDE_PARAMETER,
            IF_MATCH,
            ETAG_HEADER,
            *IDEMPOTENT_HEADERS,
        ],
        request={"multipart/form-data": LogoUploadSerializer},
        responses={200: ClientSerializer},
        examples=examples.CLIENT_LOGO,
    )
    def upload(self, request: Request, id: str) -> Response:
        includes = parse_includes(request.query_params.get("include"))
        client = self.get_object()
        image = uploaded_image(request.data)
        if image is None:
            raise serializers.ValidationError({IMAGE_KEY: [IMAGE_REQUIRED]})
        try:
            with client_write_guard(request, company=self.company, pk=client.pk):
                client_logo_set(client=client, user=self.acting_user, upload=image)
        finally:
            close_uploads([image])
        return self.client_answer(client, includes)

    @extend_schema(
        operation_id="clients_logo_delete",
        summary="Remove a client's logo",
        description=(
            "Removes the logo and its thumbnails (their files once that is "
            "committed); a client without a logo is answered unchanged. Answers "
            "the client. Errors: 400 for a deleted client; 404 for an unknown one."
        ),
        parameters=[UPLOAD_INCLUDE_PARAMETER, IF_MATCH, ETAG_HEADER],
        request=None,
        responses={200: ClientSerializer},
    )
    def remove(self, request: Request, id: str) -> Response:
        includes = parse_includes(request.query_params.get("include"))
        client = self.get_object()
        with client_write_guard(request, company=self.company, pk=client.pk):
            client_logo_delete(client=client, user=self.acting_user)
        return self.client_answer(client, includes)

    @extend_schema(
        operation_id="clients_logo_download",
        summary="Download a client's logo or a thumbnail",
        description=(
            "The uploaded image, or with `size` one of its thumbnails (JPEG for a "
            "JPEG, else PNG), shown inline. The URLs are the client's `logo` and "
            "`logo_thumb_*`. Errors: 404 for an unknown client or one without a "
            "logo; 422 for an unknown size."
        ),
        parameters=[
            OpenApiParameter(
                "size",
                OpenApiTypes.STR,
                enum=list(SIZES),
                description="A thumbnail instead of the image.",
            )
        ],
        responses={
            (200, "image/*"): OpenApiResponse(OpenApiTypes.BINARY),
            404: error_response("An unknown client, or one without a logo."),
            422: error_response("An unknown size."),
        },
    )
    def download(self, request: Request, id: str) -> HttpResponseBase:
        size = request.query_params.get("size", "")
        if size and size not in SIZES:
            raise serializers.ValidationError(
                {"size": [f"The size must be one of: {', '.join(SIZES)}."]}
            )
        client: Client = self.get_object()
        path = getattr(client, SIZE_FIELDS[size]) if size else client.logo_path
        if not path:
            raise NotFoundError(NO_LOGO)
        try:
            stored = default_storage.open(path, "rb")
        except (FileNotFoundError, OSError) as exc:
            logger.error("Stored logo %s of client %s is missing", path, client.pk)
            raise NotFoundError(NO_LOGO) from exc
        extension = file_extension(path)
        response = FileResponse(
            stored,
            filename=f"logo-{size}.{extension}" if size else f"logo.{extension}",
            content_type=content_type_for(extension),
        )
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
