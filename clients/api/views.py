"""Client, group settings and statics endpoints (API.md §5-§7, §10)."""

from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Model, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from clients.api.filters import ClientFilterSet
from clients.api.inputs import (
    BulkActionSerializer,
    ClientInputSerializer,
)
from clients.api.outputs import (
    ClientSerializer,
    client_representation,
)
from clients.fields import BULK_UPDATE_COLUMNS
from clients.models import Client
from clients.reference import as_country
from clients.selectors import (
    attach_contacts_and_documents,
    clients_of,
    clients_with_includes,
    company_client,
    company_client_page,
    company_client_total,
    editable_by,
    parse_includes,
    with_document_flag,
)
from clients.services.bulk import (
    clients_archive,
    clients_assign_group,
    clients_bulk_update,
    clients_delete,
    clients_restore,
)
from clients.services.clients import (
    DELETED_CLIENT_MESSAGE,
    client_create,
    client_delete,
    client_update,
)
from clients.services.settings import new_client_settings
from companies.models import Membership
from config.api import examples
from config.api.bulk import INVALID_IDS, MAX_BULK_IDS, _merge_errors, company_ids
from config.api.errors import ApiError
from config.api.filters import filters_sent
from config.api.hashids import encode_id
from config.api.pagination import EnvelopePagination
from config.api.viewsets import CompanyScopedViewSet

INCLUDE_PARAMETER = OpenApiParameter(
    "include",
    OpenApiTypes.STR,
    description=(
        "Comma list of extra relations: activities (50 newest), group_settings, "
        "ledger, system_logs. contacts, documents and gateway_tokens are always "
        "included. An unknown name answers 400."
    ),
)

ERRORS_422 = "422 with the messages by input key"
CLIENT_UPDATE_DESCRIPTION = (
    "Writes the keys sent; the others keep their values, and `settings` are merged "
    "key by key. `contacts`, when sent, is the whole set: contacts are matched by "
    "`id`, those left out are deleted and those without a known `id` are added. "
    "An archived client stays archived. Answers the client as stored. Errors: 404 "
    f"for an unknown id; 400 for a deleted client (restore it first); {ERRORS_422}."
)


@extend_schema_field(
    {"oneOf": [{"type": "string"}, {"type": "integer"}], "nullable": True}
)
class BulkValueField(serializers.JSONField):
    """`new_value` of a bulk update: text, or a numeric id for the id columns."""


BULK_IDS_HELP = (
    "Hashed ids of the company's clients (deleted ones too), at most "
    f"{MAX_BULK_IDS:,}; a comma-separated string works as well."
)

# Schema only: `bulk` validates with BulkActionSerializer and `company_ids`.
BulkRequest = inline_serializer(
    "ClientBulk",
    {
        "action": serializers.ChoiceField(
            choices=BulkActionSerializer.ACTIONS,
            help_text="Also accepted in the query string.",
        ),
        "ids": serializers.ListField(
            child=serializers.CharField(),
            min_length=1,
            max_length=MAX_BULK_IDS,
            help_text=BULK_IDS_HELP,
        ),
        "group_settings_id": serializers.CharField(
            required=False,
            allow_blank=True,
            allow_null=True,
            help_text="The group, for `assign_group`.",
        ),
        "column": serializers.ChoiceField(
            choices=BULK_UPDATE_COLUMNS,
            required=False,
            help_text="The column `bulk_update` sets.",
        ),
        "new_value": BulkValueField(
            required=False,
            help_text=(
                "The value `bulk_update` writes: text, or a numeric id for "
                '`industry_id`, `size_id` and `country_id` ("" or null: none; '
                "the company's country for `country_id`)."
            ),
        ),
    },
)


class ClientViewSet(CompanyScopedViewSet):
    """`/api/v1/clients`: list, show, create, update, delete, bulk actions."""

    permission_entity = "client"
    # Set per action (`@action(permission_action=...)`); by method when None.
    permission_action: str | None = None
    not_found_message = "Client not found"
    serializer_class = ClientSerializer
    filterset_class = ClientFilterSet

    @property
    def user(self) -> AbstractBaseUser:
        user = self.request.user
        assert isinstance(user, AbstractBaseUser)
        return user

    @cached_property
    def includes(self) -> frozenset[str]:
        return parse_includes(self.request.query_params.get("include"))

    def get_queryset(self) -> QuerySet[Client]:
        if getattr(self, "swagger_fake_view", False):
            return Client.objects.none()
        return self.shown_clients(self.membership)

    def shown_clients(self, membership: Membership | None) -> QuerySet[Client]:
        """The clients as the views show them (of `membership`, or all), with the
        includes and the documents flag; contacts and documents are attached after."""
        return with_document_flag(
            clients_with_includes(
                company=self.company, membership=membership, includes=self.includes
            )
        )

    def page_of(
        self, queryset: QuerySet[Client], *, limit: int, offset: int
    ) -> tuple[list[Client], int]:
        """The paginator's page and total, with contacts and documents attached.

        The whole-company list reads both in one prepared query; a bulk answer for
        a member who sees every client is a slice of its sorted ids; otherwise the
        total is counted (from the trigger-kept count for the whole company).
        """
        if self.reads_company_page:
            clients, total = company_client_page(
                company=self.company, limit=limit, offset=offset
            )
        elif self.bulk_pks is not None and self.sees_every_client:
            window = self.bulk_pks[offset : offset + limit]
            clients = list(self.get_queryset().filter(pk__in=window)) if window else []
            total = len(self.bulk_pks)
        else:
            if self.lists_whole_company:
                total = company_client_total(company=self.company)
            else:
                total = queryset.order_by().count()
            clients = list(queryset[offset : offset + limit]) if offset < total else []
        attach_contacts_and_documents(clients)
        return clients, total

    def page_after(
        self, queryset: QuerySet[Client], *, after: int, limit: int
    ) -> list[Client]:
        """A keyset page (`after=`): the next clients by id, no count, no OFFSET."""
        clients = list(queryset.filter(pk__gt=after).order_by("id")[:limit])
        attach_contacts_and_documents(clients)
        return clients

    # Set by a bulk action: the ids its answer lists, sorted (all were checked to be
    # the company's), so a member who sees every client needs no count.
    bulk_pks: list[int] | None = None

    @cached_property
    def sees_every_client(self) -> bool:
        return self.membership.can("view", "client")

    @cached_property
    def lists_whole_company(self) -> bool:
        """A list of every client of the company: no filter, and a member who sees
        every client."""
        return (
            self.action == "list"
            and not filters_sent(self.request, ClientFilterSet)
            and self.sees_every_client
        )

    @cached_property
    def reads_company_page(self) -> bool:
        """The whole-company list by page number without includes: one prepared
        query, and no ORM queryset or FilterSet built for it."""
        keyset = EnvelopePagination.after_query_param in self.request.query_params
        return self.lists_whole_company and not self.includes and not keyset

    def represent(self, client: Client) -> dict[str, Any]:
        return client_representation(client, self.request, self.includes)

    def read_client(self, pk: int, *, visible_only: bool = True) -> Client | None:
        """One client as the API shows it (any state), or None. Without includes,
        for a member who sees every client, the client is one prepared query."""
        membership = self.membership if visible_only else None
        client: Client | None
        if not self.includes and (membership is None or self.sees_every_client):
            client = company_client(company=self.company, pk=pk)
        else:
            rows = list(self.shown_clients(membership).filter(pk=pk)[:1])
            client = rows[0] if rows else None
        if client is not None:
            attach_contacts_and_documents([client])
        return client

    def find_object(
        self, pk: int, queryset: QuerySet[Any] | None = None
    ) -> Model | None:
        if queryset is not None:  # a write's own lookup (`write_object`)
            return super().find_object(pk, queryset)
        return self.read_client(pk)

    def reread(self, client: Client) -> Client:
        """The client as the API shows it after a write."""
        fresh = self.read_client(client.pk, visible_only=False)
        assert fresh is not None
        return fresh

    def write_object(self) -> Client:
        """The client of the path for a write: visible, and editable by the user."""
        client = self.get_object_by_hashid(
            self.kwargs.get(self.lookup_url_kwarg, ""),
            queryset=clients_of(company=self.company, membership=self.membership),
        )
        assert isinstance(client, Client)
        return client

    def input_serializer(
        self, data: Any, client: Client | None = None
    ) -> ClientInputSerializer:
        serializer = ClientInputSerializer(
            data=data,
            partial=client is not None,
            context={
                "company": self.company,
                "client": client,
                "request": self.request,
            },
        )
        serializer.is_valid(raise_exception=True)
        return serializer

    @extend_schema(
        summary="List clients",
        description=(
            "A page of the company's clients, in any state unless `status` says "
            "which (`status=active` is what Invoice Ninja's apps send). Filters "
            "combine; `filter` searches names, numbers, custom values and the "
            "contacts' names, emails and phones. `sort=column|asc` or `|desc` "
            "(default `id`); `per_page` up to 5,000; `after=` pages an export by "
            "id, without a total. A member without `view_client` sees only the "
            "clients they made or are assigned to. Errors: a malformed filter, "
            f"sort or status is a {ERRORS_422}; an unknown `include` is a 400."
        ),
        parameters=[INCLUDE_PARAMETER],
        responses=ClientSerializer(many=True),
        examples=examples.CLIENT_LIST,
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.includes  # noqa: B018 - an unknown include answers 400 before any query
        queryset: QuerySet[Client]
        if self.reads_company_page:
            queryset = Client.objects.none()  # `page_of` reads the page itself
        else:
            queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response([self.represent(c) for c in page or []])

    @extend_schema(
        summary="Show a client",
        description=(
            "One client with its contacts and documents, also when archived or "
            "deleted. Errors: 404 `Client not found` for an id that does not "
            "decode, does not exist or is another company's (the same answer)."
        ),
        parameters=[INCLUDE_PARAMETER],
        responses=ClientSerializer,
        examples=examples.CLIENT_SHOW,
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.includes  # noqa: B018
        return Response({"data": self.represent(self.get_object())})

    @extend_schema(
        operation_id="clients_edit",
        summary="Show a client (edit alias)",
        description=(
            "The same answer as `GET /clients/{id}`, under upstream's edit route. "
            "Errors: 404 for an unknown id."
        ),
        parameters=[INCLUDE_PARAMETER],
        responses=ClientSerializer,
        examples=examples.CLIENT_SHOW,
    )
    @action(detail=True, methods=["get"], url_path="edit")
    def edit(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The client, as `GET /clients/{id}` (upstream's edit alias)."""
        return self.retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Create a client",
        description=(
            "Answers 200 (as upstream does) with the client and a `Location` "
            "header. A blank `number` is generated from the company's counter "
            "and pattern; `country_id` left out or empty is the company's "
            "country; no `contacts` (or `[]`) gives one blank contact. Exactly one "
            "contact ends up primary. Unknown and read-only keys are ignored. "
            f"Errors: {ERRORS_422} (`number` or `id_number` taken, an unknown "
            "country, `contacts.0.email` invalid or repeated, a weak contact "
            "password, a mistyped setting); 400 for a body that is not an object."
        ),
        parameters=[INCLUDE_PARAMETER],
        request=ClientInputSerializer,
        responses=ClientSerializer,
        examples=examples.CLIENT_CREATE,
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.includes  # noqa: B018
        serializer = self.input_serializer(request.data)
        client = client_create(
            company=self.company, user=self.user, data=serializer.validated_data
        )
        hashid = encode_id(client.pk)
        location = request.build_absolute_uri(f"{request.path.rstrip('/')}/{hashid}")
        return Response(
            {"data": self.represent(self.reread(client))},
            status=status.HTTP_200_OK,
            headers={"Location": location},
        )

    @extend_schema(
        summary="Update a client",
        description=CLIENT_UPDATE_DESCRIPTION,
        parameters=[INCLUDE_PARAMETER],
        request=ClientInputSerializer,
        responses=ClientSerializer,
        examples=examples.CLIENT_UPDATE,
    )
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.includes  # noqa: B018
        client = self.write_object()
        if client.is_deleted:
            raise ApiError(DELETED_CLIENT_MESSAGE, 400)
        serializer = self.input_serializer(request.data, client)
        client = client_update(
            client=client, user=self.user, data=serializer.validated_data
        )
        return Response({"data": self.represent(self.reread(client))})

    @extend_schema(
        summary="Update a client (PATCH)",
        description=f"The same as `PUT`. {CLIENT_UPDATE_DESCRIPTION}",
        parameters=[INCLUDE_PARAMETER],
        request=ClientInputSerializer,
        responses=ClientSerializer,
        examples=examples.CLIENT_UPDATE,
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, **kwargs)

    @extend_schema(
        summary="Delete a client",
        description=(
            "Marks the client deleted (`is_deleted` true, `archived_at` set) and "
            "answers it; nothing is removed, and a bulk `restore` brings it back. "
            "Deleting twice changes nothing. To remove a client for good, purge "
            "it. Errors: 404 for an unknown id; 403 when the user may not edit it."
        ),
        parameters=[INCLUDE_PARAMETER],
        responses=ClientSerializer,
    )
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.includes  # noqa: B018
        client = self.write_object()
        client_delete(client=client, user=self.user)
        return Response({"data": self.represent(self.reread(client))})

    @extend_schema(
        operation_id="clients_blank",
        summary="A blank client",
        description=(
            "An unsaved client with the defaults a new one gets (`id` empty, the "
            "company's country and currency, a fresh `client_hash`), for a form "
            "to start from. Errors: 403 without `create_client`."
        ),
        parameters=[INCLUDE_PARAMETER],
        responses=ClientSerializer,
    )
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
        return Response({"data": self.represent(client)})

    @extend_schema(
        operation_id="clients_bulk",
        summary="Archive, restore, delete, group or edit many clients",
        description=(
            "`archive`, `restore`, `delete`, `assign_group` (with "
            "`group_settings_id`) or `bulk_update` (with `column` and "
            f"`new_value`) for up to {MAX_BULK_IDS:,} ids, in one transaction. "
            "Clients the user may not edit are skipped. Answers the clients asked "
            "for in the list envelope (`per_page` applies). Errors: 422 and "
            f"nothing changed when an id is not one of the company's clients (\""
            f'{INVALID_IDS}"), there are more than {MAX_BULK_IDS:,}, or the '
            "action, group, column or value is invalid."
        ),
        parameters=[
            OpenApiParameter(
                "action",
                OpenApiTypes.STR,
                enum=BulkActionSerializer.ACTIONS,
                description="The action, when the body has none.",
            )
        ],
        request=BulkRequest,
        responses=ClientSerializer(many=True),
        examples=examples.CLIENT_BULK,
    )
    @action(detail=False, methods=["post"], url_path="bulk", permission_action="edit")
    def bulk(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """archive, restore, delete, assign_group or bulk_update a set of clients.

        Every id must be one of the company's clients (deleted ones too), else 422
        and nothing changes; clients the user may not edit are skipped.
        """
        self.includes  # noqa: B018
        body = request.data if hasattr(request.data, "get") else {}
        data = {
            key: body.get(key)
            for key in ("group_settings_id", "column", "new_value")
            if key in body
        }
        data["action"] = body.get("action") or request.query_params.get("action", "")
        serializer = BulkActionSerializer(data=data, context={"company": self.company})
        action_error: ValidationError | None = None
        ids_error: ValidationError | None = None
        try:
            serializer.is_valid(raise_exception=True)
        except ValidationError as exc:
            action_error = exc
        pks: list[int] = []
        try:
            pks = company_ids(
                Client.objects.filter(company=self.company), body.get("ids")
            )
        except ValidationError as exc:
            ids_error = exc
        _merge_errors(action_error, ids_error)

        options = serializer.validated_data
        targets = Client.objects.filter(company=self.company, pk__in=pks).filter(
            editable_by(self.membership)
        )
        self.run_bulk(options, targets)
        self.bulk_pks = pks
        queryset = self.get_queryset().filter(pk__in=pks)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response([self.represent(c) for c in page or []])

    def run_bulk(self, options: dict[str, Any], targets: QuerySet[Client]) -> None:
        user = self.user
        name = options["action"]
        simple: dict[str, Callable[..., int]] = {
            "archive": clients_archive,
            "restore": clients_restore,
            "delete": clients_delete,
        }
        if name in simple:
            simple[name](clients_queryset=targets, user=user)
        elif name == "assign_group":
            clients_assign_group(
                clients_queryset=targets, user=user, group=options["group_settings"]
            )
        elif name == "bulk_update":
            clients_bulk_update(
                clients_queryset=targets,
                user=user,
                column=options["column"],
                value=options["new_value"],
            )
