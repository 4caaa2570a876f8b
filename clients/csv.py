"""Clients to and from CSV (`manage.py export_clients` / `import_clients`).

One row per contact: a client with three contacts is three rows sharing its
`client_key` (the client's hashed id on export; any label on import), each row
repeating the client's fields. A client exported and imported into another company
comes back with the same fields and contacts, so the format round-trips.

The import checks every client with the API's own `ClientInputSerializer` and
writes with `client_create`, so it obeys exactly the API's rules. Nothing is
written unless every row is valid, and then all of it is written in one
transaction.

Cells a spreadsheet would run as a formula are exported with a leading `'` (see
`neutralise_formula`), and the import takes it off again, so the round trip stays
exact. The import parses strictly: a file the csv module can't read, or a row
with more or fewer cells than the header, is a problem reported by line.
"""

import csv
import difflib
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, TextIO

import orjson
from django.contrib.auth.models import AbstractBaseUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch

from clients.api.inputs import ClientInputSerializer
from clients.fields import CSV_FIELDS
from clients.models import Client, ClientTag, GroupSetting
from clients.services.bulk import clients_archive
from clients.services.clients import ID_NUMBER_TAKEN, NUMBER_TAKEN, client_create
from companies.models import Company
from config.api.exceptions import flatten_errors
from config.api.field_spec import Kind
from config.api.hashids import encode_id
from config.errors import validation_messages
from contacts.fields import CSV_FIELDS as CONTACT_CSV_FIELDS
from contacts.models import ClientContact

# The spec's CSV fields are columns of their own, the value as it is; the
# client's key, group, assigned user, state and settings are written their own way.
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
TRUE_WORDS = {"true", "1", "yes", "on"}
FALSE_WORDS = {"false", "0", "no", "off", ""}
# OWASP's list of the first characters that make a spreadsheet read a cell as a
# formula (CSV injection), and the prefix that makes it plain text instead.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_ESCAPE = "'"
# Cell separators a spreadsheet may have saved the file with, and how the
# `--delimiter` option of `import_clients` names them.
DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "bars"}
DELIMITER_OPTIONS = {",": "','", ";": "';'", "\t": "tab", "|": "'|'"}
# Clients whose numbers are looked up in one query (`skip_existing`).
NUMBER_LOOKUP_BATCH = 5000


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun if count == 1 else noun + 's'}"


def _cell(value: Any) -> str:
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


# -- export ------------------------------------------------------------------------


class Writable(Protocol):
    """Where CSV goes: a text file, stdout, a StringIO."""

    def write(self, text: str, /) -> Any: ...


def _client_cells(client: Client) -> list[str]:
    group = client.group_settings.name if client.group_settings else ""
    assigned = client.assigned_user.get_username() if client.assigned_user else ""
    return [
        encode_id(client.pk),
        *(_cell(getattr(client, field.attribute)) for field in CSV_FIELDS),
        group,
        assigned,
        _cell(client.archived_at is not None),
        json.dumps(client.settings or {}, sort_keys=True, ensure_ascii=False),
        ", ".join(link.tag.name for link in getattr(client, "tag_link_list", [])),
    ]


def _contact_cells(contact: ClientContact | None) -> list[str]:
    if contact is None:
        return [""] * len(CONTACT_FIELDS)
    return [_cell(getattr(contact, field.attribute)) for field in CONTACT_CSV_FIELDS]


def clients_export_rows(
    *, company: Company, progress: Callable[[int], object] | None = None
) -> Iterator[list[str]]:
    """The header, then one row per live contact of each client that is not
    deleted, in number order, formulas neutralised. Streams: memory stays flat for
    any company size."""
    yield list(COLUMNS)
    clients = (
        Client.objects.filter(company=company, is_deleted=False)
        .select_related("group_settings", "assigned_user")
        .prefetch_related(
            Prefetch(
                "contacts",
                queryset=ClientContact.objects.filter(is_deleted=False).order_by(
                    "-is_primary", "pk"
                ),
                to_attr="live_contacts",
            ),
            Prefetch(
                "tag_links",
                queryset=ClientTag.objects.select_related("tag").order_by(
                    "tag__key", "tag__name"
                ),
                to_attr="tag_link_list",
            ),
        )
        .order_by("number_sort", "pk")
    )
    for client in clients.iterator(chunk_size=1000):
        cells = _client_cells(client)
        contacts: list[ClientContact | None] = list(
            getattr(client, "live_contacts", [])
        )
        for contact in contacts or [None]:
            row = [*cells, *_contact_cells(contact)]
            yield [neutralise_formula(cell) for cell in row]
        if progress is not None:
            progress(1)


def clients_export_csv(
    *,
    company: Company,
    out: Writable,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Write the company's clients as CSV to `out`; returns the number of rows."""
    writer = csv.writer(out)
    rows = -1
    for row in clients_export_rows(company=company, progress=progress):
        writer.writerow(row)
        rows += 1
    return rows


# -- import ------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with the file: where, and what."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        column = f", {self.column}" if self.column else ""
        return f"{where}{column}: {self.message}"


class ImportFailed(Exception):
    """The file has problems; nothing was written."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        super().__init__(_plural(len(problems), "problem"))
        self.problems = problems

    @property
    def numbers_taken(self) -> int:
        """How many clients have a number a client of the company has already
        (a file imported a second time has nothing but these)."""
        return sum(
            1
            for problem in self.problems
            if problem.column == "number" and problem.message == NUMBER_TAKEN
        )


@dataclass
class _ClientRows:
    key: str
    line: int
    row: dict[str, str]
    contacts: list[tuple[int, dict[str, str]]] = field(default_factory=list)


@dataclass(frozen=True)
class _ValidClient:
    line: int
    data: dict[str, Any]
    archived: bool


@dataclass(frozen=True)
class ImportResult:
    """How many clients and contacts the import created, and how many clients
    it left out because their numbers were taken (`skip_existing`)."""

    clients: int
    contacts: int
    archived: int
    skipped: int = 0


def _unreadable_reason(exc: csv.Error) -> str:
    # The csv module tells these apart only by message.
    text = str(exc)
    if text == "unexpected end of data":
        return (
            "A quoted cell that starts on this line is never closed; the file ends "
            'inside it. Add the missing closing quote ("), or double a quote that '
            'is part of the text ("").'
        )
    if text.startswith("field larger than field limit"):
        return (
            f"A cell is longer than {csv.field_size_limit():,} characters, the most "
            'one may hold. Shorten it, or look for an opening quote (") on this '
            "line that is never closed and swallows the lines after it."
        )
    return (
        f"Not valid CSV ({text}). A cell with commas, quotes or line breaks must "
        'be wholly in quotes, with each quote inside it doubled ("").'
    )


def _csv_records(
    lines: Iterable[str], delimiter: str, problems: list[ImportProblem]
) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank record of the file with the line it starts on.

    Stops at the first record the csv module can't read, noting why in `problems`:
    where a record ends is unknown after that, so no later line can be trusted.
    """
    # strict: a stray quote or a file ending inside a quoted cell is an error
    # rather than a cell silently holding the rest of the file.
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    end = 0
    while True:
        start = end + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.append(ImportProblem(start, "", _unreadable_reason(exc)))
            return
        end = reader.line_num
        if cells:
            yield start, cells


def _first_lines(stream: TextIO) -> list[str]:
    """The lines up to and including the first that is not blank (the header)."""
    lines = []
    for line in stream:
        lines.append(line)
        if line.strip():
            break
    return lines


def _names(line: str, delimiter: str) -> list[str]:
    return [cell.strip().strip('"').strip() for cell in line.split(delimiter)]


def _delimiter_problem(
    line_number: int, line: str, delimiter: str
) -> ImportProblem | None:
    """A problem naming the separator the header line uses, when that is not
    `delimiter`: the header then has no known column, but splits into some at
    another separator (a spreadsheet that saves CSV with semicolons)."""
    if any(name in COLUMNS for name in _names(line, delimiter)):
        return None
    for candidate, separators in DELIMITER_NAMES.items():
        if candidate == delimiter:
            continue
        if any(name in COLUMNS for name in _names(line, candidate)):
            advice = (
                "Import it without --delimiter: commas are the default."
                if candidate == ","
                else "Save the file as comma-separated CSV, or import it with "
                f"--delimiter {DELIMITER_OPTIONS[candidate]}."
            )
            expected = DELIMITER_NAMES.get(delimiter, repr(delimiter))
            return ImportProblem(
                line_number,
                "",
                f"The header's columns are separated by {separators}, not "
                f"{expected}. {advice}",
            )
    return None


def _suggestion(name: str) -> str | None:
    """The known column an unknown column name most likely means."""
    if f"contact_{name}" in CONTACT_COLUMNS:
        return f"contact_{name}"
    close = difflib.get_close_matches(name, COLUMNS, n=1)
    return close[0] if close else None


def _header_problems(line: int, header: list[str]) -> list[ImportProblem]:
    if not header:
        return [ImportProblem(0, "", "The file is empty; it needs a header row.")]
    problems = []
    for position, name in enumerate(header, start=1):
        if name in COLUMNS:
            continue
        if not name.strip():
            problems.append(
                ImportProblem(
                    line,
                    "",
                    f"Column {position} of the header has no name; name it or "
                    "remove the column.",
                )
            )
            continue
        suggestion = _suggestion(name)
        advice = (
            f"did you mean '{suggestion}'?"
            if suggestion
            else "`manage.py import_clients --help` lists the known columns."
        )
        problems.append(ImportProblem(line, name, f"Unknown column; {advice}"))
    return problems


def _cell_count_problem(line: int, cells: int, columns: int) -> ImportProblem:
    if cells < columns:
        advice = (
            "Add the missing cells (empty ones are fine) or restore the line if it "
            "was cut short."
        )
    else:
        advice = (
            "Remove the extra cells, or put a cell that contains a comma in double "
            'quotes (").'
        )
    return ImportProblem(
        line,
        "",
        f"The row has {_plural(cells, 'cell')} but the header has "
        f"{_plural(columns, 'column')}. " + advice,
    )


def _rows_by_column(
    header: list[str],
    records: Iterable[tuple[int, list[str]]],
    problems: list[ImportProblem],
) -> Iterator[tuple[int, dict[str, str]]]:
    """Each row that has one cell per header column and some content, by column,
    with the export's formula escapes taken off."""
    for line, cells in records:
        if len(cells) != len(header):
            problems.append(_cell_count_problem(line, len(cells), len(header)))
            continue
        row = {
            name: restore_formula(value)
            for name, value in zip(header, cells, strict=True)
        }
        if any(value.strip() for value in row.values()):
            yield line, row


def _group_by_client(
    rows: Iterable[tuple[int, dict[str, str]]], problems: list[ImportProblem]
) -> list[_ClientRows]:
    groups: list[_ClientRows] = []
    seen_keys: dict[str, int] = {}
    for line, cells in rows:
        key = cells.get("client_key", "").strip()
        if key and groups and groups[-1].key == key:
            group = groups[-1]
            for name in CLIENT_COLUMNS[1:]:
                if cells.get(name, "") not in ("", group.row.get(name, "")):
                    problems.append(
                        ImportProblem(
                            line,
                            name,
                            f"Differs from line {group.line} of the same client_key; "
                            "a client's rows must agree (or leave it empty).",
                        )
                    )
            group.contacts.append((line, cells))
            continue
        if key in seen_keys:
            problems.append(
                ImportProblem(
                    line,
                    "client_key",
                    f"'{key}' was used at line {seen_keys[key]}; keep a client's rows "
                    "together.",
                )
            )
            continue
        if key:
            seen_keys[key] = line
        groups.append(
            _ClientRows(key=key, line=line, row=cells, contacts=[(line, cells)])
        )
    return groups


def _read(
    stream: TextIO, delimiter: str
) -> tuple[list[_ClientRows], list[ImportProblem]]:
    problems: list[ImportProblem] = []
    first = _first_lines(stream)
    records = _csv_records(itertools.chain(first, stream), delimiter, problems)
    header_line, header = next(records, (0, []))
    # Read with the wrong separator, a header is one unknown column or, when
    # its names are quoted, not even valid CSV.
    if first and (problems or not any(name in COLUMNS for name in header)):
        wrong_delimiter = _delimiter_problem(len(first), first[-1], delimiter)
        if wrong_delimiter is not None:
            return [], [wrong_delimiter]
    if problems:
        return [], problems
    header_problems = _header_problems(header_line, header)
    if header_problems:
        return [], header_problems
    rows = _rows_by_column(header, records, problems)
    return _group_by_client(rows, problems), problems


def _boolean(value: str) -> bool | None:
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


class _Validator:
    """Turns rows into API payloads and checks them with the API's serializer."""

    def __init__(self, company: Company) -> None:
        self.company = company
        self.groups: dict[str, list[int]] = {}
        for pk, name in GroupSetting.objects.filter(company=company).values_list(
            "pk", "name"
        ):
            self.groups.setdefault(name.strip().lower(), []).append(pk)
        self.users: dict[str, int] = {}
        for user in User.objects.filter(memberships__company=company):
            self.users[user.get_username().lower()] = user.pk
            if user.email:
                self.users.setdefault(user.email.lower(), user.pk)
        self.numbers: dict[str, int] = {}
        self.id_numbers: dict[str, int] = {}

    def payload(
        self, rows: _ClientRows, problems: list[ImportProblem]
    ) -> tuple[dict[str, Any], bool, list[int]]:
        """The API payload of a client's rows, whether it is archived, and the
        line of each contact in the payload."""
        row, line = rows.row, rows.line
        data: dict[str, Any] = {
            name: row[name] for name in PLAIN_COLUMNS if name in row
        }
        group = row.get("group", "").strip()
        if group:
            pks = self.groups.get(group.lower(), [])
            if len(pks) != 1:
                problems.append(
                    ImportProblem(
                        line,
                        "group",
                        f"No group is named '{group}' in this company."
                        if not pks
                        else f"Several groups are named '{group}'.",
                    )
                )
            else:
                data["group_settings_id"] = encode_id(pks[0])
        assigned = row.get("assigned_user", "").strip()
        if assigned:
            pk = self.users.get(assigned.lower())
            if pk is None:
                problems.append(
                    ImportProblem(
                        line,
                        "assigned_user",
                        f"'{assigned}' is not a member of this company.",
                    )
                )
            else:
                data["assigned_user_id"] = encode_id(pk)
        settings_text = row.get("settings", "").strip()
        if settings_text:
            try:
                # orjson refuses nesting past 1,024 levels; `json` would recurse
                # until a RecursionError.
                data["settings"] = orjson.loads(settings_text)
            except orjson.JSONDecodeError:
                problems.append(
                    ImportProblem(line, "settings", "Not valid JSON (an object).")
                )
        if "tags" in row:
            data["tags"] = row["tags"]  # a comma list, as the input reads it
        archived = _boolean(row.get("archived", ""))
        if archived is None:
            problems.append(ImportProblem(line, "archived", "Must be true or false."))
        contacts = []
        for contact_line, cells in rows.contacts:
            contact: dict[str, Any] = {}
            for name in CONTACT_FIELDS:
                value = cells.get(f"contact_{name}", "")
                if name in CONTACT_BOOLEANS and value.strip() == "":
                    continue
                contact[name] = value
            if any(str(value).strip() for value in contact.values()):
                contacts.append((contact_line, contact))
        data["contacts"] = [contact for _, contact in contacts]
        return data, bool(archived), [contact_line for contact_line, _ in contacts]

    def check_unique_in_file(
        self, line: int, data: dict[str, Any], problems: list[ImportProblem]
    ) -> None:
        for key, seen, message in (
            ("number", self.numbers, NUMBER_TAKEN),
            ("id_number", self.id_numbers, ID_NUMBER_TAKEN),
        ):
            value = str(data.get(key) or "").strip()
            if not value:
                continue
            if value in seen:
                problems.append(
                    ImportProblem(line, key, f"{message} (also at line {seen[value]})")
                )
            else:
                seen[value] = line

    def validate(
        self, rows: _ClientRows, problems: list[ImportProblem]
    ) -> _ValidClient | None:
        before = len(problems)
        data, archived, contact_lines = self.payload(rows, problems)
        serializer = ClientInputSerializer(data=data, context={"company": self.company})
        if not serializer.is_valid():
            for key, messages in flatten_errors(serializer.errors).items():
                line, column = rows.line, COLUMN_BY_INPUT.get(key, key)
                parts = key.split(".")
                if parts[0] == "contacts" and len(parts) >= 2 and parts[1].isdigit():
                    index = int(parts[1])
                    if index < len(contact_lines):
                        line = contact_lines[index]
                    column = f"contact_{parts[2]}" if len(parts) > 2 else "contacts"
                for message in messages:
                    problems.append(ImportProblem(line, column, message))
            return None
        valid = dict(serializer.validated_data)
        self.check_unique_in_file(rows.line, valid, problems)
        if len(problems) > before:
            return None
        return _ValidClient(line=rows.line, data=valid, archived=archived)


def _number(rows: _ClientRows) -> str:
    return rows.row.get("number", "").strip()


def _without_taken_numbers(
    company: Company, groups: list[_ClientRows]
) -> tuple[list[_ClientRows], int]:
    """The clients whose number no client of the company has (deleted ones
    included, as for the API), and how many were left out."""
    numbers = sorted({_number(rows) for rows in groups} - {""})
    taken: set[str] = set()
    for start in range(0, len(numbers), NUMBER_LOOKUP_BATCH):
        batch = numbers[start : start + NUMBER_LOOKUP_BATCH]
        taken.update(
            Client.objects.filter(company=company, number__in=batch).values_list(
                "number", flat=True
            )
        )
    kept = [rows for rows in groups if _number(rows) not in taken]
    return kept, len(groups) - len(kept)


def clients_import_csv(
    *,
    company: Company,
    stream: TextIO,
    user: AbstractBaseUser | None = None,
    progress: Callable[[int], object] | None = None,
    stage: Callable[[str, int], object] | None = None,
    delimiter: str = ",",
    skip_existing: bool = False,
) -> ImportResult:
    """Create the clients of a CSV file (see the module docstring) in `company`.

    `stage(verb, clients)` is called as checking and then writing starts, and
    `progress(1)` after each client of either. With `skip_existing`, clients
    whose number the company has already are left out (and counted) instead of
    being problems. Raises ImportFailed listing every problem by line; then
    nothing was written.
    """
    groups, problems = _read(stream, delimiter)
    skipped = 0
    if skip_existing and not problems:
        groups, skipped = _without_taken_numbers(company, groups)
    if stage is not None:
        stage("Checking", len(groups))
    validator = _Validator(company)
    valid: list[_ValidClient] = []
    for rows in groups:
        checked = validator.validate(rows, problems)
        if checked is not None:
            valid.append(checked)
        if progress is not None:
            progress(1)
    if problems:
        raise ImportFailed(problems)
    if not valid and not skipped:
        raise ImportFailed([ImportProblem(0, "", "The file has no clients.")])
    if stage is not None:
        stage("Importing", len(valid))
    result = _write(company=company, clients=valid, user=user, progress=progress)
    return replace(result, skipped=skipped)


@transaction.atomic
def _write(
    *,
    company: Company,
    clients: Iterable[_ValidClient],
    user: AbstractBaseUser | None,
    progress: Callable[[int], object] | None,
) -> ImportResult:
    created: list[int] = []
    archived: list[int] = []
    for item in clients:
        try:
            client = client_create(company=company, user=user, data=item.data)
        except ValidationError as exc:
            # Taken meanwhile by another writer; the whole import rolls back.
            raise ImportFailed(
                [
                    ImportProblem(item.line, key, message)
                    for key, messages in validation_messages(exc).items()
                    for message in messages
                ]
            ) from exc
        created.append(client.pk)
        if item.archived:
            archived.append(client.pk)
        if progress is not None:
            progress(1)
    if archived:
        clients_archive(
            clients_queryset=Client.objects.filter(pk__in=archived), user=user
        )
    contacts = ClientContact.objects.filter(
        client_id__in=created, is_deleted=False
    ).count()
    return ImportResult(clients=len(created), contacts=contacts, archived=len(archived))
