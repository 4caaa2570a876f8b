"""Creating the clients of an import file, all of them or none.

Every client is checked with the API's own `ClientInputSerializer` and written
with `client_create`, so the import obeys exactly the API's rules.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, TextIO

import orjson
from django.contrib.auth.models import AbstractBaseUser, User
from django.core.exceptions import ValidationError
from django.db import transaction

from clients.api.inputs import ClientInputSerializer
from clients.csv.columns import (
    COLUMN_BY_INPUT,
    CONTACT_BOOLEANS,
    CONTACT_FIELDS,
    PLAIN_COLUMNS,
    plural,
)
from clients.csv.reading import ClientRows, ImportProblem, read_clients
from clients.models import Client, GroupSetting
from clients.services.bulk import clients_change_state
from clients.services.clients import ID_NUMBER_TAKEN, NUMBER_TAKEN, client_create
from clients.services.settings import boolean_word
from companies.models import Company
from companies.required import missing_required
from config.api.exceptions import flatten_errors
from config.api.hashids import encode_id
from config.errors import validation_messages
from contacts.models import ClientContact

# Clients whose numbers are looked up in one query (`skip_existing`).
NUMBER_LOOKUP_BATCH = 5000


class ImportFailed(Exception):
    """The file has problems; nothing was written."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        super().__init__(plural(len(problems), "problem"))
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


def _boolean(value: str) -> bool | None:
    # An empty cell is false: an export writes every flag, a person may not.
    return False if not value.strip() else boolean_word(value)


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
        self, rows: ClientRows, problems: list[ImportProblem]
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

    def missing_required(self, valid: dict[str, Any]) -> dict[str, list[str]]:
        """The company's required fields the client leaves empty (checked here
        too, so every line's problems are listed before anything is written)."""
        missing = missing_required(valid, self.company.required_labels("client"))
        labels = self.company.required_labels("contact")
        for index, contact in enumerate(valid.get("contacts") or [{}]):
            missing |= missing_required(contact, labels, prefix=f"contacts.{index}.")
        return missing

    def validate(
        self, rows: ClientRows, problems: list[ImportProblem]
    ) -> _ValidClient | None:
        before = len(problems)
        data, archived, contact_lines = self.payload(rows, problems)
        serializer = ClientInputSerializer(data=data, context={"company": self.company})
        if not serializer.is_valid():
            errors = flatten_errors(serializer.errors)
            problems.extend(_problems(errors, rows.line, contact_lines))
            return None
        valid = dict(serializer.validated_data)
        missing = self.missing_required(valid)
        if missing:
            problems.extend(_problems(missing, rows.line, contact_lines))
            return None
        self.check_unique_in_file(rows.line, valid, problems)
        if len(problems) > before:
            return None
        return _ValidClient(line=rows.line, data=valid, archived=archived)


def _problems(
    errors: dict[str, list[str]], client_line: int, contact_lines: list[int]
) -> list[ImportProblem]:
    """Input errors (`custom_value2`, `contacts.0.email`) at their line and column."""
    found: list[ImportProblem] = []
    for key, messages in errors.items():
        line, column = client_line, COLUMN_BY_INPUT.get(key, key)
        parts = key.split(".")
        if parts[0] == "contacts" and len(parts) >= 2 and parts[1].isdigit():
            index = int(parts[1])
            if index < len(contact_lines):
                line = contact_lines[index]
            column = f"contact_{parts[2]}" if len(parts) > 2 else "contacts"
        found.extend(ImportProblem(line, column, message) for message in messages)
    return found


def _number(rows: ClientRows) -> str:
    return rows.row.get("number", "").strip()


def _without_taken_numbers(
    company: Company, groups: list[ClientRows]
) -> tuple[list[ClientRows], int]:
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
    groups, problems = read_clients(stream, delimiter)
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
        clients_change_state(
            clients_queryset=Client.objects.filter(pk__in=archived),
            user=user,
            action="archive",
        )
    contacts = ClientContact.objects.filter(
        client_id__in=created, is_deleted=False
    ).count()
    return ImportResult(clients=len(created), contacts=contacts, archived=len(archived))
