"""Logos through purge, merge and `documents_check`: no orphan, no lost file."""

import io
import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from PIL import Image

from clients.models import Client
from clients.services.logos import LOGO_FIELDS, client_logo_set, logo_paths
from clients.services.merge import client_merge
from clients.services.purge import clients_purge
from companies.models import Company
from tests.documents.conftest import stored_files, upload
from tests.factories import ClientFactory

pytestmark = pytest.mark.usefixtures("media")


def png(size: tuple[int, int] = (20, 10)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (1, 2, 3)).save(buffer, format="PNG")
    return buffer.getvalue()


def with_logo(company: Company, **fields: Any) -> Client:
    client = ClientFactory.create(company=company, **fields)
    return client_logo_set(client=client, user=None, upload=upload("l.png", png()))


def on_disk(media: Path) -> list[str]:
    return [str(path.relative_to(media)) for path in stored_files(media)]


def test_a_purge_deletes_the_logo_files_after_commit(
    company: Company, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    purged = with_logo(company)
    kept = with_logo(company)

    with django_capture_on_commit_callbacks(execute=True):
        counts = clients_purge(clients_queryset=Client.objects.filter(pk=purged.pk))

    assert counts.clients == 1
    assert on_disk(media) == sorted(logo_paths(kept))


def test_a_merge_moves_the_logo_to_a_primary_without_one(
    company: Company, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    primary = ClientFactory.create(company=company)
    merged = with_logo(company)
    paths = logo_paths(merged)

    with django_capture_on_commit_callbacks(execute=True):
        client_merge(primary=primary, merged=merged, user=None)

    primary.refresh_from_db()
    assert logo_paths(primary) == paths
    assert on_disk(media) == sorted(paths)


def test_a_merge_keeps_the_primarys_logo_and_drops_the_other(
    company: Company, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    primary = with_logo(company)
    merged = with_logo(company)
    kept = logo_paths(primary)

    with django_capture_on_commit_callbacks(execute=True):
        client_merge(primary=primary, merged=merged, user=None)

    primary.refresh_from_db()
    assert logo_paths(primary) == kept
    assert on_disk(media) == sorted(kept)


def run_check(*args: str) -> str:
    out = io.StringIO()
    call_command("documents_check", "--min-age", "0", *args, stdout=out)
    return out.getvalue()


def test_documents_check_counts_logo_files_as_referenced(company: Company) -> None:
    with_logo(company)
    out = run_check()
    assert "0 rows with a missing file, 0 orphan files." in out


def test_documents_check_finds_a_lost_logo_and_fix_drops_it(
    company: Company, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client = with_logo(company)
    default_storage.delete(client.logo_medium_path)

    with pytest.raises(CommandError):
        run_check()
    with django_capture_on_commit_callbacks(execute=True):
        out = run_check("--fix")

    assert f"missing file: {client.logo_medium_path} (client logo" in out
    assert "1 logo dropped" in out
    client.refresh_from_db()
    assert [getattr(client, field) for field in LOGO_FIELDS] == ["", "", "", ""]
    assert on_disk(media) == []


def test_an_old_file_left_by_a_replaced_logo_is_an_orphan(
    company: Company, media: Path
) -> None:
    client = with_logo(company)
    stray = default_storage.save(
        f"{company.company_key}/documents/{'e' * 40}-large.png",
        io.BytesIO(png()),
    )
    two_hours_ago = time.time() - 7200
    os.utime(media / stray, (two_hours_ago, two_hours_ago))

    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("documents_check", "--min-age", "0", stdout=out)
    assert f"orphan file: {stray}" in out.getvalue()
    assert "1 orphan file" in out.getvalue()
    assert all(path not in out.getvalue() for path in logo_paths(client))
