"""Helpers for driving ClientFilterSet directly, without HTTP."""

from datetime import UTC, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict

from clients.api.filters import ClientFilterSet
from clients.models import Client
from companies.models import Company


def filterset(
    company: Company, query: str = "", queryset: QuerySet[Client] | None = None
) -> ClientFilterSet:
    """The FilterSet bound to a raw query string over `company`'s clients."""
    if queryset is None:
        queryset = Client.objects.filter(company=company)
    return ClientFilterSet(data=QueryDict(query), queryset=queryset)


def listed(company: Company, query: str = "", **kwargs: Any) -> list[Client]:
    """The clients the query lists, in order; the query must be valid."""
    result = filterset(company, query, **kwargs)
    assert result.is_valid(), result.errors
    return list(result.qs)


def errors(company: Company, query: str) -> dict[str, list[str]]:
    """The validation errors of the query, keyed by parameter."""
    result = filterset(company, query)
    assert not result.is_valid()
    return {key: list(messages) for key, messages in result.errors.items()}


def at(year: int, month: int, day: int, hour: int = 0) -> datetime:
    """A UTC moment."""
    return datetime(year, month, day, hour, tzinfo=UTC)
