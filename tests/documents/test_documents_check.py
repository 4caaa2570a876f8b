"""`manage.py documents_check`: rows without files and files without rows."""

import io
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from clients.models import Client
from companies.models import Company
from documents.models import Document

MakeDocument = Callable[..., Document]


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("documents_check", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def make_old(path: Path) -> None:
    two_hours_ago = time.time() - 7200
    os.utime(path, (two_hours_ago, two_hours_ago))


@pytest.fixture
def damaged(
    media: Path, company: Company, client_row: Client, make_document: MakeDocument
) -> dict[str, Any]:
    """One good document, one whose file is gone, and one old orphan file."""
    good = make_document(client_row, "good.pdf")
    broken = make_document(client_row, "broken.pdf")
    default_storage.delete(broken.path)
    orphan = default_storage.save(
        f"{company.company_key}/documents/{'f' * 40}.pdf", ContentFile(b"%PDF-1.4")
    )
    for path in media.rglob("*.pdf"):
        make_old(path)
    return {"good": good, "broken": broken, "orphan": orphan}


def test_a_consistent_store_passes(
    media: Path, client_row: Client, make_document: MakeDocument
) -> None:
    make_document(client_row)
    out, err = run("--min-age", "0")
    assert "Checked 1 document and 1 file in" in out
    assert "0 rows with a missing file, 0 orphan files." in out
    assert err == ""  # no progress bar outside a terminal


def test_problems_are_reported_and_nothing_changes_without_fix(
    media: Path, damaged: dict[str, Any]
) -> None:
    out = io.StringIO()
    with pytest.raises(CommandError, match="run with --fix"):
        call_command("documents_check", stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert f"missing file: {damaged['broken'].path}" in text
    assert f"orphan file: {damaged['orphan']}" in text
    assert "1 row with a missing file, 1 orphan file." in text
    assert (media / damaged["orphan"]).exists()
    assert Document.objects.filter(is_deleted=True).count() == 0


def test_a_dry_run_changes_nothing(media: Path, damaged: dict[str, Any]) -> None:
    out, _ = run("--fix", "--dry-run")
    assert "would delete 1 orphan file and mark 1 document deleted" in out
    assert (media / damaged["orphan"]).exists()
    assert not Document.objects.filter(is_deleted=True).exists()


def test_fix_deletes_orphans_and_flags_broken_rows(
    media: Path, damaged: dict[str, Any]
) -> None:
    out, _ = run("--fix")
    assert "Deleted 1 orphan file; marked 1 document deleted." in out
    assert not (media / damaged["orphan"]).exists()
    damaged["broken"].refresh_from_db()
    assert damaged["broken"].is_deleted is True
    assert damaged["broken"].archived_at is not None
    damaged["good"].refresh_from_db()
    assert damaged["good"].is_deleted is False
    assert (media / damaged["good"].path).exists()

    again, _ = run()
    assert "0 rows with a missing file, 0 orphan files." in again


def test_new_files_are_not_taken_for_orphans(media: Path, company: Company) -> None:
    fresh = default_storage.save(
        f"{company.company_key}/documents/{'a' * 40}.pdf", ContentFile(b"%PDF")
    )
    out, _ = run("--fix")
    assert "0 orphan files (1 newer file skipped)." in out
    assert (media / fresh).exists()


def test_files_of_a_removed_company_are_orphans(media: Path, company: Company) -> None:
    left = default_storage.save(
        f"{'9' * 32}/documents/{'b' * 40}.png", ContentFile(b"\x89PNG")
    )
    out, _ = run("--fix", "--min-age", "0", "--no-progress")
    assert f"orphan file: {left}" in out
    assert not (media / left).exists()
