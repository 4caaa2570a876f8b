"""Do rows and stored files agree? Used by `manage.py documents_check`.

A row whose file is missing is *broken*; a file under `<company_key>/documents/`
that no row points to is an *orphan*. Files are listed folder by folder (one listing
per company, not one request per row), so the check is cheap on S3 too.

Other apps keep files there too (client logos): they register `FileReferences`, so
their files are not taken for orphans and a lost one is found like a document's.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from companies.models import Company
from documents.models import Document
from documents.services import stored_files_delete_now

FOLDER = "documents"
UPDATE_BATCH = 1000

Progress = Callable[[list[str]], Iterable[str]]


@dataclass(frozen=True)
class FileReferences:
    """Rows of another app that point at files in a company's documents folder.

    `referenced(company_key)` yields each such row's pk and stored paths;
    `forget(pks)` makes rows whose file is lost stop pointing at their files.
    """

    label: str
    referenced: Callable[[str], Iterable[tuple[int, list[str]]]]
    forget: Callable[[list[int]], None]


FILE_REFERENCES: dict[str, FileReferences] = {}


def file_references_register(references: FileReferences) -> None:
    """Let the check see another app's files (once per label)."""
    FILE_REFERENCES[references.label] = references


@dataclass
class IntegrityReport:
    """What a scan found."""

    companies: int = 0
    rows: int = 0
    files: int = 0
    broken: list[tuple[int, str]] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    too_young: int = 0
    # Registered references (`FileReferences`) whose file is missing:
    # (label, row pk, path).
    broken_references: list[tuple[str, int, str]] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.broken and not self.orphans and not self.broken_references


def _listdir(folder: str) -> tuple[list[str], list[str]]:
    try:
        directories, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return [], []
    return list(directories), list(files)


def stored_paths(folder: str) -> Iterator[str]:
    """Every file under `folder` in `default_storage`, as storage names."""
    directories, files = _listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for directory in directories:
        yield from stored_paths(f"{folder}/{directory}")


def _company_keys() -> list[str]:
    """Keys of existing companies and of folders left by companies since removed."""
    keys = set(Company.objects.values_list("company_key", flat=True))
    directories, _ = _listdir("")
    keys.update(directories)
    return sorted(keys)


def _old_enough(path: str, min_age: timedelta) -> bool:
    if min_age <= timedelta(0):
        return True
    try:
        modified = default_storage.get_modified_time(path)
    except (FileNotFoundError, NotImplementedError):
        return True
    return timezone.now() - modified >= min_age


def documents_scan(
    *, min_age: timedelta = timedelta(hours=1), progress: Progress | None = None
) -> IntegrityReport:
    """Compare every company's document rows with its stored files.

    Orphans younger than `min_age` are left out: an upload stores its files a
    moment before it writes their rows, and must not be mistaken for debris.
    """
    report = IntegrityReport()
    keys = _company_keys()
    for key in progress(keys) if progress else keys:
        report.companies += 1
        folder = f"{key}/{FOLDER}"
        files = set(stored_paths(folder))
        report.files += len(files)
        referenced: set[str] = set()
        rows = Document.objects.filter(company__company_key=key).values_list(
            "pk", "path", "preview", "is_deleted"
        )
        for pk, path, preview, is_deleted in rows.iterator(chunk_size=2000):
            report.rows += 1
            referenced.update((path, preview))
            present = path in files or (
                not path.startswith(f"{folder}/") and default_storage.exists(path)
            )
            if not present and not is_deleted:
                report.broken.append((pk, path))
        for references in FILE_REFERENCES.values():
            for pk, paths in references.referenced(key):
                referenced.update(paths)
                lost = next((path for path in paths if path not in files), None)
                if lost is not None:
                    report.broken_references.append((references.label, pk, lost))
        for path in sorted(files - referenced):
            if _old_enough(path, min_age):
                report.orphans.append(path)
            else:
                report.too_young += 1
    return report


def documents_repair(*, report: IntegrityReport) -> None:
    """Delete the orphan files and flag broken rows as deleted (`is_deleted`);
    registered references to a lost file are forgotten (`FileReferences.forget`).

    Broken rows are kept (soft-deleted), not dropped, so what was lost stays on
    record and can be restored once its file is put back.
    """
    stored_files_delete_now(report.orphans)
    pks = [pk for pk, _ in report.broken]
    with transaction.atomic():
        for start in range(0, len(pks), UPDATE_BATCH):
            batch = pks[start : start + UPDATE_BATCH]
            Document.objects.filter(pk__in=batch).soft_delete()
    for label, references in FILE_REFERENCES.items():
        lost = [pk for owner, pk, _ in report.broken_references if owner == label]
        if lost:
            references.forget(lost)
