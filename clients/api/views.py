"""`/api/v1/clients`: list, show, create, update, delete, bulk actions.

Reads go through `clients.selectors` (`client_page`, `client_get`), writes through
`clients.services`; the flows are the shared mixins of `config.api.mixins` and
`config.api.bulk`, the OpenAPI text is in `clients.api.openapi`.
"""

from contextlib import AbstractContextManager
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from clients.api.conditional import client_etag, client_write_guard
from clients.api.filters import ClientFilterSet
from clients.api.inputs import (
    BulkActionSerializer,
    ClientInputSerializer,
    ClientOwnerInputSerializer,
    ClientStatusInputSerializer,
    ClientTagsInputSerializer,
)
from clients.api.logos import uploaded_image
from clients.api.openapi import CLIENT_OPERATIONS
from clients.api.outputs import ClientSerializer, client_representation
from clients.models import Client
from clients.reference import as_country
from clients.selectors import (
    client_get,
    client_page,
    clients_of,
    editable_by,
    parse_includes,
)
from clients.services.bulk import (
    CLIENT_STATE_CHANGES,
    clients_assign_group,
    clients_bulk_update,
    clients_change_state,
)
from clients.services.clients import (
    CLIENT_NOT_FOUND,
    DELETED_CLIENT_MESSAGE,
    client_create,
    client_delete,
    client_update,
)
from clients.services.logos import client_create_with_logo
from clients.services.named import NamedClients
from clients.services.settings import new_client_settings
from clients.services.tags import clients_add_tags, clients_remove_tags
from clients.services.verbs import (
    client_owner_set,
    client_status_set,
    client_tags_replace,
)
from config.api.bulk import AnswerReader, BulkMixin, BulkService
from config.api.conditional import not_modified, not_modified_response
from config.api.errors import ApiError
from config.api.filters import filters_sent
from config.api.hashids import encode_id
from config.api.idempotency import IdempotentActionsMixin
from config.api.mixins import (
    CreateMixin,
    DestroyMixin,
    ListMixin,
    PatchMixin,
    RetrieveMixin,
)
from config.api.pagination import AnyPage, PageWindow


def state_service(action: str) -> BulkService:
    """The bulk service of a state action (archive, restore, delete)."""
    return lambda rows, run: clients_change_state(
        clients_queryset=rows, user=run.user, action=action
    )


# The set-based client writes of `POST /clients/bulk`, by action name.
BULK_SERVICES: dict[str, BulkService] = {
    **{action: state_service(action) for action in CLIENT_STATE_CHANGES},
    "assign_group": lambda rows, run: clients_assign_group(
        clients_queryset=rows, user=run.user, group=run.options["group_settings"]
    ),
    "bulk_update": lambda rows, run: clients_bulk_update(
        clients_queryset=rows,
        user=run.user,
        column=run.options["column"],
        value=run.options["new_value"],
        company=run.options["company"],
    ),
    "add_tags": lambda rows, run: clients_add_tags(
        clients_queryset=rows, user=run.user, names=run.options["tags"]
    ),
    "remove_tags": lambda rows, run: clients_remove_tags(
        clients_queryset=rows, user=run.user, names=run.options["tags"]
    ),
}


@extend_schema_view(**CLIENT_OPERATIONS)
class ClientViewSet(
    IdempotentActionsMixin,
    ListMixin,
    RetrieveMixin,
    CreateMixin,
    PatchMixin,
    DestroyMixin,
    BulkMixin,
):
    """`/api/v1/clients`: list, show, create, update, delete, bulk actions."""

    idempotent_actions = frozenset({"create", "bulk"})

    model = Client
    permission_entity = "client"
    not_found_message = CLIENT_NOT_FOUND
    deleted_message = DELETED_CLIENT_MESSAGE
    serializer_class = ClientSerializer  # the schema's; `represent` renders
    filterset_class = ClientFilterSet
    input_serializer_class = ClientInputSerializer
    bulk_services = BULK_SERVICES
    bulk_ids_checked_when_locking = True
    bulk_description = (
        "archive, restore, delete, assign_group, bulk_update, add_tags or "
        "remove_tags a set of clients.\n\n"
        "Every id must be one of the company's clients (deleted ones too), else 422\n"
        "and nothing changes; clients the user may not edit are skipped."
    )
    includes: frozenset[str] = frozenset()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # Every answer shows clients: an unknown include is a 400 before any query.
        self.includes = parse_includes(request.query_params.get("include"))

    def get_queryset(self) -> QuerySet[Client]:
        """The company's clients the member sees: what filters and writes start
        from (reads are shaped by the selectors)."""
        if getattr(self, "swagger_fake_view", False):
            return Client.objects.none()
        return clients_of(company=self.company, membership=self.membership)

    def represent(self, row: Client) -> dict[str, Any]:
        return client_representation(row, self.request, self.includes)

    def answer(self, row: Client, headers: dict[str, str] | None = None) -> Response:
        """`{"data": <client>}` with the client's ETag (a stored client's)."""
        data = self.represent(row)
        if row.pk is not None:
            headers = {**(headers or {}), "ETag": client_etag(data)}
        return Response({"data": data}, headers=headers)

    def write_guard(self, row: Client) -> AbstractContextManager[None]:
        return client_write_guard(self.request, company=self.company, pk=row.pk)

    # Reads ------------------------------------------------------------------

    def listed(self) -> QuerySet[Client] | None:
        # No filter sent: no FilterSet is built, and the selector reads the whole
        # company's page (and total) in one query.
        if not filters_sent(self.request, ClientFilterSet):
            return None
        return super().listed()

    def page_of(self, listed: QuerySet[Any] | None, window: PageWindow) -> AnyPage[Any]:
        return client_page(
            company=self.company,
            membership=self.membership,
            includes=self.includes,
            filtered=listed,
            window=window,
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = self.answer(self.get_object())
        etag = response.headers["ETag"]
        return not_modified_response(etag) if not_modified(request, etag) else response

    def find_object(self, pk: int) -> Client | None:
        return client_get(
            company=self.company,
            membership=self.membership,
            pk=pk,
            includes=self.includes,
        )

    def stored(self, row: Client) -> Client:
        client = client_get(company=self.company, pk=row.pk, includes=self.includes)
        assert client is not None
        return client

    @action(detail=True, methods=["get"], url_path="edit")
    def edit(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The client, as `GET /clients/{id}` (upstream's edit alias)."""
        return self.retrieve(request, *args, **kwargs)

    @action(
        detail=False, methods=["get"], url_path="create", permission_action="create"
    )
    def blank(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """An unsaved client with the defaults a new client gets."""
        client = Client(
            company=self.company,
            user_id=request.user.pk,
            country_id=as_country(self.company.setting("country_id")),
            settings=new_client_settings(self.company),
        )
        return self.answer(client)

    # Writes -----------------------------------------------------------------

    def input_context(self, row: Any) -> dict[str, Any]:
        return {"company": self.company, "client": row, "request": self.request}

    def perform_create(self, data: dict[str, Any]) -> Client:
        # Paymo's multipart create: the client's fields and its logo as `image`.
        image = uploaded_image(self.request.data)
        if image is None:
            return client_create(company=self.company, user=self.user, data=data)
        return client_create_with_logo(
            company=self.company, user=self.user, data=data, upload=image
        )

    def created_headers(self, row: Any) -> dict[str, str]:
        path = f"{self.request.path.rstrip('/')}/{encode_id(row.pk)}"
        return {"Location": self.request.build_absolute_uri(path)}

    def perform_update(self, row: Client, data: dict[str, Any]) -> Client:
        return client_update(client=row, user=self.user, data=data)

    def perform_destroy(self, row: Client) -> None:
        client_delete(client=row, user=self.user)

    # One-client verbs ---------------------------------------------------------

    def _verb_input(self, serializer_class: type[Any]) -> tuple[Client, dict[str, Any]]:
        """The client of the path to change (404, 403; a deleted one 400, as an
        update) and the validated body (422)."""
        client: Client = self.get_write_object()
        if client.is_deleted:
            raise ApiError(DELETED_CLIENT_MESSAGE, 400)
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return client, dict(serializer.validated_data)

    @action(detail=True, methods=["post"], url_path="tags", permission_action="edit")
    def tags(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Replace the client's tags."""
        client, data = self._verb_input(ClientTagsInputSerializer)
        client_tags_replace(client=client, user=self.user, names=data["tags"])
        return self.answer(self.stored(client))

    @action(detail=True, methods=["post"], url_path="owner", permission_action="edit")
    def owner(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Make one of the client's contacts the primary one."""
        client, data = self._verb_input(ClientOwnerInputSerializer)
        client_owner_set(client=client, user=self.user, contact_id=data["contact_id"])
        return self.answer(self.stored(client))

    @action(detail=True, methods=["post"], url_path="status", permission_action="edit")
    def status(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Archive or restore the client."""
        client, data = self._verb_input(ClientStatusInputSerializer)
        client_status_set(client=client, user=self.user, status=data["status"])
        return self.answer(self.stored(client))

    # Bulk -------------------------------------------------------------------

    def bulk_options(self, body: Any) -> dict[str, Any]:
        data = {
            key: body.get(key)
            for key in ("group_settings_id", "column", "new_value", "tags")
            if key in body
        }
        data["action"] = self.bulk_action_name(body)
        serializer = BulkActionSerializer(data=data, context={"company": self.company})
        serializer.is_valid(raise_exception=True)
        return {**serializer.validated_data, "company": self.company}

    def editable_rows(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.filter(editable_by(self.membership))

    def bulk_rows(self, pks: list[int]) -> NamedClients:
        return NamedClients(
            company_id=self.company.pk, pks=pks, editable=editable_by(self.membership)
        )

    def bulk_answer(self, pks: list[int]) -> AnswerReader:
        return lambda window: client_page(
            company=self.company,
            membership=self.membership,
            includes=self.includes,
            ids=pks,
            window=window,
        )
