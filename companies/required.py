"""The rule of a company's required fields (`Company.required_fields`).

Client and contact writes (the API, the admin, the CSV import all go through
their services) call `missing_required` with what the write leaves in the row.
"""

from collections.abc import Mapping
from typing import Any


def required_message(label: str) -> str:
    return f"The {label} field is required."


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def missing_required(
    values: Mapping[str, Any],
    labels: Mapping[str, str],
    *,
    prefix: str = "",
    only_sent: bool = False,
) -> dict[str, list[str]]:
    """Each required field `values` leaves blank → its message, keyed
    `prefix + field`.

    `only_sent` is for an update of a stored row: a field left out keeps its stored
    value, so only the fields sent are checked (a row stored before the field was
    required can still be changed; it can't be emptied again once filled in).
    """
    return {
        f"{prefix}{field}": [required_message(label)]
        for field, label in labels.items()
        if (field in values or not only_sent) and is_blank(values.get(field))
    }
