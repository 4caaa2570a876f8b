"""Document services: validated, streamed uploads and deletes through storage.

Files are written to `default_storage` before their rows, and removed only after
the transaction that drops their rows commits, so neither a failed upload nor a
rolled-back delete leaves a file without a row or a row without a file.
"""

import logging
import posixpath
import secrets
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from rest_framework.exceptions import ValidationError
from storages.backends.s3 import S3Storage

from clients.models import Activity, Client
from companies.models import Company
from config.db import SoftStateQuerySet
from documents.files import FileRejected, InspectedFile, inspect_upload, safe_file_name
from documents.models import Document

logger = logging.getLogger("documents")

ACTIVITY_NOTES_LENGTH = 500


def stored_files_delete_now(paths: list[str]) -> None:
    """Delete stored files at once, logging (never raising) storage errors."""
    for path in paths:
        if not path:
            continue
        try:
            default_storage.delete(path)
        except Exception:
            logger.exception("Could not delete stored file %s", path)


def stored_files_delete_on_commit(paths: list[str]) -> None:
    """Delete stored files once the surrounding transaction commits.

    A rolled-back transaction keeps its rows, so their files must stay too. Storage
    errors are logged, not raised: the rows are already gone by then.
    """
    pending = [path for path in paths if path]
    if pending:
        transaction.on_commit(lambda: stored_files_delete_now(pending))


def storage_disk() -> str:
    """The `disk` recorded on new documents: `s3` or `local`."""
    return "s3" if isinstance(default_storage, S3Storage) else "local"


def documents_folder(company: Company) -> str:
    """Where a company's files live in storage: `<company_key>/documents`."""
    return f"{company.company_key}/documents"


def new_stored_name(extension: str) -> str:
    """A fresh stored file name: 40 random hex characters and the extension."""
    return f"{secrets.token_hex(20)}.{extension}"


def documents_inspect(uploads: Sequence[Any]) -> list[InspectedFile]:
    """Check every upload; any bad one is a 422 keyed `documents.N`."""
    inspected: list[InspectedFile] = []
    errors: dict[str, list[str]] = {}
    for index, upload in enumerate(uploads):
        label = f"documents.{index}"
        try:
            inspected.append(inspect_upload(upload, label))
        except FileRejected as exc:
            errors[label] = [exc.message]
    if errors:
        raise ValidationError(errors)
    return inspected


def _store(company: Company, item: InspectedFile) -> str:
    # Storage backends (S3) take the object's Content-Type from the upload; use
    # the type we checked, not the one the client claimed.
    item.upload.content_type = item.content_type
    path = f"{documents_folder(company)}/{new_stored_name(item.extension)}"
    return default_storage.save(path, item.upload)


def client_documents_upload(
    *,
    client: Client,
    user: AbstractBaseUser | None,
    uploads: Sequence[Any],
    is_public: bool = True,
) -> list[Document]:
    """Attach uploaded files to a client: all of them, or none.

    Every file is checked first (type, content, size, image header); then each is
    streamed to storage, and the rows and one activity are written in one
    transaction. If anything fails after a file was stored, the stored files are
    deleted again before the error propagates.
    """
    inspected = documents_inspect(uploads)
    if not inspected:
        return []
    company: Company = client.company
    owner_type = ContentType.objects.get_for_model(Client)
    disk = storage_disk()
    user_id = user.pk if user is not None else None
    saved: list[str] = []
    try:
        rows = []
        for item in inspected:
            path = _store(company, item)
            saved.append(path)
            rows.append(
                Document(
                    company=company,
                    user_id=user_id,
                    owner_type=owner_type,
                    owner_id=client.pk,
                    name=item.name,
                    type=item.extension,
                    disk=disk,
                    hash=posixpath.basename(path),
                    path=path,
                    size=item.size,
                    width=item.width,
                    height=item.height,
                    content_type=item.content_type,
                    is_public=is_public,
                )
            )
        with transaction.atomic():
            documents: list[Document] = Document.objects.bulk_create(rows)
            names = ", ".join(item.name for item in inspected)
            Activity.objects.create(
                company=company,
                user_id=user_id,
                client=client,
                activity_type_id=Activity.UPLOAD_DOCUMENT,
                notes=f"Uploaded {names}"[:ACTIVITY_NOTES_LENGTH],
            )
            Client.objects.filter(pk=client.pk).update(updated_at=timezone.now())
    except BaseException:
        stored_files_delete_now(saved)
        raise
    return documents


@transaction.atomic
def document_update(
    *, document: Document, name: str | None = None, is_public: bool | None = None
) -> Document:
    """Rename a document or change whether it is public.

    The name is made safe like an uploaded one and keeps the document's real
    extension, so a download is never offered under another type.
    """
    fields = ["updated_at"]
    if name is not None:
        clean = safe_file_name(name)
        suffix = f".{document.type}"
        if not clean:
            raise ValidationError({"name": ["The name field is required."]})
        if document.type and not clean.lower().endswith(suffix):
            clean = safe_file_name(f"{clean[: 255 - len(suffix)]}{suffix}")
        document.name = clean
        fields.append("name")
    if is_public is not None:
        document.is_public = is_public
        fields.append("is_public")
    document.save(update_fields=fields)
    return document


@transaction.atomic
def document_delete(*, document: Document) -> None:
    """Delete a document's row now and its stored files once that commits."""
    paths = [document.path, document.preview]
    Document.objects.filter(pk=document.pk).delete()
    stored_files_delete_on_commit(paths)


@transaction.atomic
def documents_delete(*, documents: QuerySet[Document]) -> int:
    """Delete many documents (one query) and their files after commit."""
    paths: list[str] = []
    for path, preview in documents.values_list("path", "preview"):
        paths.extend([path, preview])
    deleted, _ = documents.order_by().delete()
    stored_files_delete_on_commit(paths)
    return deleted


def documents_archive(*, documents: SoftStateQuerySet[Document]) -> int:
    """Archive active documents (files stay)."""
    return int(documents.archive())


def documents_restore(*, documents: SoftStateQuerySet[Document]) -> int:
    """Make archived or deleted documents active again."""
    return int(documents.restore())
