"""Password-gated client endpoints: purge and merge.

Checks run in the contract's order: the token (authentication), admin/owner and
the password (`PasswordProtected`), then the ids in the path (here).
"""

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from clients.api.conditional import client_etag, client_write_guard
from clients.api.openapi import IDEMPOTENT_HEADERS, INCLUDE_PARAMETER
from clients.api.outputs import ClientSerializer, client_representation
from clients.models import Client
from clients.selectors import client_get, parse_includes
from clients.services.clients import CLIENT_NOT_FOUND
from clients.services.merge import SAME_CLIENT_MESSAGE, client_merge
from clients.services.purge import client_purge
from config.api.errors import ApiError
from config.api.hashids import decode_id
from config.api.idempotency import IdempotentActionsMixin
from config.api.openapi_headers import ETAG_HEADER, IF_MATCH
from config.api.password import PasswordProtected
from config.api.schema import data_envelope, error_response
from config.api.viewsets import CompanyScopedViewSet

PASSWORD_PARAMETERS = [
    OpenApiParameter(
        "X-API-PASSWORD",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description=(
            "The user's login password; may be left out within the company's "
            "`default_password_timeout` after a correct one."
        ),
    ),
    OpenApiParameter(
        "X-API-PASSWORD-BASE64",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description="The login password, base64-encoded (instead of X-API-PASSWORD).",
    ),
]

# 403 (not an admin or owner) and 404 come from the project's AutoSchema.
GATE_RESPONSES = {
    412: error_response(
        '"Invalid Password": the password is missing or wrong; or If-Match does '
        "not name the client's current ETag (the message names it)."
    ),
    429: error_response(
        "Locked after 5 wrong passwords in 15 minutes (even the right one is "
        "refused until then), or the rate limit; see Retry-After."
    ),
}
GATE_RULES = (
    "Only a company admin or owner (else 403), with their login password in "
    "`X-API-PASSWORD` (or base64 in `X-API-PASSWORD-BASE64`); after a right one "
    "the header may be left out for the company's `default_password_timeout`. "
    "A missing or wrong password is a 412; the 5th wrong one in 15 minutes locks "
    "the user out (429 with Retry-After)."
)


class ClientGatedViewSet(IdempotentActionsMixin, CompanyScopedViewSet):
    """Purge and merge a company's clients: admins/owners, with their password."""

    idempotent_actions = frozenset({"purge", "merge"})
    permission_classes = [IsAuthenticated, PasswordProtected]
    not_found_message = CLIENT_NOT_FOUND

    def get_queryset(self) -> QuerySet[Client]:
        queryset: QuerySet[Client] = Client.objects.filter(company=self.company)
        return queryset

    @extend_schema(
        operation_id="clients_purge",
        summary="Purge a client",
        description=(
            "Removes the client for good, with its contacts, activities, ledger "
            "and documents (and their files); this cannot be undone. "
            f"{GATE_RULES} Errors: 404 for an id that is not one of the company's "
            "clients."
        ),
        request=None,
        parameters=[*PASSWORD_PARAMETERS, IF_MATCH, *IDEMPOTENT_HEADERS],
        responses={
            200: inline_serializer(
                "PurgeResult",
                {
                    "message": serializers.CharField(),
                    "data": inline_serializer(
                        "PurgeResultData", {"message": serializers.CharField()}
                    ),
                },
            ),
            **GATE_RESPONSES,
        },
    )
    def purge(self, request: Request, id: str) -> Response:
        client = self.get_object()
        with client_write_guard(request, company=self.company, pk=client.pk):
            client_purge(client=client, user=self.membership.user)
        return Response({"message": "Success", "data": {"message": "Success"}})

    @extend_schema(
        operation_id="clients_merge",
        summary="Merge a client into another",
        description=(
            "In one transaction, adds `mergeable_id`'s balance and paid to date to "
            "`id` (with a ledger row), moves its contacts (except those without an "
            "email or with an email `id` already has), documents and activities, "
            "then removes `mergeable_id` for good. Answers the client `id`. "
            f"{GATE_RULES} Errors: 404 for an unknown `id`; 400 `Client not "
            "found` for an unknown `mergeable_id`, and 400 for the same id twice."
        ),
        request=None,
        parameters=[
            *PASSWORD_PARAMETERS,
            INCLUDE_PARAMETER,
            IF_MATCH,
            ETAG_HEADER,
            *IDEMPOTENT_HEADERS,
        ],
        responses={
            200: data_envelope(ClientSerializer(), "MergedClient"),
            400: error_response(
                '"Client not found" (the mergeable id), or the same client twice.'
            ),
            **GATE_RESPONSES,
        },
    )
    def merge(self, request: Request, id: str, mergeable_id: str) -> Response:
        primary = self.get_object()
        merged_pk = decode_id(mergeable_id)
        if merged_pk == primary.pk:
            raise ApiError(SAME_CLIENT_MESSAGE)
        merged = self.mergeable(merged_pk)
        includes = parse_includes(request.query_params.get("include"))
        with client_write_guard(
            request, company=self.company, pk=primary.pk, also_lock=[merged.pk]
        ):
            client_merge(primary=primary, merged=merged, user=self.membership.user)
        client = client_get(company=self.company, pk=primary.pk, includes=includes)
        assert client is not None
        data = client_representation(client, request, includes)
        return Response({"data": data}, headers={"ETag": client_etag(data)})

    def mergeable(self, pk: int | None) -> Client:
        """The client to merge away: unknown or another company's is a 400."""
        merged = self.get_queryset().filter(pk=pk).first() if pk is not None else None
        if merged is None:
            raise ApiError(CLIENT_NOT_FOUND)
        return merged


purge_view = ClientGatedViewSet.as_view({"post": "purge"})
merge_view = ClientGatedViewSet.as_view({"post": "merge"})
