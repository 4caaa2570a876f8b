"""Document services: checked, streamed uploads, their rows, and deletes in storage.

Files are written to `default_storage` before their rows, and removed only after
the transaction that drops their rows commits, so neither a failed upload nor a
rolled-back delete leaves a file without a row or a row without a file.

Documents belong to an owner row of any model; what attaching them means for the
owner (its activity log, its `updated_at`) is the owner's service's business.
"""

import logging
import posixpath
import secrets
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from storages.backends.s3 import S3Storage

from companies.models import Company
from config.db import SoftStateQuerySet
from documents.files import (
    MAX_NAME_LENGTH,
    FileRejected,
    InspectedFile,
    inspect_upload,
    safe_file_name,
)
from documents.models import Document

logger = logging.getLogger("documents")

NAME_REQUIRED = "The name field is required."


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


def documents_owned_by(
    owner_model: type[models.Model], owner_ids: Sequence[Any] | QuerySet[Any, Any]
) -> QuerySet[Document]:
    """The documents of the rows `owner_ids` (ids, or a query of them) of
    `owner_model`."""
    documents: QuerySet[Document] = Document.objects.filter(
        owner_type=ContentType.objects.get_for_model(owner_model),
        owner_id__in=owner_ids,
    )
    return documents


def documents_move(
    *, from_owner: models.Model, to_owner: models.Model, at: datetime | None = None
) -> int:
    """Give every document of `from_owner` to `to_owner`, a row of the same model
    (one UPDATE); `at` is their new `updated_at` (now by default)."""
    moved: int = Document.objects.filter(
        owner_type=ContentType.objects.get_for_model(from_owner),
        owner_id=from_owner.pk,
    ).update(owner_id=to_owner.pk, updated_at=at or timezone.now())
    return moved


def stored_files_of(documents: QuerySet[Document]) -> list[str]:
    """The stored files of `documents` (each one's file and preview), in one query."""
    paths: list[str] = []
    for path, preview in documents.values_list("path", "preview"):
        paths.extend(name for name in (path, preview) if name)
    return paths


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
    """Check every upload; any bad one is a ValidationError keyed `documents.N`."""
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


@dataclass(frozen=True)
class StoredUpload:
    """A checked upload and where storage put it."""

    file: InspectedFile
    path: str


def _store(company: Company, item: InspectedFile) -> StoredUpload:
    # Storage backends (S3) take the object's Content-Type from the upload; use
    # the type we checked, not the one the client claimed.
    item.upload.content_type = item.content_type
    path = f"{documents_folder(company)}/{new_stored_name(item.extension)}"
    return StoredUpload(file=item, path=default_storage.save(path, item.upload))


@contextmanager
def uploads_stored(
    *, company: Company, inspected: Sequence[InspectedFile]
) -> Iterator[list[StoredUpload]]:
    """Stream each checked upload to storage, for the `with` block to write rows.

    If storing or the block fails, the files stored so far are deleted again
    before the error propagates: write the rows inside the block, in a
    transaction that ends inside it too.
    """
    stored: list[StoredUpload] = []
    try:
        for item in inspected:
            stored.append(_store(company, item))
        yield stored
    except BaseException:
        stored_files_delete_now([upload.path for upload in stored])
        raise


def documents_create(
    *,
    owner: models.Model,
    company: Company,
    user: AbstractBaseUser | None,
    stored: Sequence[StoredUpload],
    is_public: bool = True,
) -> list[Document]:
    """The rows of stored uploads, attached to `owner` (one INSERT)."""
    owner_type = ContentType.objects.get_for_model(owner)
    disk = storage_disk()
    user_id = user.pk if user is not None else None
    rows = [
        Document(
            company=company,
            user_id=user_id,
            owner_type=owner_type,
            owner_id=owner.pk,
            name=upload.file.name,
            type=upload.file.extension,
            disk=disk,
            hash=posixpath.basename(upload.path),
            path=upload.path,
            size=upload.file.size,
            width=upload.file.width,
            height=upload.file.height,
            content_type=upload.file.content_type,
            is_public=is_public,
        )
        for upload in stored
    ]
    documents: list[Document] = Document.objects.bulk_create(rows)
    return documents


def document_name_clean(*, document: Document, name: str) -> str:
    """A new name for `document`, made safe like an uploaded one.

    It keeps the document's real extension, so a download is never offered under
    another type. A name with nothing left once made safe is a ValidationError.
    """
    clean = safe_file_name(name)
    if not clean:
        raise ValidationError({"name": [NAME_REQUIRED]})
    suffix = f".{document.type}"
    if document.type and not clean.lower().endswith(suffix):
        clean = safe_file_name(f"{clean[: MAX_NAME_LENGTH - len(suffix)]}{suffix}")
    return clean


@transaction.atomic
def document_update(
    *, document: Document, name: str | None = None, is_public: bool | None = None
) -> Document:
    """Rename a document (see `document_name_clean`) or change whether it is public."""
    fields = ["updated_at"]
    if name is not None:
        document.name = document_name_clean(document=document, name=name)
        fields.append("name")
    if is_public is not None:
        document.is_public = is_public
        fields.append("is_public")
    document.save(update_fields=fields)
    return document


# Told, in the deleting transaction, whose documents were deleted: the owners as
# (owner_type_id, owner_id). The owners' apps register (clients: a webhook event).
DocumentsDeletedListener = Callable[[list[tuple[int, int]]], None]
DELETED_LISTENERS: list[DocumentsDeletedListener] = []


def documents_deleted_listen(listener: DocumentsDeletedListener) -> None:
    """Called from the owning app's `AppConfig.ready()`."""
    if listener not in DELETED_LISTENERS:
        DELETED_LISTENERS.append(listener)


def _owners_told(owners: list[tuple[int, int]]) -> None:
    for listener in DELETED_LISTENERS:
        listener(sorted(set(owners)))


@transaction.atomic
def document_delete(*, document: Document) -> None:
    """Delete a document's row now and its stored files once that commits."""
    paths = [document.path, document.preview]
    Document.objects.filter(pk=document.pk).delete()
    stored_files_delete_on_commit(paths)
    _owners_told([(document.owner_type_id, document.owner_id)])


@transaction.atomic
def documents_delete(*, documents: QuerySet[Document]) -> int:
    """Delete many documents (one query) and their files after commit."""
    rows = list(documents.values_list("path", "preview", "owner_type_id", "owner_id"))
    paths = [name for path, preview, _, _ in rows for name in (path, preview) if name]
    deleted, _ = documents.order_by().delete()
    stored_files_delete_on_commit(paths)
    _owners_told([(type_id, owner_id) for _, _, type_id, owner_id in rows])
    return deleted


def documents_archive(*, documents: SoftStateQuerySet[Document]) -> int:
    """Archive active documents (files stay)."""
    return int(documents.archive())


def documents_restore(*, documents: SoftStateQuerySet[Document]) -> int:
    """Make archived or deleted documents active again."""
    return int(documents.restore())
