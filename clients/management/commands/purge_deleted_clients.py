"""`manage.py purge_deleted_clients`: hard-delete clients deleted long ago."""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from clients.maintenance import (
    DEFAULT_BATCH_SIZE,
    clients_deleted_before,
    clients_purge_counts,
    clients_purge_in_batches,
)
from clients.management.commands._progress import progress_bar
from companies.management.commands._lookup import company_lookup


class Command(BaseCommand):
    help = (
        "Permanently delete clients that were deleted more than DAYS days ago, with "
        "their contacts, activities, ledger and documents (stored files are removed "
        "after each batch commits). Try --dry-run first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            required=True,
            metavar="DAYS",
            help="Purge clients deleted more than DAYS days ago",
        )
        parser.add_argument("--company", help="Only this company (name, key or id)")
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would go; delete nothing"
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"Clients per transaction (default {DEFAULT_BATCH_SIZE})",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Don't draw a progress bar"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["older_than"]
        if days < 0:
            raise CommandError("--older-than must be 0 or more days.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        company = company_lookup(options["company"]) if options["company"] else None
        cutoff = timezone.now() - timedelta(days=days)
        clients = clients_deleted_before(cutoff=cutoff, company=company)
        scope = f" of '{company.name}'" if company else ""
        counts = clients_purge_counts(clients_queryset=clients)
        summary = (
            f"{counts.clients} client(s){scope} deleted before "
            f"{cutoff:%Y-%m-%d %H:%M} UTC, with {counts.contacts} contact(s) and "
            f"{counts.documents} document(s)"
        )
        if options["dry_run"]:
            self.stdout.write(f"Dry run: would purge {summary}. Nothing was deleted.")
            return
        if counts.clients == 0:
            self.stdout.write(f"Nothing to purge: {summary}.")
            return
        with progress_bar(counts.clients, "client", not options["no_progress"]) as bar:
            done = clients_purge_in_batches(
                clients_queryset=clients,
                batch_size=options["batch_size"],
                progress=bar.update,
            )
        self.stdout.write(
            f"Purged {done.clients} client(s){scope} with {done.contacts} contact(s) "
            f"and {done.documents} document(s)."
        )
