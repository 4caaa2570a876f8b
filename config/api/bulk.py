"""`POST /<resource>/bulk`, shared by clients, documents and groups.

One action over many rows of the company, in this order:

1. the action and its options (`bulk_options`) and the `ids` — decoded, at most
   5,000, every one a row of the company (deleted ones too) — are checked
   together: one 422 with every error, and nothing is written;
2. the answer's query (`bulk_answer`) and the page asked for are checked, so a
   422 there too comes before anything is written;
3. the action's set-based service (`bulk_services[action]`, one transaction)
   runs over the rows the member may edit (`bulk_rows`; others are skipped);
4. the answer: the rows asked for, in the list envelope.

A resource whose services lock the named rows can check "every id is a row of
the company" in the statement that locks them (`bulk_ids_checked_when_locking`):
one scan of the ids instead of two. Its services then raise the same 422 inside
their transaction, and the check of step 1 runs only to join other errors.
"""

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Model, QuerySet
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.fields import empty
from rest_framework.request import Request
from rest_framework.response import Response

import config.lookups  # noqa: F401  (registers `__any_of`)
from config.api.hashids import decode_ids
from config.api.mixins import ResourceViewSet
from config.api.pagination import AnyPage, PageWindow, queryset_page
from config.errors import INVALID_IDS

MAX_BULK_IDS = 5000
INVALID_ACTION = "The selected action is invalid."


@dataclass(frozen=True)
class BulkRun:
    """What a bulk service gets besides its rows: who acts, and the action's
    validated options (`group_settings`, `column`...)."""

    user: AbstractBaseUser | None
    options: Mapping[str, Any]


BulkService = Callable[[QuerySet[Any], BulkRun], object]
# Reads the answer's page for a window, after the write.
AnswerReader = Callable[[PageWindow], AnyPage[Any]]


def bulk_ids(raw: Any) -> list[str]:
    """The `ids` of a bulk request: a list of hashids (JSON, or `ids[]=` in a
    form) or a comma-separated string; 422 keyed `ids` otherwise."""
    if isinstance(raw, str):
        raw = [item.strip() for item in raw.split(",") if item.strip()]
    if raw in (None, [], {}):
        raise ValidationError({"ids": ["The ids field is required."]})
    if not isinstance(raw, list):
        raise ValidationError({"ids": ["The ids must be an array."]})
    if len(raw) > MAX_BULK_IDS:
        raise ValidationError(
            {"ids": [f"The ids may not have more than {MAX_BULK_IDS} items."]}
        )
    return raw


def bulk_ids_field() -> serializers.ListField:
    """The `ids` of a bulk request: 1 to `MAX_BULK_IDS` strings."""
    return serializers.ListField(
        child=serializers.CharField(allow_blank=True),
        allow_empty=False,
        max_length=MAX_BULK_IDS,
        error_messages={
            "empty": "The ids field is required.",
            "not_a_list": "The ids must be an array.",
            "max_length": f"The ids must not have more than {MAX_BULK_IDS} items.",
        },
    )


def _list_field() -> serializers.ListField:
    field = bulk_ids_field()
    field.bind("ids", serializers.Serializer())
    return field


def listed_ids(raw: Any) -> list[str]:
    """The `ids` of a bulk request that takes a JSON list only (documents), with
    the messages that endpoint has always answered."""
    try:
        hashids: list[str] = _list_field().run_validation(raw)
    except ValidationError as exc:
        raise ValidationError({"ids": exc.detail}) from None
    return hashids


def decoded_pks(hashids: list[Any]) -> list[int]:
    """The primary keys of `hashids`, sorted and distinct; 422 keyed `ids` when
    one does not decode."""
    pks = set(decode_ids(hashids))
    if None in pks:
        raise ValidationError({"ids": [INVALID_IDS]})
    return sorted(pk for pk in pks if pk is not None)


def check_rows_of(rows: QuerySet[Any], pks: list[int]) -> None:
    """422 keyed `ids` unless every one of `pks` is a row of `rows` (one count)."""
    if rows.filter(pk__any_of=pks).count() != len(pks):
        raise ValidationError({"ids": [INVALID_IDS]})


class BulkMixin(ResourceViewSet):
    """The `bulk` action (see the module docstring).

    A resource sets `model`, `bulk_services` (action name → set-based service) and
    `editable_rows`; it may refine `bulk_options` (extra keys) and `bulk_answer`.
    `bulk_lists_only` keeps the documents' stricter input: `ids` a JSON list and
    an action spelled exactly, taken from the query string only when the body
    has none.
    """

    model: ClassVar[type[Model]]
    bulk_services: ClassVar[Mapping[str, BulkService]]
    bulk_lists_only: ClassVar[bool] = False
    # The services check that every id is a row of the company as they lock the
    # rows (`bulk_rows` hands them what to check); see the module docstring.
    bulk_ids_checked_when_locking: ClassVar[bool] = False
    # What `OPTIONS` says of the bulk route (default: the viewset's docstring).
    bulk_description: ClassVar[str | None] = None
    # Set per action by the router (`@action(permission_action=...)`).
    permission_action: str | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.bulk_ids_checked_when_locking and cls.bulk_rows is BulkMixin.bulk_rows:
            # The default rows check nothing: the ids would go unchecked.
            raise TypeError(
                f"{cls.__name__} checks the ids when locking: it must hand its "
                "services what to check (override bulk_rows)"
            )
        description = cls.__dict__.get("bulk_description")
        if description:
            cls.bulk = _described(cls.bulk, description)  # type: ignore[method-assign]

    # No docstring: `OPTIONS` describes the route by `bulk_description`, else by
    # the viewset's docstring.
    @action(detail=False, methods=["post"], url_path="bulk", permission_action="edit")
    def bulk(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = request.data if hasattr(request.data, "get") else {}
        name, options, pks = self.bulk_input(body)
        try:
            answer = self.bulk_answer(pks)
            window = self.paginator.window(request)
        except ValidationError:
            if self.bulk_ids_checked_when_locking:
                check_rows_of(self.company_rows(), pks)  # the ids' 422 comes first
            raise
        # Each service is one transaction itself: wrapping it again would cost a
        # savepoint (two queries) per request, inside a request transaction too.
        run = BulkRun(user=self.user, options=options)
        self.bulk_services[name](self.bulk_rows(pks), run)
        return self.respond_page(answer(window))

    def bulk_input(self, body: Any) -> tuple[str, Mapping[str, Any], list[int]]:
        """The action, its options and the ids; their errors merged in one 422."""
        errors: dict[str, Any] = {}
        options: Mapping[str, Any] = {}
        pks: list[int] = []
        try:
            options = self.bulk_options(body)
        except ValidationError as exc:
            errors.update(_keyed(exc))
        try:
            raw = body.get("ids", empty if self.bulk_lists_only else None)
            hashids = listed_ids(raw) if self.bulk_lists_only else bulk_ids(raw)
            pks = decoded_pks(hashids)
            if errors or not self.bulk_ids_checked_when_locking:
                check_rows_of(self.company_rows(), pks)
        except ValidationError as exc:
            errors.update(_keyed(exc))
        if errors:
            raise ValidationError(errors)
        return str(options["action"]), options, pks

    def bulk_action_name(self, body: Any) -> Any:
        """The action of the body, else of the query string (`?action=`)."""
        query = self.request.query_params.get("action", "")
        if self.bulk_lists_only:
            return body.get("action", query)
        return body.get("action") or query

    def bulk_options(self, body: Any) -> Mapping[str, Any]:
        """The validated action (`{"action": name}`) and any options it takes."""
        raw = self.bulk_action_name(body)
        if self.bulk_lists_only:
            field = serializers.ChoiceField(
                choices=list(self.bulk_services),
                error_messages={"invalid_choice": INVALID_ACTION},
            )
            field.bind("action", serializers.Serializer())
            try:
                return {"action": field.run_validation(raw)}
            except ValidationError as exc:
                raise ValidationError({"action": exc.detail}) from None
        name = str(raw).strip().lower()
        if name not in self.bulk_services:
            raise ValidationError({"action": [INVALID_ACTION]})
        return {"action": name}

    def company_rows(self) -> QuerySet[Any]:
        """Every row of the company (any state), whoever may see it."""
        return self.model._default_manager.filter(company=self.company)

    def editable_rows(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        """The rows of `rows` the member may change."""
        raise NotImplementedError

    def bulk_rows(self, pks: list[int]) -> Any:
        """What the action's service runs over: the rows of `pks` the member may
        change."""
        return self.editable_rows(self.company_rows().filter(pk__any_of=pks))

    def bulk_answer(self, pks: list[int]) -> AnswerReader:
        """The answer's reader: the visible rows of `pks`, paged."""
        rows = self.get_queryset().filter(pk__any_of=pks)
        return lambda window: queryset_page(rows, window)


def _described(bulk: Any, description: str) -> Any:
    """A copy of the bulk action whose route is described as `description`."""

    @functools.wraps(bulk)
    def described(self: Any, request: Request, *args: Any, **kwargs: Any) -> Any:
        return bulk(self, request, *args, **kwargs)

    described.kwargs = {**bulk.kwargs, "description": description}  # type: ignore[attr-defined]
    return described


def _keyed(exc: ValidationError) -> dict[str, Any]:
    detail = exc.detail
    return dict(detail) if isinstance(detail, dict) else {"non_field_errors": detail}
