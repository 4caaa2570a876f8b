"""The generic request flows of the API's resources (clients, groups, documents).

A resource's viewset combines the flows it serves and fills in the hooks:

- every flow: `represent(row)` (the row as the API shows it) and `stored(row)`
  (the row to answer after a write; default: the row the service returned);
- `ListMixin`: `GET /things` → `listed()` (the filtered queryset; 422 for a bad
  filter) → the request's page window (422 for a bad page) → `page_of()` →
  the list envelope;
- `RetrieveMixin`: `GET /things/{id}` → `get_object()` (404) → `{"data": row}`;
- `CreateMixin`: `POST /things` → `input_serializer_class` (422) →
  `perform_create(data)` (the service) → the stored row;
- `UpdateMixin` / `PatchMixin`: `PUT` / `PATCH /things/{id}` →
  `get_write_object()` (404, 403) → refused while deleted when
  `deleted_message` is set (400) → input (422) → `perform_update(row, data)` →
  the stored row;
- `DestroyMixin`: `DELETE /things/{id}` → `get_write_object()` →
  `perform_destroy(row)` → the stored row.

Updates and deletes run inside `write_guard(row)` (default: nothing), where a
resource checks its `If-Match` precondition under the row's lock.

The bulk action is `config.api.bulk.BulkMixin`.
"""

from contextlib import AbstractContextManager, nullcontext
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Model, QuerySet
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.errors import ApiError
from config.api.pagination import AnyPage, PageWindow, queryset_page
from config.api.viewsets import CompanyScopedViewSet


class ResourceViewSet(CompanyScopedViewSet):
    """What every flow shares: who acts, and how a row is shown and answered."""

    @property
    def user(self) -> AbstractBaseUser:
        """The authenticated user (every resource needs a token)."""
        user = self.request.user
        assert isinstance(user, AbstractBaseUser)
        return user

    def represent(self, row: Any) -> dict[str, Any]:
        """The row as the API shows it."""
        raise NotImplementedError

    def stored(self, row: Any) -> Any:
        """The row to answer after a write (default: as the service returned it)."""
        return row

    def write_guard(self, row: Any) -> AbstractContextManager[None]:
        """What an update or delete of `row` runs inside (default: nothing)."""
        return nullcontext()

    def answer(self, row: Any, headers: dict[str, str] | None = None) -> Response:
        """`{"data": <row>}`."""
        return Response({"data": self.represent(row)}, headers=headers)

    def respond_page(self, page: AnyPage[Any]) -> Response:
        """The list envelope of a page."""
        return self.paginator.respond(page, [self.represent(row) for row in page.rows])


class ListMixin(ResourceViewSet):
    """`GET /things`: a page of the rows the member sees, filtered and sorted."""

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        listed = self.listed()
        return self.respond_page(self.page_of(listed, self.paginator.window(request)))

    def listed(self) -> QuerySet[Any] | None:
        """The rows the query string asks for (the filter backends over
        `get_queryset()`); None lets `page_of` read an unfiltered list its own way."""
        return self.filter_queryset(self.get_queryset())

    def page_of(self, listed: QuerySet[Any] | None, window: PageWindow) -> AnyPage[Any]:
        """The window of the listed rows (default: counted and sliced)."""
        assert listed is not None
        return queryset_page(listed, window)


class RetrieveMixin(ResourceViewSet):
    """`GET /things/{id}`: one row, in any state."""

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.answer(self.get_object())


class _InputMixin(ResourceViewSet):
    input_serializer_class: ClassVar[type[serializers.BaseSerializer[Any]]]

    def input_context(self, row: Model | None) -> dict[str, Any]:
        """The input serializer's context; `row` is the row updated (None: create)."""
        return {"company": self.company, "request": self.request}

    def validated_input(self, row: Model | None = None) -> dict[str, Any]:
        """The request body validated for a create, or for an update of `row` (only
        the keys sent), else 422."""
        serializer = self.input_serializer_class(
            data=self.request.data,
            partial=row is not None,
            context=self.input_context(row),
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


class CreateMixin(_InputMixin):
    """`POST /things`: answers 200 (as upstream does) with the stored row."""

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row = self.perform_create(self.validated_input())
        return self.answer(self.stored(row), headers=self.created_headers(row))

    def perform_create(self, data: dict[str, Any]) -> Model:
        """Create the row through the service; returns it."""
        raise NotImplementedError

    def created_headers(self, row: Model) -> dict[str, str] | None:
        """Headers of a create's answer (none by default)."""
        return None


class UpdateMixin(_InputMixin):
    """`PUT /things/{id}`: writes the keys sent, answers the stored row."""

    # Set to refuse updates of a deleted row with this message (400).
    deleted_message: ClassVar[str | None] = None

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row = self.get_write_object()
        if self.deleted_message and getattr(row, "is_deleted", False):
            raise ApiError(self.deleted_message, 400)
        with self.write_guard(row):
            row = self.perform_update(row, self.validated_input(row))
        return self.answer(self.stored(row))

    def perform_update(self, row: Any, data: dict[str, Any]) -> Model:
        """Update the row through the service; returns it."""
        raise NotImplementedError


class PatchMixin(UpdateMixin):
    """`PATCH /things/{id}`: the same as `PUT`."""

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, **kwargs)


class DestroyMixin(ResourceViewSet):
    """`DELETE /things/{id}`: answers the row as stored after the delete."""

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row = self.get_write_object()
        with self.write_guard(row):
            self.perform_destroy(row)
        return self.answer(self.stored(row))

    def perform_destroy(self, row: Any) -> None:
        """Delete the row through the service."""
        raise NotImplementedError
