"""`manage.py export_clients`: a company's clients and contacts as CSV."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clients.csv import clients_export_csv
from clients.models import Client
from companies.management.commands._lookup import company_lookup
from config.commands.output import plural, quiet_when_the_reader_leaves
from config.commands.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Write a company's clients (not deleted ones) as CSV, one row per contact; "
        "`import_clients` reads the same format back. A cell that starts with = + "
        "- @, a tab or a carriage return (or with ' before one of those) gets a "
        "leading ' so that spreadsheets show it as text; `import_clients` removes it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--company", required=True, help="Company name, company key or id"
        )
        parser.add_argument(
            "--output", default="-", help="File to write (default: standard output)"
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Don't draw a progress bar"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        company = company_lookup(options["company"])
        output = options["output"]
        if output == "-":
            with quiet_when_the_reader_leaves(self.stdout):
                clients_export_csv(company=company, out=self.stdout)
            return
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(
                f"The folder {target.parent} does not exist; create it first or "
                "choose another --output."
            )
        total = Client.objects.filter(company=company, is_deleted=False).count()
        try:
            with (
                target.open("w", newline="", encoding="utf-8") as handle,
                progress_bar(self, options) as progress,
            ):
                progress.start("Exporting", total, "client")
                rows = clients_export_csv(
                    company=company, out=handle, progress=progress.update
                )
        except OSError as exc:
            raise CommandError(f"Could not write {target}: {exc.strerror}") from exc
        if options["verbosity"] > 0:
            self.stdout.write(
                f"Exported {plural(total, 'client')} of '{company.name}' as "
                f"{plural(rows, 'row')} to {target}."
            )
