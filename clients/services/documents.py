"""Attaching uploaded files to a client: documents, an activity, its `updated_at`."""

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from clients.models import Activity, Client
from clients.services.activities import activity_record
from clients.services.events import client_event
from documents.models import Document
from documents.services import documents_create, documents_inspect, uploads_stored
from webhooks.events import CLIENT_DOCUMENT_UPLOADED

ACTIVITY_NOTES_LENGTH = 500


def client_documents_upload(
    *,
    client: Client,
    user: AbstractBaseUser | None,
    uploads: Sequence[Any],
    is_public: bool = True,
) -> list[Document]:
    """Attach uploaded files to a client: all of them, or none.

    Every file is checked first (type, content, size, image header; a bad one is
    a ValidationError keyed `documents.N`); then each is streamed to storage, and
    the rows, one activity and the client's new `updated_at` are written in one
    transaction. If anything fails after a file was stored, the stored files are
    deleted again before the error propagates.
    """
    inspected = documents_inspect(uploads)
    if not inspected:
        return []
    company = client.company
    with (
        uploads_stored(company=company, inspected=inspected) as stored,
        transaction.atomic(),
    ):
        documents = documents_create(
            owner=client, company=company, user=user, stored=stored, is_public=is_public
        )
        names = ", ".join(item.name for item in inspected)
        activity_record(
            client=client,
            user=user,
            activity_type_id=Activity.UPLOAD_DOCUMENT,
            notes=f"Uploaded {names}"[:ACTIVITY_NOTES_LENGTH],
        )
        Client.objects.filter(pk=client.pk).update(updated_at=timezone.now())
        client_event(CLIENT_DOCUMENT_UPLOADED, client)
    return documents
