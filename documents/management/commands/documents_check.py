"""`manage.py documents_check [--fix] [--dry-run]`: rows without files, files
without rows."""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from config.api.hashids import encode_id
from config.commands.output import plural
from config.commands.progress import progress_bar
from documents.integrity import IntegrityReport, documents_repair, documents_scan


def _found(report: IntegrityReport) -> str:
    broken = len(report.broken) + len(report.broken_references)
    return (
        f"{plural(broken, 'row')} with a missing file, "
        f"{plural(len(report.orphans), 'orphan file')}"
    )


class Command(BaseCommand):
    help = (
        "Find document rows whose stored file is missing and files under "
        "<company_key>/documents/ that no row points to (client logos count as "
        "rows). With --fix, delete the orphan files, flag the broken rows as "
        "deleted and drop logos whose file is lost. Exits 1 when problems "
        "are left unfixed. With -v 0 only the problems are printed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--fix",
            action="store_true",
            help="Delete orphan files and mark broken rows deleted.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=(
                "With --fix: say what would be done, change nothing. (Without "
                "--fix the command only checks anyway.)"
            ),
        )
        parser.add_argument(
            "--min-age",
            type=int,
            default=60,
            metavar="MINUTES",
            help=(
                "Ignore files younger than this (uploads in flight store their "
                "files just before their rows). Default 60."
            ),
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Don't draw a progress bar."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        fix, dry_run = options["fix"], options["dry_run"]
        if dry_run and not fix and verbosity > 0:
            self.stdout.write(
                "Dry run without --fix: this only checks, as it does without "
                "--dry-run; nothing would be changed either way. Add --fix to see "
                "what a repair would do."
            )
        with progress_bar(self, options) as progress:
            report = documents_scan(
                min_age=timedelta(minutes=max(options["min_age"], 0)),
                progress=lambda keys: progress.iterate(
                    "Checking", keys, "company", "companies"
                ),
            )
        for pk, path in report.broken:
            self.stdout.write(f"missing file: {path} (document {encode_id(pk)})")
        for label, pk, path in report.broken_references:
            self.stdout.write(f"missing file: {path} ({label} {encode_id(pk)})")
        for path in report.orphans:
            self.stdout.write(f"orphan file: {path}")
        if verbosity > 0:
            skipped = (
                f" ({plural(report.too_young, 'newer file')} skipped)"
                if report.too_young
                else ""
            )
            self.stdout.write(
                f"Checked {plural(report.rows, 'document')} and "
                f"{plural(report.files, 'file')} in "
                f"{plural(report.companies, 'company', 'companies')}: "
                f"{_found(report)}{skipped}."
            )
        if report.clean:
            return
        if not fix:
            raise CommandError(
                f"Found {_found(report)}; run with --fix to repair them (add "
                "--dry-run to see what it would do first)."
            )
        orphans = plural(len(report.orphans), "orphan file")
        broken = plural(len(report.broken), "document")
        logos = ""
        if report.broken_references:
            logos = f"; {plural(len(report.broken_references), 'logo')} dropped"
        if dry_run:
            if verbosity > 0:
                self.stdout.write(
                    f"Dry run: would delete {orphans} and mark {broken} deleted"
                    f"{logos.replace('dropped', 'to drop')}. "
                    "Nothing was changed."
                )
            return
        documents_repair(report=report)
        if verbosity > 0:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Deleted {orphans}; marked {broken} deleted{logos}."
                )
            )
