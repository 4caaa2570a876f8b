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

`PreparedRead` wraps one for model instances. With `settings.PREPARED_READS` off
(`PREPARED_READS=false`) both run their querysets through the ORM instead, which
gives the same rows with the same number of queries.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from threading import Lock
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import DateTimeField, Model, QuerySet
from django.db.models.base import ModelState
from django.db.models.expressions import BaseExpression, RawSQL

# Markers far outside any primary key or count, so none can collide with a value.
_INT_MARKER_BASE = -(2**62)
_STR_MARKER = "\x00prepared-marker-{}\x00"
Converter = Callable[[Any, Any, Any], Any]
M = TypeVar("M", bound=Model)

ROUTERS_REFUSED = (
    "Prepared reads always run on the 'default' database and would bypass "
    "DATABASE_ROUTERS; set PREPARED_READS=false to read through the ORM."
)


def prepared_reads_on() -> bool:
    """Whether reads run as prepared queries (`PREPARED_READS`, default on)."""
    return bool(getattr(settings, "PREPARED_READS", True))


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


_Converters = tuple[tuple[int, tuple[Converter, ...], BaseExpression], ...]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[_Slot, ...]
    converters: _Converters


class PreparedQuery:
    """A read whose SQL the ORM compiles once per database and parameter shape.

    `build` takes the parameters by keyword and returns the queryset, usually a
    `values_list()`; integer, string and list-of-integer parameters may appear
    anywhere a lookup takes a value. A list parameter must be an `__in` filter
    every row has to match: an empty list answers no rows, without a query. With
    `paged=True` the call also takes `limit` and `offset`.
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
        limit = offset = 0
        if self.paged:
            limit, offset = int(values.pop("limit")), int(values.pop("offset"))
        for name, value in values.items():
            if not isinstance(value, int | str | list):
                raise TypeError(f"{name}: a prepared query binds int, str or list.")
        if any(isinstance(value, list) and not value for value in values.values()):
            return []  # `IN ()`: nothing can match, and nothing to compile
        if not prepared_reads_on():
            queryset = self.build(**values)
            if self.paged:
                queryset = queryset[offset : offset + limit]
            return [list(row) for row in queryset]
        connection = connections[DEFAULT_DB_ALIAS]
        compiled = self.compiled(connection, values)
        params = self.bind(compiled, values)
        sql = compiled.sql
        if self.paged:
            sql += " LIMIT %s OFFSET %s"
            params += [limit, offset]
        return _run(connection, sql, params, compiled.converters)

    def compiled(self, connection: Any, values: dict[str, Any]) -> _Compiled:
        """The SQL of `values`' shape on `connection`, compiled on first use."""
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
        return compiled

    @staticmethod
    def bind(compiled: _Compiled, values: dict[str, Any]) -> list[Any]:
        """The compiled SQL's parameters with `values` in the markers' places."""
        params = list(compiled.params)
        for slot in compiled.slots:
            value = values[slot.name]
            if slot.item is not None:
                value = value[min(slot.item, len(value) - 1)]
            params[slot.position] = value
        return params

    def _compile(
        self, connection: Any, key: tuple[Any, ...], shape: tuple[Any, ...]
    ) -> _Compiled:
        if settings.DATABASE_ROUTERS:
            raise ImproperlyConfigured(ROUTERS_REFUSED)
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
        converters = _converters(connection, compiler)
        compiled = _Compiled(sql, tuple(params), tuple(slots), converters)
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


def _converters(connection: Any, compiler: Any) -> _Converters:
    """The ORM's converters of the compiled query's columns; datetimes on SQLite
    go through the fast parser instead."""
    expressions = [column[0] for column in compiler.select]
    converters = []
    for position, (found, expression) in compiler.get_converters(expressions).items():
        if connection.vendor == "sqlite" and isinstance(
            expression.output_field, DateTimeField
        ):
            found = [_sqlite_datetime]
        converters.append((position, tuple(found), expression))
    return tuple(converters)


def _run(
    connection: Any, sql: str, params: Sequence[Any], converters: _Converters
) -> list[list[Any]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [list(row) for row in cursor.fetchall()]
    for position, column_converters, expression in converters:
        for row in rows:
            value = row[position]
            for convert in column_converters:
                value = convert(value, expression, connection)
            row[position] = value
    return rows


_KEYS_ALIAS = "keys_query_column"


@dataclass(frozen=True)
class KeysQuery:
    """A queryset compiled with one constant column, `SELECT (0) FROM ...`:
    `rest` is its SQL after that column, `params` its parameters."""

    rest: str
    params: tuple[Any, ...]


def keys_query(queryset: QuerySet[Any]) -> KeysQuery | None:
    """`queryset` (filtered and ordered, unsliced) compiled with one column: a
    third of compiling its whole rows, and the rest of the SQL — FROM, WHERE,
    ORDER BY — is what `ColumnsOver` puts its own column list before.

    None when the query can't take another column list as it is (DISTINCT,
    GROUP BY, a combination, extra selects), when no row can match (Django's
    EmptyResultSet) or with `PREPARED_READS` off: the caller reads it through
    the ORM.
    """
    query = queryset.query
    if (
        not prepared_reads_on()
        or query.is_sliced
        or query.distinct
        or query.combinator
        or query.group_by is not None
        or query.extra
    ):
        return None
    if settings.DATABASE_ROUTERS:
        raise ImproperlyConfigured(ROUTERS_REFUSED)
    # A constant as the one column: Django writes an ORDER BY on a selected
    # column as its position (`ORDER BY 1`), which another column list would
    # change; no ordering can name this one.
    keys = queryset.annotate(**{_KEYS_ALIAS: RawSQL("0", ())}).values_list(_KEYS_ALIAS)
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        sql, params = keys.query.get_compiler(using=connection.alias).as_sql()
    except EmptyResultSet:
        return None
    selected = f"SELECT (0) AS {connection.ops.quote_name(_KEYS_ALIAS)}"
    if not sql.startswith(f"{selected} FROM "):
        return None
    return KeysQuery(sql[len(selected) :], tuple(params))


class ColumnsOver(Generic[M]):
    """Instances of `model` (every concrete column, then the annotations that
    `annotate` adds) read over any `KeysQuery` of it, a window at a time.

    The column list and its converters are compiled once per database, as a
    `values_list` of `annotate(model.objects.all(), **markers)`; a read puts
    them in place of the keys query's one column. The annotations' SQL must name
    the outer table by its name (what Django calls a query's base table), so it
    reads the same over any FROM and WHERE.
    """

    def __init__(
        self,
        model: type[M],
        annotate: Callable[..., QuerySet[M]],
        *,
        annotations: tuple[str, ...],
    ) -> None:
        self.model = model
        self.columns = attnames(model)
        self.annotations = annotations
        self.query = PreparedQuery(
            lambda **values: annotate(
                model._default_manager.order_by(), **values
            ).values_list(*self.columns, *annotations)
        )

    def __call__(
        self, keys: KeysQuery, *, limit: int, offset: int, **values: Any
    ) -> list[M]:
        """The window `offset`..`offset + limit` of `keys`' rows."""
        connection = connections[DEFAULT_DB_ALIAS]
        compiled = self.query.compiled(connection, values)
        table = connection.ops.quote_name(self.model._meta.db_table)
        suffix = f" FROM {table}"
        if not compiled.sql.endswith(suffix):
            raise ValueError("The column list must read the model's table alone.")
        columns = compiled.sql[: -len(suffix)]
        params = [*self.query.bind(compiled, values), *keys.params, limit, offset]
        sql = f"{columns}{keys.rest} LIMIT %s OFFSET %s"
        rows = _run(connection, sql, params, compiled.converters)
        return [
            _instance(self.model, self.columns, self.annotations, row) for row in rows
        ]


def attnames(model: type[Model]) -> tuple[str, ...]:
    """The model's concrete columns by attribute name, in field order."""
    return tuple(field.attname for field in model._meta.concrete_fields)


def instance_from_row(
    model: type[Model], names: Sequence[str], values: Sequence[Any]
) -> Any:
    """A saved instance from already-converted column values, built without
    `Model.__init__` (which costs more than reading the row); only for rows that
    hold every concrete column, and nothing else (annotations are the caller's)."""
    obj = model.__new__(model)
    obj.__dict__.update(zip(names, values, strict=True))
    state = ModelState()
    state.adding = False
    state.db = DEFAULT_DB_ALIAS
    obj._state = state
    return obj


class PreparedRead(Generic[M]):
    """Instances of `model` from the queryset `build(**values)` returns (ordered,
    unsliced), with its `annotations` set as attributes.

    Prepared, the queryset is compiled once as a `values_list` of every concrete
    column then the annotations; with `PREPARED_READS` off it is run as it is.
    """

    def __init__(
        self,
        model: type[M],
        build: Callable[..., QuerySet[M]],
        *,
        annotations: tuple[str, ...] = (),
        paged: bool = False,
    ) -> None:
        self.model = model
        self.build = build
        self.columns = attnames(model)
        self.annotations = annotations
        self.paged = paged
        self.query = PreparedQuery(self._values, paged=paged)

    def _values(self, **values: Any) -> QuerySet[Any]:
        return self.build(**values).values_list(*self.columns, *self.annotations)

    def __call__(self, **values: Any) -> list[M]:
        """The instances for `values` (and `limit`/`offset` when paged)."""
        if prepared_reads_on():
            return [self._instance(row) for row in self.query.rows(**values)]
        if self.paged:
            limit, offset = int(values.pop("limit")), int(values.pop("offset"))
            return list(self.build(**values)[offset : offset + limit])
        return list(self.build(**values))

    def _instance(self, row: list[Any]) -> M:
        return _instance(self.model, self.columns, self.annotations, row)


def _instance(
    model: type[M], columns: Sequence[str], annotations: Sequence[str], row: list[Any]
) -> M:
    """An instance from a row of its `columns` then its `annotations` (attributes)."""
    count = len(columns)
    instance: M = instance_from_row(model, columns, row[:count])
    for name, value in zip(annotations, row[count:], strict=True):
        setattr(instance, name, value)
    return instance
