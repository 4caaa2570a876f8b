"""Shared plumbing of the bulk endpoints: the `ids` of a request, checked against the
company's rows."""

from typing import Any

from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError

from config.api.hashids import decode_id

MAX_BULK_IDS = 5000
INVALID_IDS = "The selected ids is invalid."


def bulk_ids(raw: Any) -> list[int]:
    """The `ids` of a bulk request as primary keys (422 keyed `ids` otherwise).

    Takes a list of hashids (JSON, or `ids[]=` in a form) or a comma-separated
    string. Whether they are the company's is checked by the caller.
    """
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
    pks = [decode_id(item) for item in raw]
    if any(pk is None for pk in pks):
        raise ValidationError({"ids": [INVALID_IDS]})
    return [pk for pk in pks if pk is not None]


def company_ids(rows: QuerySet[Any], raw: Any) -> list[int]:
    """The decoded `ids`; every one must be a row of `rows` (the company's)."""
    pks = sorted(set(bulk_ids(raw)))
    if rows.filter(pk__in=pks).count() != len(pks):
        raise ValidationError({"ids": [INVALID_IDS]})
    return pks


def _merge_errors(*errors: ValidationError | None) -> None:
    merged: dict[str, Any] = {}
    for error in errors:
        if error is not None and isinstance(error.detail, dict):
            merged.update(error.detail)
    if merged:
        raise ValidationError(merged)
