"""The CSV file's columns and how a cell is written and read back.

The spec's CSV fields are columns of their own, the value as it is; the client's
key, group, assigned user, state, settings and tags are written their own way.
"""

from typing import Any

from clients.fields import CSV_FIELDS
from config.api.field_spec import Kind
from contacts.fields import CSV_FIELDS as CONTACT_CSV_FIELDS

PLAIN_COLUMNS = tuple(field.key for field in CSV_FIELDS)
CLIENT_COLUMNS = (
    "client_key",
    *PLAIN_COLUMNS,
    "group",
    "assigned_user",
    "archived",
    "settings",
    "tags",
)
CONTACT_FIELDS = tuple(field.key for field in CONTACT_CSV_FIELDS)
CONTACT_BOOLEANS = tuple(
    field.key for field in CONTACT_CSV_FIELDS if field.kind is Kind.FLAG
)
CONTACT_COLUMNS = tuple(f"contact_{name}" for name in CONTACT_FIELDS)
COLUMNS = (*CLIENT_COLUMNS, *CONTACT_COLUMNS)
# API input key → CSV column, where they differ (for error messages).
COLUMN_BY_INPUT = {
    "group_settings_id": "group",
    "assigned_user_id": "assigned_user",
}
# OWASP's list of the first characters that make a spreadsheet read a cell as a
# formula (CSV injection), and the prefix that makes it plain text instead.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_ESCAPE = "'"
# Cell separators a spreadsheet may have saved the file with, and how the
# `--delimiter` option of `import_clients` names them.
DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "bars"}
DELIMITER_OPTIONS = {",": "','", ";": "';'", "\t": "tab", "|": "'|'"}


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun if count == 1 else noun + 's'}"


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _escaped_by_export(text: str) -> bool:
    """Whether the export prefixes `text`: a trigger first, or after quotes.

    A value that already starts with quotes before a trigger (`'=1`) is prefixed
    too (`''=1`): otherwise the import could not tell it from an escaped `=1`.
    """
    return text.lstrip(FORMULA_ESCAPE).startswith(FORMULA_TRIGGERS)


def neutralise_formula(text: str) -> str:
    """The cell as exported: `'` before anything a spreadsheet would run."""
    return FORMULA_ESCAPE + text if _escaped_by_export(text) else text


def restore_formula(text: str) -> str:
    """The exported cell's original text: undoes `neutralise_formula`."""
    if text.startswith(FORMULA_ESCAPE) and _escaped_by_export(text[1:]):
        return text[1:]
    return text
