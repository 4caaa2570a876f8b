"""`manage.py purge_deleted_clients`: hard-delete clients deleted long ago."""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import QuerySet
from django.utils import timezone

from clients.models import Client
from clients.services.purge import (
    DEFAULT_BATCH_SIZE,
    clients_deleted_before,
    clients_purge_counts,
    clients_purge_in_batches,
)
from companies.management.commands._lookup import company_lookup
from config.api.hashids import encode_id
from config.commands.output import plural
from config.commands.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Permanently delete clients that were deleted more than DAYS days ago, with "
        "their contacts, activities, ledger and documents (stored files are removed "
        "after each batch commits). Try --dry-run first; with -v 2 it lists the "
        "clients (id, number, name, company, when deleted)."
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
            "--dry-run",
            action="store_true",
            help="Count what would go (-v 2: list it); delete nothing",
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
        verbosity = options["verbosity"]
        company = company_lookup(options["company"]) if options["company"] else None
        cutoff = timezone.now() - timedelta(days=days)
        clients = clients_deleted_before(cutoff=cutoff, company=company)
        scope = f" of '{company.name}'" if company else ""
        counts = clients_purge_counts(clients_queryset=clients)
        summary = (
            f"{plural(counts.clients, 'client')}{scope} deleted before "
            f"{cutoff:%Y-%m-%d %H:%M} UTC, with {plural(counts.contacts, 'contact')} "
            f"and {plural(counts.documents, 'document')}"
        )
        if options["dry_run"]:
            if verbosity > 0:
                self.stdout.write(
                    f"Dry run: would purge {summary}. Nothing was deleted."
                )
            if verbosity > 1:
                self._list(clients, with_company=company is None)
            return
        if counts.clients == 0:
            if verbosity > 0:
                self.stdout.write(f"Nothing to purge: {summary}.")
            return
        with progress_bar(self, options) as progress:
            progress.start("Purging", counts.clients, "client")
            done = clients_purge_in_batches(
                clients_queryset=clients,
                batch_size=options["batch_size"],
                progress=progress.update,
            )
        if verbosity > 0:
            self.stdout.write(
                f"Purged {plural(done.clients, 'client')}{scope} with "
                f"{plural(done.contacts, 'contact')} and "
                f"{plural(done.documents, 'document')}."
            )

    def _list(self, clients: QuerySet[Client], *, with_company: bool) -> None:
        """One line per client: hashed id, number, name, (company,) deleted."""
        rows = clients.order_by("company__name", "company_id", "number_sort", "pk")
        for pk, number, name, company_name, deleted in rows.values_list(
            "pk", "number", "name", "company__name", "archived_at"
        ).iterator(chunk_size=1000):
            where = f"'{company_name}', " if with_company else ""
            self.stdout.write(
                f"  {encode_id(pk)}  {number or '(no number)'}  "
                f"{name or '(no name)'}  ({where}deleted {deleted:%Y-%m-%d})"
            )
