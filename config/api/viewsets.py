"""The base viewset every API resource builds on: company scope and hashid lookup."""

from typing import Any

from django.db.models import Model, QuerySet
from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request

from companies.models import Company, Membership
from config.api.errors import NotFoundError
from config.api.hashids import decode_id
from config.api.pagination import EnvelopePagination
from config.api.permissions import EntityPermission


class CompanyScopedViewSet(viewsets.GenericViewSet[Any]):
    """Rows of the request's company, addressed by hashed id.

    An id that does not decode, does not exist, or is another company's gives the
    same 404 body (`not_found_message`), so ids can't be probed.
    """

    permission_classes = [IsAuthenticated, EntityPermission]
    permission_entity = ""
    not_found_message = "Not found"
    lookup_url_kwarg = "id"
    lookup_value_regex = "[^/]+"

    @property
    def paginator(self) -> EnvelopePagination:
        paginator = super().paginator
        assert isinstance(paginator, EnvelopePagination)
        return paginator

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # Before the action: bulk actions page their answer after they write.
        self.paginator.check_query(request)

    @property
    def company(self) -> Company:
        company: Company = self.request.company
        return company

    @property
    def membership(self) -> Membership:
        membership: Membership = self.request.membership
        return membership

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["company"] = getattr(self.request, "company", None)
        return context

    def get_object(self) -> Any:
        """The row of the path as the API shows it (`find_object`), or 404."""
        return self.get_object_by_hashid(self.kwargs.get(self.lookup_url_kwarg, ""))

    def get_write_object(self) -> Any:
        """The row of the path to write: looked up in `get_queryset()` itself, so a
        view that reads through a selector still writes the scoped row."""
        return self.get_object_by_hashid(
            self.kwargs.get(self.lookup_url_kwarg, ""), queryset=self.get_queryset()
        )

    def get_object_by_hashid(
        self,
        hashid: str,
        queryset: QuerySet[Any] | None = None,
        message: str | None = None,
    ) -> Model:
        """One of the company's rows by hashid, or 404 with the resource's message."""
        pk = decode_id(hashid)
        obj: Model | None = None
        if pk is not None:
            obj = self.find_object(pk) if queryset is None else first(queryset, pk)
        if obj is None:
            raise NotFoundError(message or self.not_found_message)
        self.check_object_permissions(self.request, obj)
        return obj

    def find_object(self, pk: int) -> Model | None:
        """The row of `pk` as the API shows it (default: in `get_queryset()`)."""
        row: Model | None = first(self.get_queryset(), pk)
        return row


def first(queryset: QuerySet[Any], pk: int) -> Any:
    """The row of `pk` in `queryset`, or None."""
    # `[:1]` rather than `.first()`: no ORDER BY to build for a primary-key lookup.
    rows = list(queryset.filter(pk=pk)[:1])
    return rows[0] if rows else None
