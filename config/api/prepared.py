"""Read queries the ORM compiles once per process, then runs with new values.

On the hottest reads (the token lookup, the default client list, one client) Django
spent more time building and compiling the queryset and converting its columns than
the database spent running it: 0.6 ms to compile a page of 20 clients that SQLite
reads in 0.25 ms, and SQLite's datetime converter alone cost 0.6 ms on that page.

A `PreparedQuery` builds its queryset once per database and parameter shape, with
marker values in place of the parameters, keeps the SQL and where each marker landed
among its parameters, then runs it with real values through the connection's cursor
(so query logging and `django_assert_num_queries` still see it). The columns go
through the ORM's own converters, except datetimes on SQLite, which a C parser reads.
The SQL is always the ORM's; only `LIMIT %s OFFSET %s` is appended for paged reads.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from threading import Lock
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import DateTimeField, Model, QuerySet
from django.db.models.base import ModelState
from django.db.models.expressions import BaseExpression

# Markers far outside any primary key or count, so none can collide with a value.
_INT_MARKER_BASE = -(2**62)
_STR_MARKER = "\x00prepared-marker-{}\x00"
Converter = Callable[[Any, Any, Any], Any]


def _bucket(length: int) -> int:
    """IN lists are compiled for lengths 1, 2, 4, 8...; a shorter list repeats its
    last value, which IN ignores. Up to 5,000 ids need at most 14 shapes."""
    size = 1
    while size < length:
        size *= 2
    return size


def _sqlite_datetime(value: Any, expression: Any, connection: Any) -> Any:
    """A datetime column read from SQLite (naive UTC) as an aware UTC datetime."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


@dataclass(frozen=True)
class _Slot:
    """Where a call's value goes among the SQL parameters."""

    position: int
    name: str
    item: int | None  # index into a list value; None for a scalar


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[_Slot, ...]
    converters: tuple[tuple[int, tuple[Converter, ...], BaseExpression], ...]


class PreparedQuery:
    """A read whose SQL the ORM compiles once per database and parameter shape.

    `build` takes the parameters by keyword and returns the queryset, usually a
    `values_list()`; integer, string and list-of-integer parameters may appear
    anywhere a lookup takes a value. With `paged=True` the call also takes `limit`
    and `offset`.
    """

    def __init__(
        self, build: Callable[..., QuerySet[Any]], *, paged: bool = False
    ) -> None:
        self.build = build
        self.paged = paged
        self._compiled: dict[tuple[Any, ...], _Compiled] = {}
        self._lock = Lock()

    def rows(self, **values: Any) -> list[list[Any]]:
        """Run the query with `values`; rows as lists of converted column values."""
        connection = connections[DEFAULT_DB_ALIAS]
        if self.paged:
            limit, offset = int(values.pop("limit")), int(values.pop("offset"))
        for name, value in values.items():
            if not isinstance(value, int | str | list):
                raise TypeError(f"{name}: a prepared query binds int, str or list.")
        shape = tuple(
            sorted(
                (name, _bucket(len(value)) if isinstance(value, list) else type(value))
                for name, value in values.items()
            )
        )
        key = (connection.alias, connection.vendor, shape)
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(key) or self._compile(
                    connection, key, shape
                )
        params = list(compiled.params)
        for slot in compiled.slots:
            value = values[slot.name]
            if slot.item is not None:
                value = value[min(slot.item, len(value) - 1)]
            params[slot.position] = value
        sql = compiled.sql
        if self.paged:
            sql += " LIMIT %s OFFSET %s"
            params += [limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = [list(row) for row in cursor.fetchall()]
        for position, converters, expression in compiled.converters:
            for row in rows:
                value = row[position]
                for convert in converters:
                    value = convert(value, expression, connection)
                row[position] = value
        return rows

    def _compile(
        self, connection: Any, key: tuple[Any, ...], shape: tuple[Any, ...]
    ) -> _Compiled:
        markers: dict[Any, tuple[str, int | None]] = {}
        arguments: dict[str, Any] = {}
        for name, kind in shape:
            if isinstance(kind, int):
                items = [self._marker(markers, int, name, item) for item in range(kind)]
                arguments[name] = items
            else:
                arguments[name] = self._marker(markers, kind, name, None)
        queryset = self.build(**arguments)
        if queryset.query.is_sliced:
            raise ValueError("A prepared query is sliced by `limit`/`offset` only.")
        compiler = queryset.query.get_compiler(using=connection.alias)
        sql, params = compiler.as_sql()
        slots: list[_Slot] = []
        seen: set[Any] = set()
        for position, param in enumerate(params):
            if isinstance(param, int | str) and param in markers:
                name, item = markers[param]
                slots.append(_Slot(position, name, item))
                seen.add(param)
        missing = {markers[marker][0] for marker in markers.keys() - seen}
        if missing:
            raise ValueError(
                f"Parameters {sorted(missing)} did not reach the SQL as values; "
                "a prepared query can't hold them."
            )
        expressions = [column[0] for column in compiler.select]
        converters = []
        for position, (found, expression) in compiler.get_converters(
            expressions
        ).items():
            if connection.vendor == "sqlite" and isinstance(
                expression.output_field, DateTimeField
            ):
                found = [_sqlite_datetime]
            converters.append((position, tuple(found), expression))
        compiled = _Compiled(sql, tuple(params), tuple(slots), tuple(converters))
        self._compiled[key] = compiled
        return compiled

    @staticmethod
    def _marker(
        markers: dict[Any, tuple[str, int | None]],
        kind: type,
        name: str,
        item: int | None,
    ) -> Any:
        number = len(markers)
        marker: Any = (
            _STR_MARKER.format(number) if kind is str else _INT_MARKER_BASE + number
        )
        markers[marker] = (name, item)
        return marker


def attnames(model: type[Model]) -> tuple[str, ...]:
    """The model's concrete columns by attribute name, in field order."""
    return tuple(field.attname for field in model._meta.concrete_fields)


def instance_from_row(
    model: type[Model], names: Sequence[str], values: Sequence[Any]
) -> Any:
    """A saved instance from already-converted column values, built without
    `Model.__init__` (which costs more than reading the row); only for rows that
    hold every concrete column."""
    obj = model.__new__(model)
    # `values` may go on past the columns (annotations); those are the caller's.
    obj.__dict__.update(zip(names, values, strict=False))
    state = ModelState()
    state.adding = False
    state.db = DEFAULT_DB_ALIAS
    obj._state = state
    return obj
