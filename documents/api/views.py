"""Document endpoints: upload to a client, list, show, download, edit, delete and
bulk delete.

Documents follow the permissions of the client they belong to: `view_client` sees
every document of the company, `edit_client` changes any of them; without those a
member sees and changes the documents they uploaded or are assigned to, and those of
the clients they made or are assigned to (`document_access`).
"""

import logging
from typing import Any

from django.core.files.storage import default_storage
from django.db.models import Q, QuerySet
from django.http import FileResponse, HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from clients.selectors import client_type_id, own_clients
from companies.models import Membership
from config.api.bulk import AnswerReader, BulkMixin, BulkService
from config.api.errors import NotFoundError
from config.api.mixins import DestroyMixin, ListMixin, RetrieveMixin, UpdateMixin
from config.api.pagination import queryset_page
from config.api.permissions import EntityPermission, request_membership
from config.db import SoftStateQuerySet
from documents.api import examples
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


def _soft(rows: QuerySet[Any]) -> SoftStateQuerySet[Document]:
    assert isinstance(rows, SoftStateQuerySet)
    return rows


# The set-based document writes of `POST /documents/bulk`, by action name.
BULK_SERVICES: dict[str, BulkService] = {
    "delete": lambda rows, run: documents_delete(documents=rows),
    "archive": lambda rows, run: documents_archive(documents=_soft(rows)),
    "restore": lambda rows, run: documents_restore(documents=_soft(rows)),
}


def document_access(membership: Membership, action: str) -> Q:
    """The documents a member may `action` ("view" or "edit"): all of the
    company's with `<action>_client`; else those they uploaded or are assigned to,
    and those of the clients they made or are assigned to."""
    if membership.can(action, "client"):
        return Q()
    user_id = membership.user_id
    return (
        Q(user_id=user_id)
        | Q(assigned_user_id=user_id)
        | Q(owner_type_id=client_type_id(), owner_id__in=own_clients(membership))
    )


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
            obj.owner_type_id == client_type_id()
            and own_clients(membership).filter(pk=obj.owner_id).exists()
        )


@extend_schema_view(
    list=extend_schema(
        summary="List documents",
        description=(
            "A page of the documents of the company's clients the member may "
            "see. `name` (substring), `type` (extension) and `client_id` filter; "
            "`sort` by id, name, size, type or created_at. Errors: 422 for a "
            "malformed filter or sort."
        ),
        examples=examples.DOCUMENT_LIST,
    ),
    retrieve=extend_schema(
        summary="Show a document",
        description=(
            "One document; its `url` downloads the file. Errors: 404 `Document "
            "not found` for an unknown id."
        ),
    ),
    update=extend_schema(
        summary="Rename a document or change is_public",
        description=(
            "Writes `name` and/or `is_public`; nothing else of a document "
            "changes. Errors: 404 for an unknown id; 422 for an empty or too long "
            "name."
        ),
        request=DocumentUpdateSerializer,
        examples=examples.DOCUMENT_UPDATE,
    ),
    destroy=extend_schema(
        summary="Delete a document and its stored file",
        description=(
            "Removes the document and, once that is committed, its file; answers "
            "the document as it was, with `is_deleted` true. Errors: 404 for an "
            "unknown id."
        ),
    ),
    bulk=extend_schema(
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
    ),
)
class DocumentViewSet(ListMixin, RetrieveMixin, UpdateMixin, DestroyMixin, BulkMixin):
    """`/documents`: list, show, download, rename/publish, delete, bulk."""

    model = Document
    permission_classes = [IsAuthenticated, DocumentPermission]
    permission_entity = "client"
    not_found_message = DOCUMENT_NOT_FOUND
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilterSet
    input_serializer_class = DocumentUpdateSerializer
    bulk_services = BULK_SERVICES
    bulk_lists_only = True

    def get_queryset(self) -> QuerySet[Document]:
        """The company's documents the member may see."""
        documents: QuerySet[Document] = Document.objects.filter(company=self.company)
        return documents.filter(document_access(self.membership, "view"))

    def represent(self, row: Document) -> dict[str, Any]:
        return document_representation(row, self.request)

    def perform_update(self, row: Document, data: dict[str, Any]) -> Document:
        return document_update(document=row, **data)

    def perform_destroy(self, row: Document) -> None:
        document_delete(document=row)
        # The answer shows the document as it was, marked deleted.
        row.is_deleted = True

    def editable_rows(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        """The documents the member may see and change (others are skipped)."""
        membership = self.membership
        return rows.filter(document_access(membership, "view")).filter(
            document_access(membership, "edit")
        )

    def bulk_answer(self, pks: list[int]) -> AnswerReader:
        """The documents asked for that remain, filtered and sorted as a list."""
        remaining = self.filter_queryset(self.get_queryset().filter(pk__in=pks))
        return lambda window: queryset_page(remaining, window)

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
