"""Document services: validated, streamed uploads and deletes through storage."""

import logging

from django.core.files.storage import default_storage
from django.db import transaction

logger = logging.getLogger("documents")


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
