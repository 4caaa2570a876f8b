"""The OpenAPI documentation of `/api/v1/clients` (`CLIENT_OPERATIONS`, applied by
`clients.api.views.ClientViewSet`), kept apart so the viewset reads as code."""

from collections.abc import Sequence
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers

from clients.api import examples
from clients.api.inputs import (
    BulkActionSerializer,
    ClientInputSerializer,
    ClientOwnerInputSerializer,
    ClientStatusInputSerializer,
    ClientTagsInputSerializer,
)
from clients.api.outputs import ClientSerializer
from clients.fields import BULK_UPDATE_COLUMNS
from config.api.bulk import MAX_BULK_IDS
from config.api.openapi_headers import (
    ETAG_HEADER,
    IDEMPOTENCY_KEY,
    IF_MATCH,
    IF_NONE_MATCH,
    REPLAYED_HEADER,
)
from config.errors import INVALID_IDS

INCLUDE_PARAMETER = OpenApiParameter(
    "include",
    OpenApiTypes.STR,
    description=(
        "Comma list of extra relations: activities (50 newest), group_settings, "
        "ledger, system_logs. contacts, documents and gateway_tokens are always "
        "included. An unknown name answers 400."
    ),
)

# The headers of the reads and writes of one client, and of the creating writes.
READ_HEADERS = [IF_NONE_MATCH, ETAG_HEADER]
WRITE_HEADERS = [IF_MATCH, ETAG_HEADER]
IDEMPOTENT_HEADERS = [IDEMPOTENCY_KEY, REPLAYED_HEADER]

ERRORS_422 = "422 with the messages by input key"
CLIENT_UPDATE_DESCRIPTION = (
    "Writes the keys sent; the others keep their values, and `settings` are merged "
    "key by key. `contacts`, when sent, is the whole set: contacts are matched by "
    "`id`, those left out are deleted and those without a known `id` are added. "
    "`tags`, when sent, is the whole set too. An archived client stays archived, "
    "unless `active` (Paymo's) is sent: false archives it, true restores it. A "
    "field the company requires (see `GET /companies/current`) may be left out "
    "but not sent empty. Answers the client as stored. Errors: 404 "
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

# Schema only: the bulk action validates with BulkActionSerializer and its ids check.
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
        "tags": serializers.ListField(
            child=serializers.CharField(),
            required=False,
            help_text="The tags `add_tags` adds or `remove_tags` takes off.",
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


def _answers_a_client(
    headers: Sequence[OpenApiParameter] = (), **documentation: Any
) -> Any:
    """An operation that answers one client, its relations chosen by `include`,
    taking the request `headers` too."""
    return extend_schema(
        parameters=[INCLUDE_PARAMETER, *headers],
        responses=ClientSerializer,
        **documentation,
    )


def _writes_a_client(**documentation: Any) -> Any:
    """An operation that writes a client from `ClientInputSerializer`'s keys."""
    return _answers_a_client(request=ClientInputSerializer, **documentation)


CLIENT_OPERATIONS = {
    "list": extend_schema(
        summary="List clients",
        description=(
            "A page of the company's clients, in any state unless `status` says "
            "which (`status=active` is what Invoice Ninja's apps send). Filters "
            "combine; `filter` searches names, numbers, custom values and the "
            "contacts' names, emails and phones; `where` takes Paymo-style "
            'conditions (`name like "%Inc%" and balance>100 and active=true`). '
            "`sort=column|asc` or `|desc` "
            "(default `id`); `per_page` up to 5,000; `after=` pages an export by "
            "id, without a total. A member without `view_client` sees only the "
            "clients they made or are assigned to. Errors: a malformed filter, "
            f"where, sort or status is a {ERRORS_422}; an unknown `include` is a "
            "400."
        ),
        parameters=[INCLUDE_PARAMETER],
        responses=ClientSerializer(many=True),
        examples=examples.CLIENT_LIST,
    ),
    "retrieve": _answers_a_client(
        headers=READ_HEADERS,
        summary="Show a client",
        description=(
            "One client with its contacts and documents, also when archived or "
            "deleted. Errors: 404 `Client not found` for an id that does not "
            "decode, does not exist or is another company's (the same answer)."
        ),
        examples=examples.CLIENT_SHOW,
    ),
    "edit": _answers_a_client(
        headers=READ_HEADERS,
        operation_id="clients_edit",
        summary="Show a client (edit alias)",
        description=(
            "The same answer as `GET /clients/{id}`, under upstream's edit route. "
            "Errors: 404 for an unknown id."
        ),
        examples=examples.CLIENT_SHOW,
    ),
    "create": _writes_a_client(
        headers=[ETAG_HEADER, *IDEMPOTENT_HEADERS],
        summary="Create a client",
        description=(
            "Answers 200 (as upstream does) with the client and a `Location` "
            "header. A blank `number` is generated from the company's counter "
            "and pattern; `country_id` left out or empty is the company's "
            "country; no `contacts` (or `[]`) gives one blank contact. Exactly one "
            "contact ends up primary. Unknown and read-only keys are ignored. "
            f"Errors: {ERRORS_422} (`number` or `id_number` taken, an unknown "
            "country, `contacts.0.email` invalid or repeated, a weak contact "
            "password, a mistyped setting, a field the company requires left "
            "empty: `custom_value2`, `contacts.0.custom_value1`, see "
            "`GET /companies/current`); 400 for a body that is not an object. "
            "A multipart body may carry a logo under `image` (JPEG, PNG or GIF, "
            "checked as by `POST /clients/{id}/logo`): the client and its logo "
            "are created together or not at all (a refused image is a 422 keyed "
            "`image`)."
        ),
        examples=examples.CLIENT_CREATE,
    ),
    "update": _writes_a_client(
        headers=WRITE_HEADERS,
        summary="Update a client",
        description=CLIENT_UPDATE_DESCRIPTION,
        examples=examples.CLIENT_UPDATE,
    ),
    "partial_update": _writes_a_client(
        headers=WRITE_HEADERS,
        summary="Update a client (PATCH)",
        description=f"The same as `PUT`. {CLIENT_UPDATE_DESCRIPTION}",
        examples=examples.CLIENT_UPDATE,
    ),
    "destroy": _answers_a_client(
        headers=WRITE_HEADERS,
        summary="Delete a client",
        description=(
            "Marks the client deleted (`is_deleted` true, `archived_at` set) and "
            "answers it; nothing is removed, and a bulk `restore` brings it back. "
            "Deleting twice changes nothing. To remove a client for good, purge "
            "it. Errors: 404 for an unknown id; 403 when the user may not edit it."
        ),
    ),
    "blank": _answers_a_client(
        operation_id="clients_blank",
        summary="A blank client",
        description=(
            "An unsaved client with the defaults a new one gets (`id` empty, the "
            "company's country and currency, a fresh `client_hash`), for a form "
            "to start from. Errors: 403 without `create_client`."
        ),
    ),
    "bulk": extend_schema(
        operation_id="clients_bulk",
        summary="Archive, restore, delete, group, tag or edit many clients",
        description=(
            "`archive`, `restore`, `delete`, `assign_group` (with "
            "`group_settings_id`), `bulk_update` (with `column` and "
            "`new_value`), `add_tags` or `remove_tags` (with `tags`; names a "
            "client lacks are ignored) "
            f"for up to {MAX_BULK_IDS:,} ids, in one transaction. "
            "Clients the user may not edit are skipped. Answers the clients asked "
            "for in the list envelope (`per_page` applies). Errors: 422 and "
            f"nothing changed when an id is not one of the company's clients (\""
            f'{INVALID_IDS}"), there are more than {MAX_BULK_IDS:,}, or the '
            "action, group, column, value or tags are invalid."
        ),
        parameters=[
            OpenApiParameter(
                "action",
                OpenApiTypes.STR,
                enum=BulkActionSerializer.ACTIONS,
                description="The action, when the body has none.",
            ),
            *IDEMPOTENT_HEADERS,
        ],
        request=BulkRequest,
        responses=ClientSerializer(many=True),
        examples=examples.CLIENT_BULK,
    ),
    "tags": _answers_a_client(
        operation_id="clients_tags",
        summary="Replace a client's tags",
        description=(
            "The body's `tags` become the client's whole set (`[]` clears it); a "
            "tag new to the company joins its vocabulary, one it has already (in "
            "any case) is reused with its first spelling. Answers the client. "
            "One update activity. Errors: 404 for an unknown id; 400 for a "
            f"deleted client; {ERRORS_422} (`tags`: not an array, an empty or "
            "longer than 100 characters tag, more than 100 tags)."
        ),
        request=ClientTagsInputSerializer,
        examples=examples.CLIENT_TAGS,
    ),
    "owner": _answers_a_client(
        operation_id="clients_owner",
        summary="Make a contact the client's primary contact",
        description=(
            "The contact `contact_id` (a live contact of this client) becomes the "
            "primary contact, shown first; the previous primary no longer is. "
            "Answers the client; one update activity (type 61). Errors: 404 for "
            "an unknown client; 400 for a deleted client; 422 keyed `contact_id` "
            "for a contact that is not a live one of this client."
        ),
        request=ClientOwnerInputSerializer,
    ),
    "status": _answers_a_client(
        operation_id="clients_status",
        summary="Archive or restore a client",
        description=(
            "`archived` archives an active client, `active` restores an archived "
            "one: the bulk archive and restore, with their activity; the status "
            'it has already changes nothing. Paymo\'s `{"active": false}` in an '
            "update body does the same. Errors: 404 for an unknown id; 400 for a "
            "deleted client (restore it with the bulk action); 422 keyed `status`."
        ),
        request=ClientStatusInputSerializer,
        examples=examples.CLIENT_STATUS,
    ),
}
