"""`manage.py import_clients`: create clients from a CSV file, all or nothing."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clients.management.commands._progress import progress_bar
from clients.transfer import COLUMNS, ImportFailed, clients_import_csv
from companies.management.commands._lookup import company_lookup, user_lookup

MAX_PROBLEMS_SHOWN = 200


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
            "--no-progress", action="store_true", help="Don't draw a progress bar"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        company = company_lookup(options["company"])
        user = user_lookup(options["email"]) if options.get("email") else None
        if user is not None and not user.memberships.filter(company=company).exists():
            raise CommandError(
                f"{user.get_username()} is not a member of '{company.name}'."
            )
        path = options["file"]
        try:
            if path == "-":
                result = self._import(company, sys.stdin, user, options)
            else:
                with Path(path).open(newline="", encoding="utf-8-sig") as handle:
                    result = self._import(company, handle, user, options)
        except FileNotFoundError as exc:
            raise CommandError(f"No file at {path}.") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(
                f"{path} is not UTF-8 text; save it as UTF-8 CSV."
            ) from exc
        except ImportFailed as exc:
            for problem in exc.problems[:MAX_PROBLEMS_SHOWN]:
                self.stderr.write(str(problem))
            if len(exc.problems) > MAX_PROBLEMS_SHOWN:
                hidden = len(exc.problems) - MAX_PROBLEMS_SHOWN
                self.stderr.write(f"... and {hidden} more.")
            raise CommandError(
                f"{len(exc.problems)} problem(s) found; nothing was imported. Fix "
                "the lines above and run the import again."
            ) from exc
        archived = f", {result.archived} archived" if result.archived else ""
        self.stdout.write(
            f"Imported {result.clients} client(s) with {result.contacts} contact(s) "
            f"into '{company.name}'{archived}."
        )

    def _import(self, company: Any, handle: Any, user: Any, options: Any) -> Any:
        with progress_bar(0, "client", not options["no_progress"]) as bar:
            return clients_import_csv(
                company=company, stream=handle, user=user, progress=bar.update
            )
