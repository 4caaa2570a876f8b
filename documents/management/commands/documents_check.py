"""`manage.py documents_check [--fix] [--dry-run]`: rows without files, files
without rows."""

from datetime import timedelta
from typing import Any

from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    OutputWrapper,
)
from tqdm import tqdm

from config.api.hashids import encode_id
from documents.integrity import documents_repair, documents_scan


class _ProgressStream:
    """Lets tqdm redraw its bar in place on a command's stderr."""

    def __init__(self, wrapper: OutputWrapper) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")

    def flush(self) -> None:
        self.wrapper.flush()


class Command(BaseCommand):
    help = (
        "Find document rows whose stored file is missing and files under "
        "<company_key>/documents/ that no row points to. With --fix, delete the "
        "orphan files and flag the broken rows as deleted. Exits 1 when problems "
        "are left unfixed."
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
            help="With --fix: say what would be done, change nothing.",
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
        stream = _ProgressStream(self.stderr)

        def progress(keys: list[str]) -> Any:
            return tqdm(
                keys,
                desc="Companies",
                unit="company",
                file=stream,
                disable=options["no_progress"],
            )

        report = documents_scan(
            min_age=timedelta(minutes=max(options["min_age"], 0)), progress=progress
        )
        for pk, path in report.broken:
            self.stdout.write(f"missing file: {path} (document {encode_id(pk)})")
        for path in report.orphans:
            self.stdout.write(f"orphan file: {path}")
        self.stdout.write(
            f"Checked {report.rows} documents and {report.files} files in "
            f"{report.companies} companies: {len(report.broken)} rows with a missing "
            f"file, {len(report.orphans)} orphan files"
            + (
                f" ({report.too_young} newer files skipped)."
                if report.too_young
                else "."
            )
        )
        if report.clean:
            return
        if not options["fix"]:
            raise CommandError("Problems found; run with --fix to repair them.")
        if options["dry_run"]:
            self.stdout.write(
                f"Dry run: would delete {len(report.orphans)} orphan files and "
                f"mark {len(report.broken)} documents deleted."
            )
            return
        documents_repair(report=report)
        self.stdout.write(
            self.style.SUCCESS(
                f"Deleted {len(report.orphans)} orphan files; marked "
                f"{len(report.broken)} documents deleted."
            )
        )
