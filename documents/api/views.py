"""Document endpoints (API.md §8): upload to a client, list, show, download, edit,
delete and bulk delete.

Documents follow the permissions of the client they belong to: `view_client` sees
every document of the company, `edit_client` changes any of them; without those a
member sees and changes the documents they uploaded or are assigned to, and those of
the clients they made or are assigned to.
"""

import logging
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db.models import Q, QuerySet
from django.http import FileResponse, HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.parsers import DataAndFiles
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clients.api.outputs import ClientSerializer
from clients.models import Client
from clients.selectors import clients_of, editable_by
from config.api import examples
from config.api.errors import NotFoundError
from config.api.parsers import (
    PhpMultiPartParser,
    nest_php_keys,
)
from config.api.permissions import EntityPermission, request_membership
from config.api.schema import error_response
from config.api.viewsets import CompanyScopedViewSet
from documents.api.filters import DocumentFilterSet
from documents.api.serializers import (
    DocumentBulkSerializer,
    DocumentSerializer,
    DocumentUpdateSerializer,
)
from documents.files import content_type_for, file_extension
from documents.models import Document
from documents.representation import document_representation
from documents.services import (
    document_delete,
    document_update,
    documents_archive,
    documents_delete,
    documents_restore,
)

logger = logging.getLogger("documents")

DOCUMENT_NOT_FOUND = "Document not found"
CLIENT_NOT_FOUND = "Client not found"

INCLUDE_PARAMETER = OpenApiParameter(
    "include",
    OpenApiTypes.STR,
    description=(
        "Comma list of extra relations of the client answered: activities, "
        "group_settings, ledger, system_logs. An unknown name answers 400."
    ),
)

UPLOAD_DESCRIPTION = (
    "Multipart: files under `documents[]` (or `documents`, repeated), optional "
    "`is_public` (default true). Each file needs an allowed extension (png, jpg, "
    "pdf, txt, docx, xlsx, csv, zip… and `DOCUMENT_EXTRA_EXTENSIONS`), content "
    "that matches it, and at most `DOCUMENT_MAX_UPLOAD_MB` (default 100). Answers "
    "the client with its documents. Errors: 422 when any file is refused, and "
    "then nothing is stored; 404 for an unknown client; 405 for a `_method` other "
    "than PUT or POST."
)
UPLOAD_RESPONSES = {
    200: ClientSerializer,
    405: error_response("A `_method` other than PUT or POST."),
}

BULK_ACTIONS = {
    "delete": documents_delete,
    "archive": documents_archive,
    "restore": documents_restore,
}


def client_type() -> ContentType:
    """The content type of clients (cached by Django after the first lookup)."""
    return ContentType.objects.get_for_model(Client)


def visible_clients(request: Request) -> QuerySet[Client]:
    """The company's clients the member may see (all with `view_client`)."""
    membership = request_membership(request)
    return clients_of(company=membership.company, membership=membership)


class DocumentPermission(EntityPermission):
    """The client permissions, plus: a member may change the documents of the
    clients they made or are assigned to."""

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        if super().has_object_permission(request, view, obj):
            return True
        if not isinstance(obj, Document):
            return False
        membership = request_membership(request)
        return (
            obj.owner_type_id == client_type().pk
            and clients_of(company=membership.company, membership=membership)
            .filter(editable_by(membership), pk=obj.owner_id)
            .exists()
        )


class UploadMultiPartParser(PhpMultiPartParser):
    """Multipart where a repeated plain `documents` key is a list, like `documents[]`.

    PHP keeps only the last of repeated plain keys; for files that would silently
    drop uploads, so every file sent is kept.
    """

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Any = None,
    ) -> DataAndFiles:
        parsed = super(PhpMultiPartParser, self).parse(
            stream, media_type, parser_context
        )
        files = [
            (f"{key}[]" if "[" not in key and len(values) > 1 else key, value)
            for key, values in parsed.files.lists()
            for value in values
        ]
        data = [(key, value) for key, values in parsed.data.lists() for value in values]
        return DataAndFiles(nest_php_keys(data), nest_php_keys(files))


def _uploads(data: Any) -> list[Any]:
    raw = data.get("documents") if hasattr(data, "get") else None
    if raw is None or raw == "":
        return []
    if isinstance(raw, dict):
        return list(raw.values())
    return list(raw) if isinstance(raw, list) else [raw]


class DocumentViewSet(CompanyScopedViewSet):
    """`/documents`: list, show, download, rename/publish, delete, bulk."""

    permission_classes = [IsAuthenticated, DocumentPermission]
    permission_entity = "client"
    not_found_message = DOCUMENT_NOT_FOUND
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilterSet

    @property
    def permission_action(self) -> str | None:
        # Bulk is a POST that changes rows, not a create.
        return "edit" if self.action == "bulk" else None

    def get_queryset(self) -> QuerySet[Document]:
        membership = self.membership
        documents = Document.objects.filter(company=self.company)
        if membership.can("view", "client"):
            return documents
        user_id = membership.user_id
        own_clients = visible_clients(self.request)
        return documents.filter(
            Q(user_id=user_id)
            | Q(assigned_user_id=user_id)
            | Q(owner_type=client_type(), owner_id__in=own_clients)
        )

    def _render(self, document: Document) -> dict[str, Any]:
        return document_representation(document, self.request)

    @extend_schema(
        summary="List documents",
        description=(
            "A page of the documents of the company's clients the member may "
            "see. `name` (substring), `type` (extension) and `client_id` filter; "
            "`sort` by id, name, size, type or created_at. Errors: 422 for a "
            "malformed filter or sort."
        ),
        examples=examples.DOCUMENT_LIST,
    )
    def list(self, request: Request) -> Response:
        documents = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(documents)
        return self.get_paginated_response([self._render(d) for d in page or []])

    @extend_schema(
        summary="Show a document",
        description=(
            "One document; its `url` downloads the file. Errors: 404 `Document "
            "not found` for an unknown id."
        ),
    )
    def retrieve(self, request: Request, id: str) -> Response:
        return Response({"data": self._render(self.get_object())})

    @extend_schema(
        summary="Rename a document or change is_public",
        description=(
            "Writes `name` and/or `is_public`; nothing else of a document "
            "changes. Errors: 404 for an unknown id; 422 for an empty or too long "
            "name."
        ),
        request=DocumentUpdateSerializer,
        examples=examples.DOCUMENT_UPDATE,
    )
    def update(self, request: Request, id: str) -> Response:
        document = self.get_object()
        serializer = DocumentUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = document_update(document=document, **serializer.validated_data)
        return Response({"data": self._render(document)})

    @extend_schema(
        summary="Delete a document and its stored file",
        description=(
            "Removes the document and, once that is committed, its file; answers "
            "the document as it was, with `is_deleted` true. Errors: 404 for an "
            "unknown id."
        ),
    )
    def destroy(self, request: Request, id: str) -> Response:
        document = self.get_object()
        body = self._render(document)
        document_delete(document=document)
        return Response({"data": {**body, "is_deleted": True}})

    @extend_schema(
        operation_id="documents_download",
        summary="Download a document",
        description=(
            "The file as an attachment (`Content-Disposition` with its name), "
            "with its real `Content-Type`; `preview=1` gives the thumbnail when "
            "there is one. Errors: 404 for an unknown id or a missing file."
        ),
        responses={
            (200, "*/*"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file, as an attachment."
            )
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, id: str) -> HttpResponseBase:
        document: Document = self.get_object()
        preview = request.query_params.get("preview") in ("1", "true")
        path = document.preview if preview and document.preview else document.path
        try:
            stored = default_storage.open(path, "rb")
        except (FileNotFoundError, OSError) as exc:
            logger.error("Stored file %s of document %s is missing", path, document.pk)
            raise NotFoundError(DOCUMENT_NOT_FOUND) from exc
        content_type = (
            content_type_for(file_extension(path))
            if path != document.path
            else document.content_type or content_type_for(document.type)
        )
        response = FileResponse(
            stored,
            as_attachment=True,
            filename=document.name,
            content_type=content_type,
        )
        response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(
        operation_id="documents_bulk",
        summary="Bulk delete, archive or restore documents",
        description=(
            "Up to 5,000 ids; documents the member may not change are skipped. "
            "Answers the documents asked for that remain, in the list envelope. "
            "Errors: 422 and nothing changed when an id is not one of the "
            "company's documents or the action is unknown."
        ),
        request=DocumentBulkSerializer,
        responses=DocumentSerializer(many=True),
        examples=examples.DOCUMENT_BULK,
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request: Request) -> Response:
        data = dict(request.data)
        data.setdefault("action", request.query_params.get("action", ""))
        serializer = DocumentBulkSerializer(
            data=data, context={"company": self.company}
        )
        serializer.is_valid(raise_exception=True)
        pks: list[int] = serializer.validated_data["ids"]
        editable = self._editable(self.get_queryset().filter(pk__in=pks))
        BULK_ACTIONS[serializer.validated_data["action"]](documents=editable)
        remaining = self.filter_queryset(self.get_queryset().filter(pk__in=pks))
        page = self.paginate_queryset(remaining)
        return self.get_paginated_response([self._render(d) for d in page or []])

    def _editable(self, documents: QuerySet[Document]) -> Any:
        """The documents the member may change (others are skipped)."""
        membership = self.membership
        if membership.can("edit", "client"):
            return documents
        user_id = membership.user_id
        own_clients = clients_of(company=self.company, membership=membership).filter(
            editable_by(membership)
        )
        return documents.filter(
            Q(user_id=user_id)
            | Q(assigned_user_id=user_id)
            | Q(owner_type=client_type(), owner_id__in=own_clients)
        )
