"""`manage.py import_clients`: create clients from a CSV file, all or nothing."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clients.csv import COLUMNS, ImportFailed, ImportResult, clients_import_csv
from companies.management.commands._lookup import company_lookup, user_lookup
from companies.models import Company
from config.commands.output import plural
from config.commands.progress import Progress, progress_bar

MAX_PROBLEMS_SHOWN = 200
DELIMITER_WORDS = {"tab": "\t", "\\t": "\t"}


def delimiter_option(value: str) -> str:
    """The cell separator `--delimiter` names: one character, or `tab`."""
    delimiter = DELIMITER_WORDS.get(value.lower(), value)
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise CommandError(
            f"--delimiter must be one character other than a quote or a line "
            f"break, or the word tab; got {value!r}. Example: --delimiter ';'."
        )
    return delimiter


class Command(BaseCommand):
    help = (
        "Create clients from a CSV file in the format of `export_clients` (one row "
        "per contact; rows of one client share a client_key). Every row is checked "
        "with the API's rules first; if any is wrong, the problems are listed by "
        "line and nothing is imported; so is a file that is not well-formed CSV or "
        "a row with more or fewer cells than the header. A leading ' that the "
        "export put before = + - @, a tab or a carriage return is taken off. "
        "Columns: " + ", ".join(COLUMNS) + "."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--company", required=True, help="Company name, company key or id"
        )
        parser.add_argument("file", help="The CSV file (UTF-8); - for standard input")
        parser.add_argument(
            "--email", help="Record this member as the user who created the clients"
        )
        parser.add_argument(
            "--delimiter",
            default=",",
            help=(
                "The character between cells, for files saved with another one: "
                "--delimiter ';' or --delimiter tab (default: a comma)"
            ),
        )
        parser.add_argument(
            "--skip-existing",
            action="store_true",
            help=(
                "Leave out clients whose number a client of the company has "
                "already (say, when importing the same file again) instead of "
                "refusing the file; they are counted in the summary"
            ),
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Don't draw a progress bar"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        company = company_lookup(options["company"])
        delimiter = delimiter_option(options["delimiter"])
        user = user_lookup(options["email"]) if options.get("email") else None
        if user is not None and not user.memberships.filter(company=company).exists():
            raise CommandError(
                f"{user.get_username()} is not a member of '{company.name}'; pass "
                "the login of a member with --email, or leave --email out."
            )
        path = options["file"]
        try:
            with progress_bar(self, options) as progress:
                if path == "-":
                    result = self._import(
                        company, sys.stdin, user, delimiter, progress, options
                    )
                else:
                    with Path(path).open(newline="", encoding="utf-8-sig") as handle:
                        result = self._import(
                            company, handle, user, delimiter, progress, options
                        )
        except FileNotFoundError as exc:
            raise CommandError(
                f"No file at {path}; check the path, or pass - to read standard input."
            ) from exc
        except UnicodeDecodeError as exc:
            raise CommandError(
                f"{path} is not UTF-8 text; save it as UTF-8 CSV."
            ) from exc
        except OSError as exc:
            raise CommandError(f"Could not read {path}: {exc.strerror}.") from exc
        except ImportFailed as exc:
            raise self._failure(exc, company) from exc
        if options["verbosity"] > 0:
            self.stdout.write(self._summary(result, company))

    def _import(
        self,
        company: Company,
        handle: Any,
        user: Any,
        delimiter: str,
        progress: Progress,
        options: dict[str, Any],
    ) -> ImportResult:
        return clients_import_csv(
            company=company,
            stream=handle,
            user=user,
            progress=progress.update,
            stage=lambda verb, total: progress.start(verb, total, "client"),
            delimiter=delimiter,
            skip_existing=options["skip_existing"],
        )

    def _failure(self, exc: ImportFailed, company: Company) -> CommandError:
        """Lists the problems on stderr; the error says what to do about them."""
        for problem in exc.problems[:MAX_PROBLEMS_SHOWN]:
            self.stderr.write(str(problem))
        if len(exc.problems) > MAX_PROBLEMS_SHOWN:
            hidden = len(exc.problems) - MAX_PROBLEMS_SHOWN
            self.stderr.write(f"... and {hidden:,} more.")
        message = (
            f"{plural(len(exc.problems), 'problem')} found; nothing was imported. "
            "Fix the lines above and run the import again."
        )
        if exc.numbers_taken:
            message += (
                f" The number of {plural(exc.numbers_taken, 'client')} is taken in "
                f"'{company.name}' already (was this file imported before?): run "
                "again with --skip-existing to leave those clients out, or empty "
                "their number cells so that they get new numbers."
            )
        return CommandError(message)

    def _summary(self, result: ImportResult, company: Company) -> str:
        archived = f", {result.archived:,} archived" if result.archived else ""
        skipped = (
            f"; skipped {plural(result.skipped, 'client')} whose number is taken"
            if result.skipped
            else ""
        )
        return (
            f"Imported {plural(result.clients, 'client')} with "
            f"{plural(result.contacts, 'contact')} into '{company.name}'"
            f"{archived}{skipped}."
        )
