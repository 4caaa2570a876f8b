"""`manage.py seed_demo`: fill a company with realistic demo clients."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clients.seeding import DEFAULT_BATCH_SIZE, seed_clients
from companies.management.commands._lookup import company_lookup
from config.commands.output import plural
from config.commands.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Create N demo clients with 1 to 3 contacts each in a company, in bulk "
        "batches (100,000 clients take minutes). Numbers continue the company's "
        "counter. Make the company first with `manage.py create_company`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--company", required=True, help="Company name, company key or id"
        )
        parser.add_argument(
            "--clients", type=int, required=True, help="How many clients to create"
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"Clients per transaction (default {DEFAULT_BATCH_SIZE})",
        )
        parser.add_argument(
            "--seed", type=int, help="Random seed, for the same data on every run"
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Don't draw a progress bar"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count, batch_size = options["clients"], options["batch_size"]
        if count < 1:
            raise CommandError("--clients must be at least 1.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        company = company_lookup(options["company"])
        with progress_bar(self, options) as progress:
            progress.start("Creating", count, "client")
            result = seed_clients(
                company=company,
                count=count,
                batch_size=batch_size,
                progress=progress.update,
                seed=options.get("seed"),
            )
        if options["verbosity"] > 0:
            self.stdout.write(
                f"Created {plural(result.clients, 'client')} with "
                f"{plural(result.contacts, 'contact')} in '{company.name}' (numbers "
                f"{result.first_number} to {result.last_number})."
            )
