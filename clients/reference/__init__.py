"""Invoice Ninja's reference tables (countries, currencies...), loaded at import.

The CSV files next to this module are copied byte for byte from upstream's seeders
(see /work/shared/data/README.md): the ids are the ones API clients send. They are
small, so they live in memory; nothing here touches the database. Whitespace is part
of the values (`"W "`, `" "`), so fields are never stripped.
"""

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import orjson

HERE = Path(__file__).resolve().parent

Row = dict[str, str]


def read_table(name: str) -> list[Row]:
    """The rows of `<name>.csv` as dicts of raw strings (nothing stripped)."""
    with (HERE / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


COUNTRIES = read_table("countries")
CURRENCIES = read_table("currencies")
LANGUAGES = read_table("languages")
INDUSTRIES = read_table("industries")
SIZES = read_table("sizes")
SETTINGS_CASTS = read_table("settings_casts")

COUNTRY_IDS: frozenset[int] = frozenset(int(row["id"]) for row in COUNTRIES)


def _first_wins(pairs: list[tuple[str, int]]) -> MappingProxyType[str, int]:
    table: dict[str, int] = {}
    for key, value in pairs:
        if key:
            table.setdefault(key, value)
    return MappingProxyType(table)


# Alpha-2 and alpha-3 codes, upper case. Spain's regions share `ESP` with Spain;
# rows are in id order, so `ESP` stays Spain (724).
COUNTRY_ID_BY_CODE = _first_wins(
    [(row["iso_3166_2"].upper(), int(row["id"])) for row in COUNTRIES]
    + [(row["iso_3166_3"].upper(), int(row["id"])) for row in COUNTRIES]
)
CURRENCY_ID_BY_CODE = _first_wins(
    [(row["code"].upper(), int(row["id"])) for row in CURRENCIES]
)


def _locale_key(locale: str) -> str:
    return locale.strip().replace("-", "_").lower()


LANGUAGE_ID_BY_LOCALE = _first_wins(
    [(_locale_key(row["locale"]), int(row["id"])) for row in LANGUAGES]
)


def country_id_for_code(code: str) -> int | None:
    """`US`, `us`, `USA` → 840; None when no country has that code."""
    return COUNTRY_ID_BY_CODE.get(code.strip().upper())


def currency_id_for_code(code: str) -> int | None:
    """`EUR` (any case) → 3; None when unknown."""
    return CURRENCY_ID_BY_CODE.get(code.strip().upper())


def language_id_for_locale(locale: str) -> int | None:
    """`en_GB` (also `en-gb`) → 20; None when unknown."""
    return LANGUAGE_ID_BY_LOCALE.get(_locale_key(locale))


def is_country_id(value: int) -> bool:
    return value in COUNTRY_IDS


# ---------------------------------------------------------------------------
# GET /api/v1/statics: every column of every table, the id as a string.

_BOOLEAN_VALUES = {"true": True, "false": False}
_INTEGER_COLUMNS = {"precision"}


def _is_boolean_column(rows: list[Row], column: str) -> bool:
    return bool(rows) and all(row[column] in _BOOLEAN_VALUES for row in rows)


def _public_rows(rows: list[Row]) -> list[dict[str, Any]]:
    """Rows for the API: booleans as booleans, `precision` as a number, the rest
    (ids included) as the strings they are in the table."""
    if not rows:
        return []
    boolean_columns = {column for column in rows[0] if _is_boolean_column(rows, column)}
    public: list[dict[str, Any]] = []
    for row in rows:
        item: dict[str, Any] = {}
        for column, value in row.items():
            if column in boolean_columns:
                item[column] = _BOOLEAN_VALUES[value]
            elif column in _INTEGER_COLUMNS and value.lstrip("-").isdigit():
                item[column] = int(value)
            else:
                item[column] = value
        public.append(item)
    return public


@dataclass(frozen=True)
class Statics:
    """The statics document, serialised once, and its ETag."""

    body: bytes
    etag: str


def _build_statics() -> Statics:
    document = {
        "countries": _public_rows(COUNTRIES),
        "currencies": _public_rows(CURRENCIES),
        "languages": _public_rows(LANGUAGES),
        "industries": _public_rows(INDUSTRIES),
        "sizes": _public_rows(SIZES),
    }
    body = orjson.dumps(document)
    return Statics(body=body, etag=f'"{hashlib.sha256(body).hexdigest()[:32]}"')


STATICS = _build_statics()


def as_country(value: object) -> int | None:
    """A stored country setting (`"840"`) as a known country id, else None."""
    try:
        number = int(str(value))
    except ValueError:
        return None
    return number if is_country_id(number) else None
