"""Serializer fields built once per class, copied per instance.

DRF builds a serializer's fields afresh for every instance: `get_fields()`
deep-copies each declared field, which calls its `__init__` again, and a
serializer that builds fields from a spec constructs them all again. For a write
with contacts that is one client serializer and one contact serializer per
contact, each with dozens of fields: more time than the write's SQL.

`fields_once(serializer, build)` runs `build()` once per serializer class and
gives each instance shallow copies of those unbound fields. A copy shares what a
field only reads after `__init__` (its options, choices, validators until they
are replaced) and gets its own `error_messages`, which binding and the
serializers here rewrite per instance; `bind()` then sets the copy's name and
parent as usual. Fields that hold other fields (a `ListField`'s child, a nested
serializer) must not be built this way: their children would be shared.
"""

from collections.abc import Callable
from typing import Any

from rest_framework import serializers

from config.api.field_spec import AnyField

_PROTOTYPES: dict[type[Any], dict[str, AnyField]] = {}


def _copy(prototype: AnyField) -> AnyField:
    field: AnyField = object.__new__(type(prototype))
    field.__dict__.update(prototype.__dict__)
    field.error_messages = dict(prototype.error_messages)
    return field


def fields_once(
    serializer: serializers.BaseSerializer[Any],
    build: Callable[[], dict[str, AnyField]],
) -> dict[str, AnyField]:
    """Fresh unbound copies of the fields `build()` returns, built once per class
    of `serializer` (the build must not depend on the instance)."""
    prototypes = _PROTOTYPES.get(type(serializer))
    if prototypes is None:
        prototypes = build()
        for name, field in prototypes.items():
            if isinstance(field, serializers.BaseSerializer | serializers.ListField):
                raise TypeError(f"{name}: a field holding fields can't be copied")
        _PROTOTYPES[type(serializer)] = prototypes
    return {name: _copy(field) for name, field in prototypes.items()}
