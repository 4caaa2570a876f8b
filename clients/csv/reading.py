"""Reading an import file: the header, the rows by column, the rows by client.

The import parses strictly: a file the csv module can't read, or a row with more
or fewer cells than the header, is a problem reported by line.
"""

import csv
import difflib
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TextIO

from clients.csv.columns import (
    CLIENT_COLUMNS,
    COLUMNS,
    CONTACT_COLUMNS,
    DELIMITER_NAMES,
    DELIMITER_OPTIONS,
    plural,
    restore_formula,
)


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


@dataclass
class ClientRows:
    key: str
    line: int
    row: dict[str, str]
    contacts: list[tuple[int, dict[str, str]]] = field(default_factory=list)


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
        f"The row has {plural(cells, 'cell')} but the header has "
        f"{plural(columns, 'column')}. " + advice,
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
) -> list[ClientRows]:
    groups: list[ClientRows] = []
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
            ClientRows(key=key, line=line, row=cells, contacts=[(line, cells)])
        )
    return groups


def read_clients(
    stream: TextIO, delimiter: str
) -> tuple[list[ClientRows], list[ImportProblem]]:
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
