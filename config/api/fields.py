"""Serializer fields for the API's conventions: hashed ids, unix times, strings
that are never null and flags that take form spellings."""

from datetime import datetime
from typing import Any

from django.db.models import Model, QuerySet
from rest_framework import serializers

from config.api.hashids import decode_id, encode_id


def unix_time(value: datetime | None) -> int:
    """A datetime as unix seconds; unset is 0."""
    return int(value.timestamp()) if value else 0


class HashidRelatedField(serializers.RelatedField[Model, Any, Any]):
    """A foreign key given as a hashid, resolved inside the request's company.

    `company_lookup` names the path from the related model to its company
    (`company`, or `memberships__company` for users). An unknown, undecodable or
    other-company id fails with the same message, so ids can't be probed.
    """

    default_error_messages = {"invalid": "The selected {field_name} is invalid."}

    def __init__(self, company_lookup: str = "company", **kwargs: Any) -> None:
        self.company_lookup = company_lookup
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset()
        company = self.context.get("company")
        return queryset.filter(**{self.company_lookup: company})

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if data == "":
            data = None
        return super().validate_empty_values(data)

    def to_internal_value(self, data: Any) -> Model:
        name = (self.field_name or "id").replace("_", " ")
        pk = decode_id(data)
        if pk is None:
            self.fail("invalid", field_name=name)
        instance: Model | None = self.get_queryset().filter(pk=pk).first()
        if instance is None:
            self.fail("invalid", field_name=name)
        return instance

    def to_representation(self, value: Any) -> str:
        return encode_id(value.pk)

    def use_pk_only_optimization(self) -> bool:
        return True


class StringInputField(serializers.CharField):
    """A string input, optional; null means `""` (strings are never null in this
    API)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if data is None:
            return True, ""
        return super().validate_empty_values(data)


class FlagInputField(serializers.BooleanField):
    """A boolean input, optional, that also takes form spellings; `""` and null are
    false."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if data is None or data == "":
            return True, False
        return super().validate_empty_values(data)
