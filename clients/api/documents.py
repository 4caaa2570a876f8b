"""`/clients/{id}/upload` and `/clients/{id}/documents`: a client's files."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import TooManyFilesSent
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from clients.api import examples
from clients.api.conditional import client_etag, client_write_guard
from clients.api.openapi import IDEMPOTENT_HEADERS
from clients.api.outputs import ClientSerializer, client_representation
from clients.models import Client
from clients.selectors import client_get, client_type_id, clients_of, parse_includes
from clients.services.clients import CLIENT_NOT_FOUND
from clients.services.documents import client_documents_upload
from config.api.errors import NotFoundError
from config.api.hashids import decode_id
from config.api.idempotency import IdempotentActionsMixin
from config.api.openapi_headers import ETAG_HEADER, IF_MATCH
from config.api.pagination import queryset_page
from config.api.parsers import (
    ApiJSONParser,
    PhpFormParser,
)
from config.api.permissions import EntityPermission, request_membership
from config.api.schema import error_response
from config.api.viewsets import CompanyScopedViewSet
from documents.api import examples as document_examples
from documents.api.filters import DocumentFilterSet
from documents.api.parsers import (
    UploadMultiPartParser,
    close_uploads,
    uploaded_files,
)
from documents.api.serializers import DocumentSerializer, UploadSerializer
from documents.models import Document
from documents.representation import document_representation

UPLOAD_INCLUDE_PARAMETER = OpenApiParameter(
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


def visible_clients(request: Request) -> QuerySet[Client]:
    """The company's clients the member may see (all with `view_client`)."""
    membership = request_membership(request)
    return clients_of(company=membership.company, membership=membership)


class ClientFilesViewSet(IdempotentActionsMixin, CompanyScopedViewSet):
    """The routes that store or read a client's files (documents, logo): the
    client's permissions, the clients the member sees, the client answered
    (with its ETag); uploads honour `Idempotency-Key`."""

    idempotent_actions = frozenset({"upload"})
    permission_classes = [IsAuthenticated, EntityPermission]
    permission_entity = "client"
    not_found_message = CLIENT_NOT_FOUND
    # The actions that only read the client; the others change it.
    reading_actions: tuple[str, ...] = ()

    @property
    def permission_action(self) -> str:
        return "view" if self.action in self.reading_actions else "edit"

    def get_queryset(self) -> QuerySet[Client]:
        return visible_clients(self.request).select_related("company")

    @property
    def acting_user(self) -> AbstractBaseUser | None:
        user = self.request.user
        return user if isinstance(user, AbstractBaseUser) else None

    def client_answer(self, client: Client, includes: frozenset[str]) -> Response:
        shown = client_get(company=self.company, pk=client.pk, includes=includes)
        assert shown is not None
        data = client_representation(shown, self.request, includes)
        return Response({"data": data}, headers={"ETag": client_etag(data)})


class ClientDocumentsViewSet(ClientFilesViewSet):
    """`/clients/{id}/upload` and `/clients/{id}/documents`."""

    parser_classes = [UploadMultiPartParser, PhpFormParser, ApiJSONParser]
    reading_actions = ("documents",)

    @extend_schema(
        methods=["PUT"],
        operation_id="clients_upload",
        summary="Upload documents to a client",
        description=UPLOAD_DESCRIPTION,
        parameters=[
            UPLOAD_INCLUDE_PARAMETER,
            IF_MATCH,
            ETAG_HEADER,
            *IDEMPOTENT_HEADERS,
        ],
        request={"multipart/form-data": UploadSerializer},
        responses=UPLOAD_RESPONSES,
        examples=examples.CLIENT_UPLOAD,
    )
    @extend_schema(
        methods=["POST"],
        operation_id="clients_upload_post",
        summary="Upload documents to a client (POST)",
        description=(
            "The same as `PUT`, for clients that can send files only with POST "
            "(upstream's SDKs add `_method=PUT` or `_method=POST`). "
            f"{UPLOAD_DESCRIPTION}"
        ),
        parameters=[
            UPLOAD_INCLUDE_PARAMETER,
            IF_MATCH,
            ETAG_HEADER,
            *IDEMPOTENT_HEADERS,
        ],
        request={"multipart/form-data": UploadSerializer},
        responses=UPLOAD_RESPONSES,
        examples=examples.CLIENT_UPLOAD,
    )
    def upload(self, request: Request, id: str) -> Response:
        try:
            uploads = uploaded_files(request.data)
        except TooManyFilesSent as exc:
            limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
            raise serializers.ValidationError(
                {"documents": [f"The documents must not have more than {limit} files."]}
            ) from exc
        try:
            override = str(request.data.get("_method") or "").strip().upper()
            if override not in ("", "PUT", "POST"):
                raise MethodNotAllowed(override)
            includes = parse_includes(request.query_params.get("include"))
            client = self.get_object()
            serializer = UploadSerializer(
                data={k: v for k, v in request.data.items() if k == "is_public"}
            )
            serializer.is_valid(raise_exception=True)
            with client_write_guard(request, company=self.company, pk=client.pk):
                client_documents_upload(
                    client=client,
                    user=self.acting_user,
                    uploads=uploads,
                    is_public=serializer.validated_data["is_public"],
                )
        finally:
            close_uploads(uploads)
        return self.client_answer(client, includes)

    @extend_schema(
        operation_id="clients_documents",
        summary="The documents of a client",
        description=(
            "The client's documents in the list envelope (a POST, as upstream "
            "routes it); `name`, `type` and `sort` work as on `GET /documents`. "
            "Errors: 404 for an unknown client; 422 for a malformed filter."
        ),
        examples=document_examples.DOCUMENT_LIST,
        request=None,
        responses={200: DocumentSerializer(many=True)},
    )
    def documents(self, request: Request, id: str) -> Response:
        pk = decode_id(id)
        client = visible_clients(request).filter(pk=pk).first() if pk else None
        if client is None:
            raise NotFoundError(CLIENT_NOT_FOUND)
        documents = Document.objects.filter(
            company=self.company,
            owner_type_id=client_type_id(),
            owner_id=client.pk,
        )
        filterset = DocumentFilterSet(request.query_params, queryset=documents)
        if not filterset.is_valid():
            raise serializers.ValidationError(
                {key: [str(m) for m in msgs] for key, msgs in filterset.errors.items()}
            )
        page = queryset_page(filterset.qs, self.paginator.window(request))
        return self.paginator.respond(
            page, [document_representation(d, request) for d in page.rows]
        )
